#include "core/whole_events.hpp"

namespace nexus::core {

std::string WholeEvents::take(std::string_view data) {
    const size_t scanned = buf_.size();
    buf_.append(data);
    size_t cut = 0;  // the end of the last whole event in buf_
    for (size_t i = scanned; i < buf_.size(); ++i) {
        const char c = buf_[i];
        if (c == '\n' && after_cr_) {  // the LF of a CRLF
            after_cr_ = false;
            if (cut == i) cut = i + 1;
            continue;
        }
        after_cr_ = c == '\r';
        if (c == '\r' || c == '\n') {
            if (line_start_) cut = i + 1;  // a blank line: the event is complete
            line_start_ = true;
        } else {
            line_start_ = false;
        }
    }
    if (cut == buf_.size()) {
        std::string out = std::move(buf_);
        buf_.clear();
        return out;
    }
    std::string out = buf_.substr(0, cut);
    buf_.erase(0, cut);
    return out;
}

std::string WholeEvents::rest() {
    std::string out = std::move(buf_);
    clear();
    return out;
}

void WholeEvents::clear() {
    buf_.clear();
    line_start_ = true;
    after_cr_ = false;
}

}  // namespace nexus::core
