// Relaying an upstream's own SSE bytes (same wire): only whole events go to the client, so
// that the error event the gateway writes after a failure never lands inside a half-sent one
// (which a client's SSE parser would glue into one broken event).
#pragma once

#include <string>
#include <string_view>

namespace nexus::core {

class WholeEvents {
public:
    // Appends `data`; returns the bytes up to the end of the last complete event so far
    // (empty when none completed). An event ends with a blank line (CRLF, LF or CR).
    std::string take(std::string_view data);
    // The unfinished event held back: written as it is when the upstream ended cleanly.
    std::string rest();
    void clear();

private:
    std::string buf_;
    bool line_start_ = true;  // the next byte starts a line
    bool after_cr_ = false;   // the last byte was CR (a following LF belongs to it)
};

}  // namespace nexus::core
