#include "bypass.hpp"

#include <algorithm>
#include <cctype>

namespace nexus::cache {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

bool wants_bypass(std::optional<std::string_view> cache_control, std::optional<std::string_view> x_nexus_cache) {
    if (x_nexus_cache && iequals(trim(*x_nexus_cache), "bypass")) return true;
    if (!cache_control) return false;
    std::string_view rest = *cache_control;
    while (!rest.empty()) {
        size_t comma = rest.find(',');
        std::string_view directive = trim(rest.substr(0, comma));
        directive = directive.substr(0, directive.find('='));  // no-cache="field" still means no-cache
        if (iequals(trim(directive), "no-cache")) return true;
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return false;
}

}  // namespace nexus::cache
