#include "credentials.hpp"

#include <cctype>

namespace nexus::auth {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

void add(std::vector<std::string_view>& out, std::string_view key) {
    key = trim(key);
    if (!key.empty() && key.size() <= kMaxPresentedKey) out.push_back(key);
}

}  // namespace

std::vector<std::string_view> presented_keys(std::optional<std::string_view> authorization,
                                             std::optional<std::string_view> x_api_key) {
    std::vector<std::string_view> out;
    if (authorization) {
        std::string_view v = trim(*authorization);
        constexpr std::string_view kScheme = "bearer";
        bool bearer = v.size() > kScheme.size() && (v[kScheme.size()] == ' ' || v[kScheme.size()] == '\t');
        for (size_t i = 0; bearer && i < kScheme.size(); ++i)
            bearer = std::tolower(static_cast<unsigned char>(v[i])) == kScheme[i];  // RFC 9110: scheme is case-insensitive
        if (bearer) add(out, v.substr(kScheme.size()));
    }
    if (x_api_key) add(out, *x_api_key);
    return out;
}

}  // namespace nexus::auth
