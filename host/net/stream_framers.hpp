// Incremental framers for streamed upstream bodies: Server-Sent Events and NDJSON.
// Pure byte logic (no I/O): fed arbitrary chunk boundaries, they emit whole events.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace nexus::net {

struct SseEvent {
    std::string_view event;  // `event:` field, empty when absent
    std::string_view data;   // data lines joined by '\n'
    std::string_view id;     // last `id:` seen on the stream (it persists across events, per spec)
};

// WHATWG SSE parsing: LF, CR or CRLF line ends; `:` comments ignored; one leading space
// after the colon stripped; multi-line data joined by '\n'; an event is dispatched on a
// blank line; an event with no data lines is not dispatched. A leading UTF-8 BOM is skipped.
// Views in SseEvent are valid only during the sink call.
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
class SseFramer {
public:
    using Sink = std::function<bool(const SseEvent&)>;  // return false to stop
    explicit SseFramer(size_t max_event_bytes = 16u << 20) : max_event_bytes_(max_event_bytes) {}
    // Returns false when the sink asked to stop or an event exceeded the size limit; after
    // that the framer is finished and every later feed() returns false.
    bool feed(std::string_view bytes, const Sink& sink);
    // At EOF: true when no partial event is pending (a stream cut mid-event returns false).
    // As the spec says, a partial event is discarded, never dispatched.
    bool finish(const Sink& sink);
    bool overflowed() const { return overflowed_; }

private:
    // `in_chunk`: l points into the caller's chunk (valid until feed returns), not pending_.
    bool line(std::string_view l, bool in_chunk, const Sink& sink);
    bool dispatch(const Sink& sink);
    bool strip_bom(std::string_view& bytes);
    size_t held_bytes() const { return pending_.size() + data_.size() + data_ref_.size() + event_.size() + id_.size(); }
    size_t max_event_bytes_;
    std::string pending_;  // bytes of an incomplete line
    std::string event_, data_, id_;
    // A single data line still inside the current chunk is referenced, not copied; it is
    // copied into data_ before feed() returns or when a second data line arrives.
    std::string_view data_ref_;
    bool data_is_ref_ = false;
    bool has_data_ = false;
    bool last_was_cr_ = false;
    bool overflowed_ = false;
    bool stopped_ = false;        // the sink returned false; the framer is finished
    unsigned bom_matched_ = 0;    // bytes of a leading UTF-8 BOM seen so far
    bool bom_done_ = false;       // the stream start is behind us
};

// One JSON document per line; blank lines skipped; LF or CRLF.
class NdjsonFramer {
public:
    using Sink = std::function<bool(std::string_view line)>;
    explicit NdjsonFramer(size_t max_line_bytes = 16u << 20) : max_line_bytes_(max_line_bytes) {}
    // Returns false when the sink asked to stop or a line exceeded the size limit.
    bool feed(std::string_view bytes, const Sink& sink);
    // A final line without a newline is delivered; returns true unless the sink stopped.
    bool finish(const Sink& sink);
    bool overflowed() const { return overflowed_; }

private:
    bool deliver(std::string_view line, const Sink& sink);
    size_t max_line_bytes_;
    std::string pending_;
    bool overflowed_ = false;
    bool stopped_ = false;  // the sink returned false; the framer is finished
};

}  // namespace nexus::net
