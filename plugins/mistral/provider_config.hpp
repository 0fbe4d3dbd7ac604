// The `mistral` provider's configuration: its YAML block, handed over as JSON.
//
//   providers:
//     mistral:
//       plugin: mistral
//       keys: ["${MISTRAL_API_KEY}"]
//       base_url: https://api.mistral.ai/v1     # default
#pragma once

#include <string>
#include <string_view>

namespace nexus::mistral {

inline constexpr std::string_view kDefaultBaseUrl = "https://api.mistral.ai/v1";

struct ProviderConfig {
    std::string base_url{kDefaultBaseUrl};  // without a trailing slash
};

// Throws nexus::sdk::Error(NX_ERR_INVALID, ...) naming the offending field. Members that
// belong to the host (plugin, keys, timeouts, ...) are ignored; `options` must be empty,
// since this provider has none.
ProviderConfig parse_config(std::string_view config_json);

}  // namespace nexus::mistral
