// prepare(): canonical request -> the upstream OpenAI HTTP request.
#pragma once

#include "provider_config.hpp"

#include "nexus/nexus.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nexus::openai {

struct RequestInput {
    nx_op op = NX_OP_CHAT;
    std::string_view body;            // canonical JSON; empty for LIST_MODELS
    std::string_view upstream_model;  // replaces body.model; empty keeps the body's model
    std::string_view base_url;        // from the host; empty means the configured one
    std::string_view api_key;         // may be empty (local OpenAI-compatible servers)
    bool stream = false;
};

struct UpstreamRequest {
    std::string method;
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    nx_framing framing = NX_FRAMING_NONE;
};

// Chat: POST <base>/chat/completions with the canonical body passed through (unknown
// members included), `model` replaced, and, when streaming, `stream: true` plus
// `stream_options.include_usage: true`. When not streaming, a `stream` member is forced
// to false and `stream_options` is removed (OpenAI rejects it without streaming).
// Embeddings: POST <base>/embeddings, body passed through with `model` replaced.
// Models: GET <base>/models.
// Throws nexus::sdk::Error(NX_ERR_INVALID) for a body that is not a JSON object and
// NX_ERR_UNSUPPORTED for an unknown op.
UpstreamRequest build_request(const ProviderConfig& cfg, const RequestInput& in);

}  // namespace nexus::openai
