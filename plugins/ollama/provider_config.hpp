// The `ollama` provider's configuration: its YAML block, handed over as JSON.
//
//   providers:
//     ollama:
//       plugin: ollama
//       base_url: http://127.0.0.1:11434   # default; https://ollama.com for the cloud (with keys)
//       options:
//         num_ctx: 8192                    # context window, sent as options.num_ctx
//         keep_alive: 10m                  # how long Ollama keeps the model loaded ("5m", 300, -1, 0)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nexus::ollama {

inline constexpr std::string_view kDefaultBaseUrl = "http://127.0.0.1:11434";

struct ProviderConfig {
    std::string base_url{kDefaultBaseUrl};  // without a trailing slash
    std::optional<int64_t> num_ctx;
    std::string keep_alive_json;  // the keep_alive value as JSON ("\"10m\"" or "300"); empty: unset
};

// Throws nexus::sdk::Error(NX_ERR_INVALID, ...) naming the offending field. Members that
// belong to the host (plugin, keys, timeouts, ...) are ignored.
ProviderConfig parse_config(std::string_view config_json);

}  // namespace nexus::ollama
