#include "scanner.hpp"

#include <algorithm>
#include <iterator>
#include <map>

namespace nexus::sanitize {

namespace {

void find_custom(const std::regex& re, std::string_view text, std::vector<Span>& out) {
    size_t line = 0;
    while (line <= text.size()) {
        size_t nl = text.find('\n', line);
        if (nl == std::string_view::npos) nl = text.size();
        const char* b = text.data() + line;
        const char* e = text.data() + nl;
        for (std::cregex_iterator it(b, e, re), end; it != end; ++it) {
            if (it->length(0) == 0) continue;
            size_t s = line + size_t(it->position(0));
            out.push_back({s, s + size_t(it->length(0))});
        }
        line = nl + 1;
    }
}

// Accepted spans by start; a new span is kept when it overlaps none of them.
class Claims {
public:
    bool claim(size_t b, size_t e) {
        auto next = taken_.lower_bound(b);
        if (next != taken_.end() && next->first < e) return false;
        if (next != taken_.begin() && std::prev(next)->second > b) return false;
        taken_.emplace(b, e);
        return true;
    }

private:
    std::map<size_t, size_t> taken_;
};

// A built-in detector that needs a character the text lacks cannot match. One pass finds out,
// and spares the six detectors that need a digit on prose without one, ipv6 on text without ':'.
struct Present {
    bool digit = false;
    bool colon = false;
};

Present present_in(std::string_view text) {
    Present p;
    for (char c : text) {
        p.digit |= c >= '0' && c <= '9';
        p.colon |= c == ':';
    }
    return p;
}

bool may_match(Detector d, const Present& p) {
    switch (d) {
        case Detector::iban:
        case Detector::credit_card:
        case Detector::ssn:
        case Detector::ipv4:
        case Detector::phone:
        case Detector::secret: return p.digit;
        case Detector::ipv6: return p.colon;
        default: return true;
    }
}

}  // namespace

std::vector<Finding> scan(const Config& cfg, std::string_view text) {
    std::vector<Finding> out;
    if (text.empty()) return out;
    Claims claims;
    std::vector<Span> spans;
    const Present present = present_in(text);
    for (const Rule& r : cfg.rules) {
        spans.clear();
        if (r.builtin && !may_match(*r.builtin, present)) continue;
        if (r.builtin) find(*r.builtin, text, cfg.detector, spans);
        else find_custom(*r.pattern, text, spans);
        for (const Span& s : spans)
            if (claims.claim(s.begin, s.end)) out.push_back({s.begin, s.end, &r});
    }
    std::sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) { return a.begin < b.begin; });
    return out;
}

}  // namespace nexus::sanitize
