// Server-Sent Events parsing as the WHATWG spec defines it ("Interpreting an event stream"):
// https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
#include "net/stream_framers.hpp"

#include <cstdint>
#include <cstring>

namespace nexus::net {

namespace {
constexpr unsigned char kBom[3] = {0xEF, 0xBB, 0xBF};
constexpr size_t kKeepCapacity = 1u << 20;  // buffers above this are released after an event

void release_if_large(std::string& s) {
    if (s.capacity() > kKeepCapacity) std::string().swap(s);
    else s.clear();
}
}  // namespace

// Returns true once the stream start is decided (BOM skipped or absent); false while the
// bytes seen so far are all a prefix of the BOM and more are needed.
bool SseFramer::strip_bom(std::string_view& bytes) {
    while (!bytes.empty() && bom_matched_ < sizeof kBom) {
        if (static_cast<unsigned char>(bytes.front()) != kBom[bom_matched_]) {
            // Not a BOM after all: the bytes matched so far belong to the first line.
            pending_.assign(reinterpret_cast<const char*>(kBom), bom_matched_);
            bom_done_ = true;
            return true;
        }
        ++bom_matched_;
        bytes.remove_prefix(1);
    }
    if (bom_matched_ == sizeof kBom) bom_done_ = true;
    return bom_done_;
}

bool SseFramer::feed(std::string_view bytes, const Sink& sink) {
    if (stopped_ || overflowed_) return false;
    if (!bom_done_ && !strip_bom(bytes)) return true;

    const char* base = bytes.data();
    const size_t n = bytes.size();
    size_t pos = 0;
    if (last_was_cr_ && n > 0) {  // the CR of a CRLF ended the previous chunk
        if (base[0] == '\n') pos = 1;
        last_was_cr_ = false;
    }
    // Next CR at or after pos (n when none): found once per chunk, not once per line, so a
    // chunk without CRs is scanned in linear time.
    constexpr size_t kUnknown = SIZE_MAX;
    size_t next_cr = kUnknown;
    bool ok = true;
    while (pos < n) {
        if (next_cr == kUnknown || next_cr < pos) {
            const void* cr = std::memchr(base + pos, '\r', n - pos);
            next_cr = cr ? size_t(static_cast<const char*>(cr) - base) : n;
        }
        const void* lf = std::memchr(base + pos, '\n', next_cr - pos);
        size_t end = lf ? size_t(static_cast<const char*>(lf) - base) : next_cr;
        if (end >= n) {  // no line end in the rest of the chunk
            pending_.append(base + pos, n - pos);
            if (pending_.size() + held_bytes() > max_event_bytes_) {
                overflowed_ = true;
                return false;
            }
            break;
        }
        if (pending_.empty()) {
            ok = line(std::string_view(base + pos, end - pos), true, sink);
        } else {
            if (pending_.size() + (end - pos) + held_bytes() > max_event_bytes_) {
                overflowed_ = true;
                return false;
            }
            pending_.append(base + pos, end - pos);
            ok = line(pending_, false, sink);
            release_if_large(pending_);
        }
        pos = end + 1;
        if (base[end] == '\r') {
            if (pos < n) {
                if (base[pos] == '\n') ++pos;
            } else {
                last_was_cr_ = true;
            }
        }
        if (!ok) return false;
    }
    if (data_is_ref_) {  // the chunk goes away when we return
        data_.assign(data_ref_);
        data_ref_ = {};
        data_is_ref_ = false;
    }
    return true;
}

bool SseFramer::line(std::string_view l, bool in_chunk, const Sink& sink) {
    if (l.empty()) return dispatch(sink);
    if (l.front() == ':') return true;  // comment, e.g. a ": ping" heartbeat
    std::string_view name = l, value;
    if (auto colon = l.find(':'); colon != std::string_view::npos) {
        name = l.substr(0, colon);
        value = l.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    }
    if (name == "data") {
        if (!has_data_) {
            has_data_ = true;
            if (in_chunk) {
                data_ref_ = value;
                data_is_ref_ = true;
            } else {
                data_.assign(value);
            }
        } else {
            if (data_is_ref_) {
                data_.assign(data_ref_);
                data_ref_ = {};
                data_is_ref_ = false;
            }
            data_.push_back('\n');
            data_.append(value);
        }
    } else if (name == "event") {
        event_.assign(value);
    } else if (name == "id") {
        if (value.find('\0') == std::string_view::npos) id_.assign(value);
    }
    // "retry" and unknown field names are ignored: a gateway has no reconnection to time.
    if (held_bytes() > max_event_bytes_) {
        overflowed_ = true;
        return false;
    }
    return true;
}

bool SseFramer::dispatch(const Sink& sink) {
    if (!has_data_) {  // spec: no data, no event; the event type buffer is reset all the same
        event_.clear();
        return true;
    }
    SseEvent ev{event_, data_is_ref_ ? data_ref_ : std::string_view(data_), id_};
    bool ok = sink(ev);
    event_.clear();
    release_if_large(data_);
    data_ref_ = {};
    data_is_ref_ = false;
    has_data_ = false;
    if (!ok) stopped_ = true;
    return ok;
}

bool SseFramer::finish(const Sink& /*sink*/) {
    bool partial_line = !pending_.empty() && pending_.front() != ':';
    bool partial_bom = !bom_done_ && bom_matched_ > 0;
    bool clean = !stopped_ && !overflowed_ && !has_data_ && event_.empty() && !partial_line && !partial_bom;
    // Ready for another stream.
    release_if_large(pending_);
    release_if_large(data_);
    event_.clear();
    id_.clear();
    data_ref_ = {};
    data_is_ref_ = has_data_ = last_was_cr_ = overflowed_ = stopped_ = bom_done_ = false;
    bom_matched_ = 0;
    return clean;
}

}  // namespace nexus::net
