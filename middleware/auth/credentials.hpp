// The API key a client presents: `Authorization: Bearer <key>` (OpenAI clients) or
// `x-api-key: <key>` (Anthropic clients).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace nexus::auth {

// Keys longer than this are not hashed at all (nothing issued is that long).
inline constexpr size_t kMaxPresentedKey = 1024;

// The candidate keys in the two headers (absent ones as nullopt), Authorization first.
// Empty, overlong and non-Bearer values are left out.
std::vector<std::string_view> presented_keys(std::optional<std::string_view> authorization,
                                             std::optional<std::string_view> x_api_key);

}  // namespace nexus::auth
