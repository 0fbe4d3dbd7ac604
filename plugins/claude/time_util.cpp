#include "time_util.hpp"

#include "json_util.hpp"

#include <array>
#include <cctype>
#include <string>

namespace nexus::claude {

namespace {

// Days since 1970-01-01 of a civil date (proleptic Gregorian), H. Hinnant's algorithm.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int64_t(doe) - 719468;
}

// Reads exactly `n` digits at `pos`.
std::optional<int> digits(std::string_view s, size_t pos, size_t n) {
    if (pos + n > s.size()) return std::nullopt;
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool valid_civil(int year, int month, int day, int hh, int mm, int ss) {
    return year >= 1970 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hh <= 23 && mm <= 59 && ss <= 60;
}

int64_t to_ms(int year, int month, int day, int hh, int mm, int ss) {
    int64_t days = days_from_civil(year, unsigned(month), unsigned(day));
    return ((days * 24 + hh) * 60 + mm) * 60000 + int64_t(ss) * 1000;
}

}  // namespace

std::optional<double> parse_decimal(std::string_view s) {
    s = trim(s);
    if (s.empty()) return std::nullopt;
    double int_part = 0, frac = 0, scale = 1;
    bool any = false, dot = false;
    for (char c : s) {
        if (c == '.' && !dot) {
            dot = true;
        } else if (c >= '0' && c <= '9') {
            any = true;
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
    if (!any) return std::nullopt;
    return int_part + frac;
}

std::optional<int64_t> parse_rfc3339_ms(std::string_view s) {
    s = trim(s);
    // YYYY-MM-DDTHH:MM:SS
    auto year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
    auto hh = digits(s, 11, 2), mm = digits(s, 14, 2), ss = digits(s, 17, 2);
    if (!year || !month || !day || !hh || !mm || !ss) return std::nullopt;
    if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
        return std::nullopt;
    if (!valid_civil(*year, *month, *day, *hh, *mm, *ss)) return std::nullopt;
    int64_t ms = to_ms(*year, *month, *day, *hh, *mm, *ss);
    size_t pos = 19;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        double scale = 100, frac_ms = 0;
        size_t start = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            frac_ms += (s[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == start) return std::nullopt;
        ms += int64_t(frac_ms);
    }
    if (pos >= s.size()) return std::nullopt;  // the offset is required
    if (s[pos] == 'Z' || s[pos] == 'z') return pos + 1 == s.size() ? std::optional<int64_t>(ms) : std::nullopt;
    if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
    auto oh = digits(s, pos + 1, 2), om = digits(s, pos + 4, 2);
    if (!oh || !om || s.size() != pos + 6 || s[pos + 3] != ':' || *oh > 23 || *om > 59) return std::nullopt;
    int64_t offset_ms = (int64_t(*oh) * 60 + *om) * 60000;
    return s[pos] == '+' ? ms - offset_ms : ms + offset_ms;
}

std::optional<int64_t> parse_imf_fixdate_ms(std::string_view s) {
    // Sun, 06 Nov 1994 08:49:37 GMT
    s = trim(s);
    static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[19] != ':' ||
        s[22] != ':' || s[25] != ' ' || s.substr(26) != "GMT")
        return std::nullopt;
    int month = 0;
    for (size_t i = 0; i < kMonths.size(); ++i)
        if (kMonths[i] == s.substr(8, 3)) month = int(i) + 1;
    auto day = digits(s, 5, 2), year = digits(s, 12, 4), hh = digits(s, 17, 2), mm = digits(s, 20, 2),
         ss = digits(s, 23, 2);
    if (month == 0 || !day || !year || !hh || !mm || !ss) return std::nullopt;
    if (!valid_civil(*year, month, *day, *hh, *mm, *ss)) return std::nullopt;
    return to_ms(*year, month, *day, *hh, *mm, *ss);
}

}  // namespace nexus::claude
