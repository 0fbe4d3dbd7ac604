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
    std::string_view id;     // `id:` field, empty when absent
};

// WHATWG SSE parsing: LF, CR or CRLF line ends; `:` comments ignored; one leading space
// after the colon stripped; multi-line data joined by '\n'; an event is dispatched on a
// blank line; an event with no data lines is not dispatched.
class SseFramer {
public:
    using Sink = std::function<bool(const SseEvent&)>;  // return false to stop
    explicit SseFramer(size_t max_event_bytes = 16u << 20) : max_event_bytes_(max_event_bytes) {}
    // Returns false when the sink asked to stop or an event exceeded the size limit.
    bool feed(std::string_view bytes, const Sink& sink);
    // At EOF: true when no partial event is pending (a stream cut mid-event returns false).
    bool finish(const Sink& sink);
    bool overflowed() const { return overflowed_; }

private:
    bool line(std::string_view l, const Sink& sink);
    size_t max_event_bytes_;
    std::string pending_;  // bytes of an incomplete line
    std::string event_, data_, id_;
    bool has_data_ = false;
    bool last_was_cr_ = false;
    bool overflowed_ = false;
};

// One JSON document per line; blank lines skipped; LF or CRLF.
class NdjsonFramer {
public:
    using Sink = std::function<bool(std::string_view line)>;
    explicit NdjsonFramer(size_t max_line_bytes = 16u << 20) : max_line_bytes_(max_line_bytes) {}
    bool feed(std::string_view bytes, const Sink& sink);
    // A final line without a newline is delivered; returns true.
    bool finish(const Sink& sink);
    bool overflowed() const { return overflowed_; }

private:
    size_t max_line_bytes_;
    std::string pending_;
    bool overflowed_ = false;
};

}  // namespace nexus::net
