#include "units.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

namespace nexus::mw {
namespace {

struct NumberAndUnit {
    uint64_t number = 0;
    std::string_view unit;
};

// Leading decimal digits, then an optional single space, then the rest as the unit.
std::optional<NumberAndUnit> split(std::string_view text) {
    size_t pos = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == 0) return std::nullopt;
    NumberAndUnit out;
    auto [end, ec] = std::from_chars(text.data(), text.data() + pos, out.number);
    if (ec != std::errc() || end != text.data() + pos) return std::nullopt;
    std::string_view rest = text.substr(pos);
    if (!rest.empty() && rest.front() == ' ') {
        rest.remove_prefix(1);
        if (rest.empty()) return std::nullopt;  // "300 " has no unit after its space
    }
    out.unit = rest;
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::optional<uint64_t> times(uint64_t a, uint64_t b) {
    if (b != 0 && a > std::numeric_limits<uint64_t>::max() / b) return std::nullopt;
    return a * b;
}

}  // namespace

std::optional<uint64_t> parse_duration_ms(std::string_view text) {
    auto nu = split(text);
    if (!nu) return std::nullopt;
    if (nu->unit.empty() || nu->unit == "s") return times(nu->number, 1000);
    if (nu->unit == "ms") return nu->number;
    if (nu->unit == "m") return times(nu->number, 60'000);
    if (nu->unit == "h") return times(nu->number, 3'600'000);
    if (nu->unit == "d") return times(nu->number, 86'400'000);
    return std::nullopt;
}

std::optional<uint64_t> parse_size_bytes(std::string_view text) {
    auto nu = split(text);
    if (!nu) return std::nullopt;
    struct Unit {
        const char* name;
        uint64_t factor;
    };
    static constexpr Unit kUnits[] = {{"", 1},          {"B", 1},           {"KB", 1000},       {"MB", 1000'000},
                                      {"GB", 1000'000'000}, {"KiB", 1u << 10}, {"MiB", 1u << 20}, {"GiB", 1u << 30}};
    for (const auto& u : kUnits)
        if (iequals(nu->unit, u.name)) return times(nu->number, u.factor);
    return std::nullopt;
}

}  // namespace nexus::mw
