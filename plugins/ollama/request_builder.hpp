// prepare(): canonical request -> the upstream Ollama HTTP request.
#pragma once

#include "provider_config.hpp"

#include "nexus/nexus.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nexus::ollama {

struct RequestInput {
    nx_op op = NX_OP_CHAT;
    std::string_view body;            // canonical JSON; empty for LIST_MODELS
    std::string_view upstream_model;  // replaces body.model; empty keeps the body's model
    std::string_view base_url;        // from the host; empty means the configured one
    std::string_view api_key;         // a local Ollama needs none; ollama.com takes a Bearer key
    bool stream = false;
};

struct UpstreamRequest {
    std::string method;
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    nx_framing framing = NX_FRAMING_NONE;
    std::vector<std::string> dropped;  // canonical members not sent (for a debug log line)
};

// Chat: POST <base>/api/chat, NDJSON framing. Embeddings: POST <base>/api/embed.
// Models: GET <base>/api/tags. "Authorization: Bearer <key>" only when a key is configured
// (docs/api/authentication.mdx: ollama.com API keys).
UpstreamRequest build_request(const ProviderConfig& cfg, const RequestInput& in);

}  // namespace nexus::ollama
