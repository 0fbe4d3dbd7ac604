// Ollama failures -> nexus::sdk::UpstreamError. Ollama answers errors as {"error":"<text>"}
// (docs/api.md, "Errors"), e.g. 404 {"error":"model 'llama9' not found, try pulling it
// first"}; a stream that fails after its 200 sends the same object as an NDJSON line.
#pragma once

#include "nexus/nexus.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace nexus::ollama {

// A non-2xx response. `model` names the model in the hint of a 404; `api_key` is masked
// out of the message.
sdk::UpstreamError classify_http_error(int status, const sdk::HeaderView& headers, std::string_view body,
                                       std::string_view model, std::string_view api_key, int64_t now_unix_ms);

// An {"error": "..."} that arrived with a 2xx status (in a body or on a stream line).
sdk::UpstreamError classify_inband_error(std::string_view message, int status);

// The class for an HTTP status, refined by the message (context length).
nx_error_class class_for_status(int status, std::string_view message);

// Retry hint from `retry-after` (seconds) for 429/503, else -1. (ollama.com answers 429
// with it; a local Ollama sends none.)
int64_t retry_after_ms(const sdk::HeaderView& headers, int64_t now_unix_ms);

}  // namespace nexus::ollama
