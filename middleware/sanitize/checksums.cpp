#include "checksums.hpp"

#include <array>
#include <cmath>
#include <cstdint>

namespace nexus::sanitize {

bool luhn_valid(std::string_view digits) {
    if (digits.empty()) return false;
    int sum = 0;
    bool twice = false;
    for (size_t i = digits.size(); i-- > 0;) {
        int d = digits[i] - '0';
        if (twice) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
        twice = !twice;
    }
    return sum % 10 == 0;
}

bool iban_checksum_valid(std::string_view iban) {
    if (iban.size() < 5) return false;
    // ISO 13616: move the first four characters to the end, letters become 10..35, and the
    // number must leave remainder 1 modulo 97. Computed digit by digit to stay in range.
    uint32_t rem = 0;
    auto feed = [&rem](char c) {
        if (c >= '0' && c <= '9') {
            rem = (rem * 10 + uint32_t(c - '0')) % 97;
        } else if (c >= 'A' && c <= 'Z') {
            uint32_t v = uint32_t(c - 'A' + 10);
            rem = (rem * 100 + v) % 97;
        } else {
            rem = 1000;  // marks an invalid character
        }
        return rem < 97;
    };
    for (size_t i = 4; i < iban.size(); ++i)
        if (!feed(iban[i])) return false;
    for (size_t i = 0; i < 4; ++i)
        if (!feed(iban[i])) return false;
    return rem == 1;
}

size_t iban_length(std::string_view country) {
    // SWIFT IBAN Registry (https://www.swift.com/standards/data-standards/iban), release 99.
    struct Entry {
        const char* cc;
        unsigned char len;
    };
    static constexpr Entry kLengths[] = {
        {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
        {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
        {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
        {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
        {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27},
        {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20},
        {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20}, {"MR", 27},
        {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24}, {"PL", 28},
        {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24}, {"SC", 31},
        {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28},
        {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
    };
    for (const auto& e : kLengths)
        if (country == e.cc) return e.len;
    return 0;
}

bool ssn_valid(int area, int group, int serial) {
    if (area <= 0 || area == 666 || area >= 900) return false;
    return group > 0 && serial > 0;
}

double shannon_entropy(std::string_view s) {
    if (s.empty()) return 0;
    std::array<size_t, 256> counts{};
    for (unsigned char c : s) ++counts[c];
    double h = 0;
    const double n = double(s.size());
    for (size_t c : counts) {
        if (!c) continue;
        double p = double(c) / n;
        h -= p * std::log2(p);
    }
    return h;
}

}  // namespace nexus::sanitize
