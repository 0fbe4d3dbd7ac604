// prepare(): the canonical request -> the upstream Anthropic HTTP request.
//
// Chat: POST <base>/v1/messages, translated (see translate_chat), or, for same-wire
// passthrough (native_format "anthropic"), the client's own body with only the model
// replaced. Models: GET <base>/v1/models?limit=1000. Embeddings: NX_ERR_UNSUPPORTED.
// Headers: x-api-key, anthropic-version (options.anthropic_version; in passthrough the
// client's own version when it sent one), content-type, the client's anthropic-beta
// (joined with a configured one), then the configured extra headers.
// Reference: https://docs.anthropic.com/en/api/messages, https://docs.anthropic.com/en/api/versioning,
// https://docs.anthropic.com/en/api/beta-headers, https://docs.anthropic.com/en/api/models-list.
#pragma once

#include "json_util.hpp"
#include "provider_config.hpp"

#include "nexus/nexus.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nexus::claude {

// The tool that emulates response_format json_object / json_schema: the request forces
// it, and its input comes back to the client as the message content.
inline constexpr std::string_view kJsonToolName = "nexus_json_output";

struct RequestInput {
    nx_op op = NX_OP_CHAT;
    std::string_view body;            // canonical JSON; empty for LIST_MODELS
    std::string_view upstream_model;  // replaces the model; empty keeps the body's
    std::string_view base_url;        // from the host; empty means the configured one
    std::string_view api_key;         // may be empty
    bool stream = false;
    std::string_view native_format;   // "anthropic": send native_body as it is
    std::string_view native_body;
    std::optional<std::string_view> client_anthropic_beta;
    std::optional<std::string_view> client_anthropic_version;
};

struct UpstreamRequest {
    std::string method;
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    nx_framing framing = NX_FRAMING_NONE;
};

// Throws nexus::sdk::Error: NX_ERR_INVALID for a malformed body (naming the field),
// NX_ERR_UNSUPPORTED for what Claude cannot do (embeddings, n > 1, audio parts, ...).
UpstreamRequest build_request(const ProviderConfig& cfg, const RequestInput& in);

// The Anthropic Messages body for a canonical chat request:
// - max_tokens from max_completion_tokens, else max_tokens, else default_max_tokens();
// - temperature clamped to [0, 1]; top_p, top_k; stop -> stop_sequences; user ->
//   metadata.user_id; tools / tool_choice / parallel_tool_calls (tool_translator.hpp);
// - reasoning_effort low / medium / high -> thinking with budget_tokens 1024 / 2048 / 4096
//   (kept below max_tokens; left out when it cannot be; temperature, top_p and top_k are
//   then dropped, as Anthropic refuses them with thinking);
// - response_format json_object / json_schema -> a forced tool named kJsonToolName whose
//   input_schema is the schema (the response parser turns its input back into content);
// - n > 1 -> NX_ERR_UNSUPPORTED; other OpenAI-only fields (seed, penalties, logprobs, ...)
//   are dropped; `stream: true` when `stream`.
rapidjson::Document translate_chat(const ProviderConfig& cfg, std::string_view body, std::string_view upstream_model,
                                   bool stream);

// options.default_max_tokens, else by model family: 4096 for the Claude 3 models (their
// output limit), 8192 for Claude 3.5, 3.7 and 4.x, 4096 for anything else.
int64_t default_max_tokens(const ProviderConfig& cfg, std::string_view model);

// <base>/v1/<path>, accepting a base that already ends with /v1.
std::string api_url(std::string_view base, std::string_view path);

}  // namespace nexus::claude
