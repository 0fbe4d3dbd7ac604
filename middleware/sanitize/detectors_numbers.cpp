// Phone numbers, payment cards, IBANs and US social security numbers.
#include "char_class.hpp"
#include "checksums.hpp"
#include "detectors.hpp"

#include <algorithm>
#include <string>

namespace nexus::sanitize {

namespace {

// A run of digit groups joined by single separators, as phone numbers are written:
// "+44 20 7946 0958", "(555) 123-4567", "+1 (555) 123.4567".
struct PhoneShape {
    size_t end = 0;
    int digits = 0;
    int groups = 0;
    int longest_group = 0;
    bool plus = false;
    bool paren = false;
    bool dots = false, other_seps = false;
    char first_digit = 0;
};

bool parse_phone(std::string_view t, size_t i, PhoneShape& s) {
    size_t j = i;
    if (t[j] == '+') {
        s.plus = true;
        ++j;
    }
    for (;;) {
        bool open = false;
        if (at(t, j) == '(' && !s.paren) {
            open = true;
            ++j;
        }
        size_t g = j;
        while (j < t.size() && is_digit(t[j])) ++j;
        int len = int(j - g);
        if (len == 0) return false;
        if (!s.first_digit) s.first_digit = t[g];
        s.digits += len;
        ++s.groups;
        s.longest_group = std::max(s.longest_group, len);
        if (s.digits > 15) return false;  // E.164 numbers have at most 15 digits
        if (open) {
            if (at(t, j) != ')' || len > 5) return false;
            ++j;
            s.paren = true;
            if (is_digit(at(t, j))) continue;
            if (is_in(at(t, j), " -") && is_digit(at(t, j + 1))) {
                s.other_seps = true;
                ++j;
                continue;
            }
            return false;  // a number does not end with its area code
        }
        char sep = at(t, j);
        bool next_group = is_digit(at(t, j + 1)) || (at(t, j + 1) == '(' && !s.paren && is_digit(at(t, j + 2)));
        if (is_in(sep, " -.") && next_group) {
            (sep == '.' ? s.dots : s.other_seps) = true;
            ++j;
            continue;
        }
        break;
    }
    s.end = j;
    return !is_alnum(at(t, j));
}

bool looks_like_phone(const PhoneShape& s) {
    if (s.dots && s.other_seps) return false;
    if (s.plus) return s.digits >= 8 && s.digits <= 15;
    // National formats: 10 or 11 digits written in groups ("555-123-4567", "020 7946 0958",
    // "01 23 45 67 89", "1-800-555-0199"); a bare run of digits is not taken for a phone.
    if (s.digits < 10 || s.digits > 11 || s.groups < 2 || s.longest_group > 6) return false;
    if (s.digits == 11 && s.first_digit != '0' && s.first_digit != '1') return false;
    if (s.groups == 2 && !s.paren && s.first_digit != '0') return false;
    return true;
}

}  // namespace

void find_phones(std::string_view t, std::vector<Span>& out) {
    for (size_t i = 0; i < t.size(); ++i) {
        char c = t[i];
        bool start = is_digit(c) || ((c == '+' || c == '(') && is_digit(at(t, i + 1)));
        if (!start || !number_may_start_after(before(t, i))) continue;
        if (c == '(' && before(t, i) == '(') continue;
        PhoneShape s;
        if (parse_phone(t, i, s) && looks_like_phone(s)) {
            out.push_back({i, s.end});
            i = s.end;
        }
        // Otherwise the next position is tried: parsing stops after 16 digits, so this stays linear.
    }
}

void find_credit_cards(std::string_view t, std::vector<Span>& out) {
    for (size_t i = 0; i < t.size(); ++i) {
        if (!is_digit(t[i]) || !number_may_start_after(before(t, i))) continue;
        // Digit groups joined by one kind of separator (space or dash), up to 20 digits.
        struct Group {
            size_t end;
            int len;
        };
        Group groups[20];
        int n = 0, total = 0;
        char sep = 0;
        size_t j = i;
        while (n < 20) {
            size_t g = j;
            while (j < t.size() && is_digit(t[j]) && total + int(j - g) <= 19) ++j;
            int len = int(j - g);
            if (is_digit(at(t, j))) break;  // more than 19 digits: not (only) a card
            groups[n++] = {j, len};
            total += len;
            char s = at(t, j);
            if ((s == ' ' || s == '-') && (sep == 0 || sep == s) && is_digit(at(t, j + 1)) && total < 19) {
                sep = s;
                ++j;
                continue;
            }
            break;
        }
        // The longest prefix of whole groups that is a card number.
        bool found = false;
        for (int k = n; k-- > 0 && !found;) {
            int digits = 0;
            bool shaped = true;
            for (int g = 0; g <= k; ++g) {
                digits += groups[g].len;
                if (k > 0 && g < k && (groups[g].len < 3 || groups[g].len > 6)) shaped = false;
            }
            if (!shaped || digits < 13 || digits > 19 || (k == 0 && n > 1 && groups[0].len < 13)) continue;
            size_t end = groups[k].end;
            if (is_alnum(at(t, end)) || (k == n - 1 && is_digit(at(t, end)))) continue;
            std::string number;
            for (size_t p = i; p < end; ++p)
                if (is_digit(t[p])) number += t[p];
            if (number[0] < '2' || number[0] > '6' || !luhn_valid(number)) continue;
            out.push_back({i, end});
            i = end;
            found = true;
        }
        if (!found) {
            // Skip the rest of this digit group: no card starts inside it.
            while (i + 1 < t.size() && is_digit(t[i + 1])) ++i;
        }
    }
}

void find_ibans(std::string_view t, std::vector<Span>& out) {
    for (size_t i = 0; i + 4 <= t.size(); ++i) {
        if (!is_upper(t[i]) || !is_upper(t[i + 1]) || !is_digit(t[i + 2]) || !is_digit(t[i + 3])) continue;
        if (is_alnum(before(t, i))) continue;
        size_t len = iban_length(t.substr(i, 2));
        if (len == 0) continue;
        std::string compact;
        size_t j = i;
        while (compact.size() < len && j < t.size()) {
            char c = t[j];
            if (is_upper(c) || is_digit(c)) {
                compact += c;
                ++j;
            } else if (c == ' ' && compact.size() % 4 == 0 && (is_upper(at(t, j + 1)) || is_digit(at(t, j + 1)))) {
                ++j;  // the print form groups by four: "DE89 3704 0044 0532 0130 00"
            } else {
                break;
            }
        }
        if (compact.size() != len || is_alnum(at(t, j)) || !iban_checksum_valid(compact)) continue;
        out.push_back({i, j});
        i = j - 1;
    }
}

void find_ssns(std::string_view t, std::vector<Span>& out) {
    for (size_t i = 0; i + 11 <= t.size(); ++i) {
        if (!is_digit(t[i]) || !number_may_start_after(before(t, i))) continue;
        auto digits = [&](size_t p, size_t n) {
            int v = 0;
            for (size_t k = 0; k < n; ++k) {
                if (!is_digit(t[p + k])) return -1;
                v = v * 10 + (t[p + k] - '0');
            }
            return v;
        };
        char sep = t[i + 3];
        if ((sep != '-' && sep != ' ') || t[i + 6] != sep) continue;
        int area = digits(i, 3), group = digits(i + 4, 2), serial = digits(i + 7, 4);
        if (area < 0 || group < 0 || serial < 0) continue;
        size_t end = i + 11;
        if (is_alnum(at(t, end)) || (at(t, end) == sep && is_digit(at(t, end + 1)))) continue;
        if (!ssn_valid(area, group, serial)) continue;
        out.push_back({i, end});
        i = end;
    }
}

}  // namespace nexus::sanitize
