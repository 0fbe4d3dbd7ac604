// The `openai` provider's configuration: the provider's YAML block, handed over as JSON.
//
//   providers:
//     openai:
//       plugin: openai
//       base_url: https://api.openai.com/v1     # default; any OpenAI-compatible server works
//       options:
//         organization: org-...                 # sent as OpenAI-Organization
//         project: proj_...                     # sent as OpenAI-Project
//         headers: {X-Custom: value}            # extra headers on every upstream request
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nexus::openai {

inline constexpr std::string_view kDefaultBaseUrl = "https://api.openai.com/v1";

struct ProviderConfig {
    std::string base_url{kDefaultBaseUrl};  // without a trailing slash
    std::string organization;
    std::string project;
    std::vector<std::pair<std::string, std::string>> extra_headers;
};

// Throws nexus::sdk::Error(NX_ERR_INVALID, ...) naming the offending field. Members other
// than base_url and options belong to the host and are ignored.
ProviderConfig parse_config(std::string_view config_json);

}  // namespace nexus::openai
