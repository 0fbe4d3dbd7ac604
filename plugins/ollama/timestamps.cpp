#include "timestamps.hpp"

namespace nexus::ollama {

namespace {

std::optional<int> number(std::string_view s) {
    if (s.empty()) return std::nullopt;
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
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

}  // namespace

std::optional<int64_t> parse_rfc3339_seconds(std::string_view s) {
    // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
    if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' ||
        s[16] != ':')
        return std::nullopt;
    auto year = number(s.substr(0, 4)), month = number(s.substr(5, 2)), day = number(s.substr(8, 2));
    auto hh = number(s.substr(11, 2)), mm = number(s.substr(14, 2)), ss = number(s.substr(17, 2));
    if (!year || !month || !day || !hh || !mm || !ss) return std::nullopt;
    if (*month < 1 || *month > 12 || *day < 1 || *day > 31 || *hh > 23 || *mm > 59 || *ss > 60) return std::nullopt;
    std::string_view rest = s.substr(19);
    if (!rest.empty() && rest.front() == '.') {
        size_t n = 1;
        while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
        if (n == 1) return std::nullopt;
        rest.remove_prefix(n);
    }
    int64_t offset_s = 0;
    if (rest == "Z" || rest == "z") {
        offset_s = 0;
    } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
        auto oh = number(rest.substr(1, 2)), om = number(rest.substr(4, 2));
        if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
        offset_s = (*oh * 3600 + *om * 60) * (rest[0] == '-' ? -1 : 1);
    } else {
        return std::nullopt;
    }
    int64_t secs = days_from_civil(*year, unsigned(*month), unsigned(*day)) * 86400 + *hh * 3600 + *mm * 60 + *ss - offset_s;
    if (secs < 0) return std::nullopt;
    return secs;
}

}  // namespace nexus::ollama
