#include "retry_hint.hpp"

#include "json_util.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <vector>

namespace nexus::openai {

namespace {

// A non-negative decimal number ("1", "1.5", "0.25"); nullopt otherwise.
std::optional<double> parse_decimal(std::string_view s) {
    s = trim(s);
    if (s.empty()) return std::nullopt;
    double int_part = 0, frac = 0, scale = 1;
    bool digits = false, dot = false;
    for (char c : s) {
        if (c == '.' && !dot) {
            dot = true;
        } else if (c >= '0' && c <= '9') {
            digits = true;
            if (dot) {
                scale /= 10;
                frac += (c - '0') * scale;
            } else {
                int_part = int_part * 10 + (c - '0');
            }
        } else {
            return std::nullopt;
        }
    }
    if (!digits) return std::nullopt;
    return int_part + frac;
}

int64_t ceil_ms(double ms) {
    constexpr double kMax = 1e15;  // ~31 000 years: anything above is nonsense, clamp it
    return int64_t(std::ceil(std::min(ms, kMax)));
}

// Days since 1970-01-01 of a civil date (proleptic Gregorian), H. Hinnant's algorithm.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int64_t(doe) - 719468;
}

int month_number(std::string_view name) {
    static constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
    if (name.size() != 3) return 0;
    std::string low;
    for (char c : name) low.push_back(char(std::tolower(static_cast<unsigned char>(c))));
    for (size_t i = 0; i < kMonths.size(); ++i)
        if (kMonths[i] == low) return int(i) + 1;
    return 0;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view s) {
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}

}  // namespace

std::optional<int64_t> parse_duration_ms(std::string_view s) {
    s = trim(s);
    if (s.empty()) return std::nullopt;
    if (s == "0") return 0;
    double total_ms = 0;
    while (!s.empty()) {
        size_t n = 0;
        while (n < s.size() && ((s[n] >= '0' && s[n] <= '9') || s[n] == '.')) ++n;
        if (n == 0) return std::nullopt;
        std::optional<double> value = parse_decimal(s.substr(0, n));
        if (!value) return std::nullopt;
        s.remove_prefix(n);
        size_t u = 0;
        while (u < s.size() && !((s[u] >= '0' && s[u] <= '9') || s[u] == '.')) ++u;
        std::string_view unit = s.substr(0, u);
        s.remove_prefix(u);
        double factor;
        if (unit == "h") factor = 3600e3;
        else if (unit == "m") factor = 60e3;
        else if (unit == "s") factor = 1e3;
        else if (unit == "ms") factor = 1;
        else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") factor = 1e-3;  // us, µs (two spellings)
        else if (unit == "ns") factor = 1e-6;
        else return std::nullopt;
        total_ms += *value * factor;
    }
    return ceil_ms(total_ms);
}

std::optional<int64_t> parse_http_date_ms(std::string_view s) {
    // Split on spaces, commas and dashes; the three forms then differ only in token order:
    //   IMF-fixdate  Sun, 06 Nov 1994 08:49:37 GMT
    //   RFC 850      Sunday, 06-Nov-94 08:49:37 GMT
    //   asctime      Sun Nov  6 08:49:37 1994
    std::vector<std::string_view> tokens;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '-')) ++i;
        size_t start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != ',' && s[i] != '-') ++i;
        if (i > start) tokens.push_back(s.substr(start, i - start));
    }
    int day = -1, month = 0, year = -1, hh = -1, mm = -1, ss = -1;
    for (std::string_view t : tokens) {
        if (t.size() == 8 && t[2] == ':' && t[5] == ':') {
            if (!all_digits(t.substr(0, 2)) || !all_digits(t.substr(3, 2)) || !all_digits(t.substr(6, 2))) return std::nullopt;
            hh = to_int(t.substr(0, 2));
            mm = to_int(t.substr(3, 2));
            ss = to_int(t.substr(6, 2));
        } else if (int m = month_number(t); m != 0) {
            month = m;
        } else if (all_digits(t) && t.size() <= 4) {
            if (day < 0 && t.size() <= 2) {
                day = to_int(t);
            } else if (year < 0) {
                year = to_int(t);
                if (t.size() == 2) year += year < 70 ? 2000 : 1900;  // RFC 850 two-digit years
            } else {
                return std::nullopt;
            }
        } else if (t != "GMT" && t != "UTC" && !std::isalpha(static_cast<unsigned char>(t[0]))) {
            return std::nullopt;  // a weekday name is fine; a numeric zone offset is not HTTP
        }
    }
    if (day < 1 || day > 31 || month == 0 || year < 1970 || hh < 0 || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
    int64_t days = days_from_civil(year, unsigned(month), unsigned(day));
    return ((days * 24 + hh) * 60 + mm) * 60000 + int64_t(ss) * 1000;
}

int64_t retry_after_ms(const sdk::HeaderView& headers, int status, std::string_view limit_type, int64_t now_unix_ms) {
    if (auto v = headers.get("retry-after-ms")) {
        if (auto ms = parse_decimal(*v)) return ceil_ms(*ms);
    }
    if (auto v = headers.get("retry-after")) {
        if (auto secs = parse_decimal(*v)) return ceil_ms(*secs * 1000);
        if (auto at = parse_http_date_ms(*v)) return std::max<int64_t>(0, *at - now_unix_ms);
    }
    if (status != 429) return -1;
    std::optional<int64_t> req, tok;
    if (auto v = headers.get("x-ratelimit-reset-requests")) req = parse_duration_ms(*v);
    if (auto v = headers.get("x-ratelimit-reset-tokens")) tok = parse_duration_ms(*v);
    if (limit_type == "requests" && req) return *req;
    if (limit_type == "tokens" && tok) return *tok;
    if (req && tok) return std::max(*req, *tok);
    if (req) return *req;
    if (tok) return *tok;
    return -1;
}

}  // namespace nexus::openai
