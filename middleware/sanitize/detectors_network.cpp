// Email addresses, IPv4 and IPv6 addresses.
#include "char_class.hpp"
#include "detectors.hpp"

#include <arpa/inet.h>

#include <algorithm>

#include <string>

namespace nexus::sanitize {

namespace {

bool is_local_char(char c) { return is_alnum(c) || is_in(c, "._%+-"); }
bool is_domain_char(char c) { return is_alnum(c) || c == '.' || c == '-'; }

// host.example.co.uk: labels of letters, digits and inner hyphens; a top-level label of at
// least two letters.
bool valid_domain(std::string_view d) {
    size_t labels = 0, start = 0;
    while (start <= d.size()) {
        size_t dot = d.find('.', start);
        if (dot == std::string_view::npos) dot = d.size();
        std::string_view label = d.substr(start, dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        ++labels;
        if (dot == d.size()) {
            if (labels < 2 || label.size() < 2) return false;
            for (char c : label)
                if (!is_alpha(c)) return false;
            return true;
        }
        start = dot + 1;
    }
    return false;
}

}  // namespace

void find_emails(std::string_view t, std::vector<Span>& out) {
    size_t resume = 0;  // matches never overlap: the next one starts after the last
    for (size_t at_pos = t.find('@'); at_pos != std::string_view::npos; at_pos = t.find('@', at_pos + 1)) {
        size_t b = at_pos;
        while (b > resume && is_local_char(t[b - 1])) --b;
        while (b < at_pos && t[b] == '.') ++b;
        if (b == at_pos || at_pos - b > 64) continue;
        size_t e = at_pos + 1;
        while (e < t.size() && is_domain_char(t[e])) ++e;
        while (e > at_pos + 1 && (t[e - 1] == '.' || t[e - 1] == '-')) --e;
        if (!valid_domain(t.substr(at_pos + 1, e - at_pos - 1))) continue;
        out.push_back({b, e});
        resume = e;
    }
}

namespace {

// One dotted-quad octet at `i`: 0-255 without leading zeros. Returns the end or npos.
size_t octet(std::string_view t, size_t i) {
    size_t e = i;
    int v = 0;
    while (e < t.size() && is_digit(t[e]) && e - i < 3) v = v * 10 + (t[e++] - '0');
    if (e == i || v > 255 || (e - i > 1 && t[i] == '0')) return std::string_view::npos;
    if (e < t.size() && is_digit(t[e])) return std::string_view::npos;
    return e;
}

}  // namespace

void find_ipv4(std::string_view t, std::vector<Span>& out) {
    for (size_t i = 0; i < t.size(); ++i) {
        if (!is_digit(t[i]) || is_alnum(before(t, i)) || is_in(before(t, i), ".:_")) continue;
        size_t e = i;
        bool ok = true;
        for (int k = 0; k < 4 && ok; ++k) {
            if (k > 0) {
                if (at(t, e) != '.') ok = false;
                else ++e;
            }
            if (ok) {
                e = octet(t, e);
                ok = e != std::string_view::npos;
            }
        }
        if (!ok) continue;
        // Not the start of a longer dotted number ("1.2.3.4.5") or a word.
        if (is_alnum(at(t, e)) || (at(t, e) == '.' && is_digit(at(t, e + 1)))) continue;
        out.push_back({i, e});
        i = e;
    }
}

namespace {

bool valid_ipv6(std::string_view s) {
    if (s.size() < 3 || s.size() > 45) return false;
    // At least two non-empty groups, one of 3+ digits: "::1" is nobody's address, and
    // "d::" or "a::b" are more likely C++ than IPv6.
    size_t groups = 0, longest = 0;
    for (size_t i = 0; i < s.size();) {
        size_t j = i;
        while (j < s.size() && s[j] != ':') ++j;
        if (j > i) ++groups;
        longest = std::max(longest, j - i);
        i = j + 1;
    }
    if (groups < 2 || longest < 3) return false;
    std::string z(s);
    unsigned char buf[16];
    return inet_pton(AF_INET6, z.c_str(), buf) == 1;
}

}  // namespace

void find_ipv6(std::string_view t, std::vector<Span>& out) {
    for (size_t i = 0; i < t.size(); ++i) {
        char c = t[i];
        if (!(is_hex(c) || c == ':')) continue;
        char p = before(t, i);
        if (is_word(p) || is_in(p, ":.-")) continue;
        size_t e = i, colons = 0;
        while (e < t.size() && (is_hex(t[e]) || t[e] == ':' || t[e] == '.') && e - i < 46) colons += t[e++] == ':';
        size_t run_end = e;
        if (colons >= 2 && !is_word(at(t, e))) {
            // Sentence punctuation after an address: "at fe80::1." or "fe80::1:".
            while (e > i && (t[e - 1] == '.' || (t[e - 1] == ':' && !(e - i >= 2 && t[e - 2] == ':')))) --e;
            if (valid_ipv6(t.substr(i, e - i))) {
                out.push_back({i, e});
                i = e;
                continue;
            }
        }
        i = run_end;  // every position inside the run follows a hex digit, a colon or a dot
    }
}

}  // namespace nexus::sanitize
