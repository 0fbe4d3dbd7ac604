#include "config/yaml_scalar.hpp"

#include <charconv>
#include <regex>

namespace nexus::config {
namespace {

bool is_null(std::string_view t) { return t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL"; }

bool is_bool(std::string_view t) {
    return t == "true" || t == "True" || t == "TRUE" || t == "false" || t == "False" || t == "FALSE";
}

bool all_of_set(std::string_view t, std::string_view set) {
    return !t.empty() && t.find_first_not_of(set) == std::string_view::npos;
}

bool is_int(std::string_view t) {
    if (t.size() > 2 && (t.substr(0, 2) == "0x")) return all_of_set(t.substr(2), "0123456789abcdefABCDEF");
    if (t.size() > 2 && (t.substr(0, 2) == "0o")) return all_of_set(t.substr(2), "01234567");
    if (!t.empty() && (t[0] == '-' || t[0] == '+')) t.remove_prefix(1);
    return all_of_set(t, "0123456789");
}

bool is_float(std::string_view t) {
    static const std::regex pattern(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
    return std::regex_match(t.begin(), t.end(), pattern);
}

}  // namespace

ScalarKind plain_scalar_kind(std::string_view text) {
    if (is_null(text)) return ScalarKind::Null;
    if (is_bool(text)) return ScalarKind::Bool;
    if (is_int(text)) return ScalarKind::Int;
    if (is_float(text)) return ScalarKind::Float;
    return ScalarKind::String;
}

std::variant<std::monostate, int64_t, uint64_t> parse_yaml_int(std::string_view t) {
    int base = 10;
    if (t.size() > 2 && (t.substr(0, 2) == "0x" || t.substr(0, 2) == "0o")) {
        base = t[1] == 'x' ? 16 : 8;
        t.remove_prefix(2);
    } else if (!t.empty() && t[0] == '+') {
        t.remove_prefix(1);
    }
    const char* first = t.data();
    const char* last = t.data() + t.size();
    int64_t signed_value = 0;
    auto r = std::from_chars(first, last, signed_value, base);
    if (r.ec == std::errc() && r.ptr == last) return signed_value;
    uint64_t unsigned_value = 0;
    r = std::from_chars(first, last, unsigned_value, base);
    if (r.ec == std::errc() && r.ptr == last) return unsigned_value;
    return std::monostate{};
}

}  // namespace nexus::config
