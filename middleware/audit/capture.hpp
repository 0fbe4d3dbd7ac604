// Bounded capture of prompt and response text for the audit record: at most `max_bytes` in
// all, cut at a UTF-8 character boundary, with a flag when something was left out.
#pragma once

#include "record.hpp"

#include <string_view>

namespace nexus::audit {

class TextCapture {
public:
    explicit TextCapture(size_t max_bytes) : max_(max_bytes) {}
    // Appends to part `index` (a message text, or a streamed choice), creating it if needed.
    void append(size_t index, std::string_view text);
    const CapturedText& text() const { return out_; }
    bool empty() const { return out_.parts.empty(); }

private:
    size_t max_;
    size_t used_ = 0;
    CapturedText out_;
};

}  // namespace nexus::audit
