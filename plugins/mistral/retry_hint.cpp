#include "retry_hint.hpp"

#include "json_util.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

namespace nexus::mistral {

namespace {

int64_t ceil_ms(double ms) { return int64_t(std::ceil(std::min(ms, 1e15))); }

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
    return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int64_t(doe) - 719468;
}

std::optional<int> digits(std::string_view s) {
    if (s.empty()) return std::nullopt;
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

}  // namespace

std::optional<double> parse_seconds(std::string_view s) {
    s = trim(s);
    if (s.empty()) return std::nullopt;
    double value = 0, scale = 1;
    bool dot = false, any = false;
    for (char c : s) {
        if (c == '.' && !dot) {
            dot = true;
        } else if (c >= '0' && c <= '9') {
            any = true;
            if (dot) value += (c - '0') * (scale /= 10);
            else value = value * 10 + (c - '0');
        } else {
            return std::nullopt;
        }
    }
    return any ? std::optional<double>(value) : std::nullopt;
}

std::optional<int64_t> parse_imf_fixdate_ms(std::string_view s) {
    // "Sun, 06 Nov 1994 08:49:37 GMT": fixed positions after the weekday and comma.
    s = trim(s);
    size_t comma = s.find(", ");
    if (comma == std::string_view::npos) return std::nullopt;
    s.remove_prefix(comma + 2);
    if (s.size() != 24 || s[2] != ' ' || s[6] != ' ' || s[11] != ' ' || s[14] != ':' || s[17] != ':' || s.substr(20) != " GMT")
        return std::nullopt;
    static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    auto month = std::find(kMonths.begin(), kMonths.end(), s.substr(3, 3));
    auto day = digits(s.substr(0, 2)), year = digits(s.substr(7, 4));
    auto hh = digits(s.substr(12, 2)), mm = digits(s.substr(15, 2)), ss = digits(s.substr(18, 2));
    if (month == kMonths.end() || !day || !year || !hh || !mm || !ss) return std::nullopt;
    if (*day < 1 || *day > 31 || *hh > 23 || *mm > 59 || *ss > 60) return std::nullopt;
    int64_t days = days_from_civil(*year, unsigned(month - kMonths.begin() + 1), unsigned(*day));
    return ((days * 24 + *hh) * 60 + *mm) * 60000 + int64_t(*ss) * 1000;
}

int64_t retry_after_ms(const sdk::HeaderView& headers, int status, int64_t now_unix_ms) {
    if (auto v = headers.get("retry-after-ms"))
        if (auto ms = parse_seconds(*v)) return ceil_ms(*ms);
    if (auto v = headers.get("retry-after")) {
        if (auto secs = parse_seconds(*v)) return ceil_ms(*secs * 1000);
        if (auto when = parse_imf_fixdate_ms(*v)) return std::max<int64_t>(0, *when - now_unix_ms);
    }
    if (status != 429) return -1;
    int64_t best = -1;
    for (const nx_header& h : headers.all()) {
        if (!starts_with_nocase(sdk::to_sv(h.name), "x-ratelimit-reset")) continue;
        if (auto secs = parse_seconds(sdk::to_sv(h.value))) best = std::max(best, ceil_ms(*secs * 1000));
    }
    return best;
}

bool monthly_limit_exhausted(const sdk::HeaderView& headers) {
    for (std::string_view name : {"x-ratelimit-remaining-tokens-month", "x-ratelimit-remaining-req-month"}) {
        if (auto v = headers.get(name); v && trim(*v) == "0") return true;
    }
    return false;
}

}  // namespace nexus::mistral
