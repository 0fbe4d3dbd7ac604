#include "config/units.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

namespace nexus::config {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Leading decimal digits of `text` as a number; advances `pos`. nullopt on no digits / overflow.
std::optional<uint64_t> leading_number(std::string_view text, size_t& pos) {
    size_t start = pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos;
    if (pos == start) return std::nullopt;
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data() + start, text.data() + pos, value);
    if (ec != std::errc() || end != text.data() + pos) return std::nullopt;
    return value;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(x) == std::tolower(y); });
}

std::optional<uint64_t> checked_mul(uint64_t a, uint64_t b, uint64_t limit) {
    if (b != 0 && a > limit / b) return std::nullopt;
    return a * b;
}

bool valid_port(std::string_view digits, uint16_t& port) {
    if (digits.empty() || digits.size() > 5 || !std::all_of(digits.begin(), digits.end(), is_digit)) return false;
    unsigned value = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (value > 65535) return false;
    port = uint16_t(value);
    return true;
}

bool host_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == '~' || c == '%';
}

bool valid_ipv6_literal(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.' || c == '%';
    }) && s.find(':') != std::string_view::npos;
}

// "host", "host:port", "[v6]", "[v6]:port" (a URL's authority without userinfo).
bool valid_host_port(std::string_view hp, bool port_required, ListenAddress* out) {
    std::string_view host, port;
    bool has_port = false;
    if (!hp.empty() && hp.front() == '[') {
        size_t close = hp.find(']');
        if (close == std::string_view::npos) return false;
        host = hp.substr(1, close - 1);
        if (!valid_ipv6_literal(host)) return false;
        std::string_view rest = hp.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return false;
            port = rest.substr(1);
            has_port = true;
        }
    } else {
        size_t colon = hp.find(':');
        host = hp.substr(0, colon);
        if (colon != std::string_view::npos) {
            port = hp.substr(colon + 1);
            has_port = true;
        }
        if (!std::all_of(host.begin(), host.end(), host_name_char)) return false;
    }
    if (port_required && !has_port) return false;
    uint16_t port_number = 0;
    if (has_port && !valid_port(port, port_number)) return false;
    if (out) {
        out->host = std::string(host);
        out->port = port_number;
    }
    return true;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    size_t pos = 0;
    auto number = leading_number(text, pos);
    if (!number) return std::nullopt;
    std::string_view unit = text.substr(pos);
    uint64_t per_unit = 0;
    if (unit.empty() || unit == "s") per_unit = 1000;
    else if (unit == "ms") per_unit = 1;
    else if (unit == "m") per_unit = 60'000;
    else if (unit == "h") per_unit = 3'600'000;
    else return std::nullopt;
    // A year of milliseconds is far beyond any sensible timeout; the limit keeps arithmetic safe.
    auto ms = checked_mul(*number, per_unit, uint64_t(1) << 45);
    if (!ms) return std::nullopt;
    return std::chrono::milliseconds(int64_t(*ms));
}

std::string format_duration(std::chrono::milliseconds d) {
    int64_t ms = d.count();
    if (ms != 0 && ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
    if (ms != 0 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
    if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
    return std::to_string(ms) + "ms";
}

std::optional<size_t> parse_size(std::string_view text) {
    size_t pos = 0;
    auto number = leading_number(text, pos);
    if (!number) return std::nullopt;
    std::string_view unit = text.substr(pos);
    if (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
    struct Unit {
        std::string_view name;
        uint64_t factor;
    };
    static constexpr Unit units[] = {
        {"", 1},          {"b", 1},
        {"kb", 1000},     {"mb", 1000'000},       {"gb", 1000'000'000},       {"tb", 1000'000'000'000},
        {"kib", 1u << 10}, {"mib", 1u << 20},     {"gib", uint64_t(1) << 30}, {"tib", uint64_t(1) << 40},
    };
    if (text.size() > pos && unit.empty()) return std::nullopt;  // a lone trailing space
    for (const auto& u : units) {
        if (!iequals(unit, u.name)) continue;
        auto bytes = checked_mul(*number, u.factor, std::numeric_limits<size_t>::max());
        if (!bytes) return std::nullopt;
        return size_t(*bytes);
    }
    return std::nullopt;
}

std::string format_size(size_t bytes) {
    struct Unit {
        const char* name;
        size_t factor;
    };
    static constexpr Unit units[] = {{"TiB", size_t(1) << 40}, {"GiB", size_t(1) << 30}, {"MiB", size_t(1) << 20},
                                     {"KiB", size_t(1) << 10}};
    for (const auto& u : units)
        if (bytes != 0 && bytes % u.factor == 0) return std::to_string(bytes / u.factor) + u.name;
    return std::to_string(bytes);
}

std::optional<ListenAddress> parse_listen(std::string_view text) {
    if (text.empty()) return std::nullopt;
    if (text.front() != '[' && std::count(text.begin(), text.end(), ':') > 1) return std::nullopt;  // bare IPv6
    ListenAddress out;
    if (!valid_host_port(text, true, &out)) return std::nullopt;
    if (out.host.empty()) out.host = "0.0.0.0";
    return out;
}

std::string format_listen(const std::string& host, uint16_t port) {
    if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
    return host + ":" + std::to_string(port);
}

bool is_http_url(std::string_view text) {
    size_t sep = text.find("://");
    if (sep == std::string_view::npos) return false;
    std::string_view scheme = text.substr(0, sep);
    if (!iequals(scheme, "http") && !iequals(scheme, "https")) return false;
    std::string_view rest = text.substr(sep + 3);
    std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    size_t at = authority.rfind('@');
    if (at != std::string_view::npos) authority.remove_prefix(at + 1);
    ListenAddress parsed;
    return valid_host_port(authority, false, &parsed) && !parsed.host.empty();
}

std::string mask_url_password(std::string_view text) {
    size_t sep = text.find("://");
    if (sep == std::string_view::npos) return std::string(text);
    size_t start = sep + 3;
    size_t end = text.find_first_of("/?#", start);
    if (end == std::string_view::npos) end = text.size();
    size_t at = text.rfind('@', end - 1);
    if (at == std::string_view::npos || at < start) return std::string(text);
    size_t colon = text.find(':', start);
    if (colon == std::string_view::npos || colon > at || colon + 1 == at) return std::string(text);
    return std::string(text.substr(0, colon + 1)) + "****" + std::string(text.substr(at));
}

}  // namespace nexus::config
