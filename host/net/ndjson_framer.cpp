// Newline-delimited JSON (one document per line, as Ollama streams): LF or CRLF line ends.
#include "net/stream_framers.hpp"

#include <cstring>

namespace nexus::net {

namespace {
bool blank(std::string_view l) {
    for (char c : l)
        if (c != ' ' && c != '\t' && c != '\r') return false;
    return true;
}
}  // namespace

bool NdjsonFramer::deliver(std::string_view line, const Sink& sink) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > max_line_bytes_) {
        overflowed_ = true;
        return false;
    }
    if (blank(line)) return true;
    if (!sink(line)) {
        stopped_ = true;
        return false;
    }
    return true;
}

bool NdjsonFramer::feed(std::string_view bytes, const Sink& sink) {
    if (stopped_ || overflowed_) return false;
    const char* base = bytes.data();
    const size_t n = bytes.size();
    size_t pos = 0;
    while (pos < n) {
        const void* lf = std::memchr(base + pos, '\n', n - pos);
        if (!lf) {
            // +1 leaves room for the CR of a CRLF that deliver() strips.
            if (pending_.size() + (n - pos) > max_line_bytes_ + 1) {
                overflowed_ = true;
                return false;
            }
            pending_.append(base + pos, n - pos);
            break;
        }
        size_t end = size_t(static_cast<const char*>(lf) - base);
        bool ok;
        if (pending_.empty()) {
            ok = deliver(std::string_view(base + pos, end - pos), sink);
        } else {
            if (pending_.size() + (end - pos) > max_line_bytes_ + 1) {
                overflowed_ = true;
                return false;
            }
            pending_.append(base + pos, end - pos);
            ok = deliver(pending_, sink);
            pending_.clear();
        }
        if (!ok) return false;
        pos = end + 1;
    }
    return true;
}

bool NdjsonFramer::finish(const Sink& sink) {
    if (stopped_ || overflowed_) return false;
    bool ok = pending_.empty() || deliver(pending_, sink);
    pending_.clear();
    return ok;
}

}  // namespace nexus::net
