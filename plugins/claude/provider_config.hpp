// The `claude` provider's configuration: the provider's YAML block, handed over as JSON.
//
//   providers:
//     anthropic:
//       plugin: claude
//       base_url: https://api.anthropic.com      # default; "/v1" at the end is accepted too
//       options:
//         anthropic_version: "2023-06-01"         # sent as anthropic-version (default)
//         default_max_tokens: 4096                # when a request sets no max tokens
//         headers: {anthropic-beta: "..."}        # extra headers on every upstream request
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nexus::claude {

inline constexpr std::string_view kDefaultBaseUrl = "https://api.anthropic.com";
inline constexpr std::string_view kDefaultAnthropicVersion = "2023-06-01";

struct ProviderConfig {
    std::string base_url{kDefaultBaseUrl};  // without a trailing slash
    std::string anthropic_version{kDefaultAnthropicVersion};
    std::optional<int64_t> default_max_tokens;  // nullopt: the per-model table
    std::vector<std::pair<std::string, std::string>> extra_headers;
};

// Throws nexus::sdk::Error(NX_ERR_INVALID, ...) naming the offending field. Members other
// than base_url and options belong to the host and are ignored.
ProviderConfig parse_config(std::string_view config_json);

}  // namespace nexus::claude
