// Canonical chat request (OpenAI Chat Completions) -> Ollama POST /api/chat body.
// Reference: ollama docs/api.md, "Generate a chat completion" (parameters, message fields
// `images`, `tool_calls`, `tool_name`, `thinking`), and docs/modelfile.md for `options`.
#pragma once

#include "provider_config.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace nexus::ollama {

struct ChatRequestOut {
    std::string body;
    std::vector<std::string> dropped;  // canonical members that have no Ollama equivalent
};

// Mapping:
//  - model := `model`; `stream` always sent (Ollama streams when it is absent);
//  - messages: developer -> system; content flattened to a string (text parts joined with
//    "\n"); image parts -> `images` (raw base64 from data: URLs; an http(s) URL is
//    NX_ERR_UNSUPPORTED, since a plugin does no I/O); assistant tool_calls ->
//    [{function:{name, arguments:<object>}}]; tool messages -> {role:"tool", content,
//    tool_name} with the name found from the assistant tool call they answer;
//    reasoning_content -> `thinking`;
//  - options: temperature, top_p, top_k, seed, presence_penalty, frequency_penalty, stop
//    (string -> [string]), num_predict := max_completion_tokens or max_tokens, num_ctx
//    (request extension field, else the provider config); an `options` object in the
//    request (extension) is merged first, for any other Modelfile parameter;
//  - keep_alive: request extension field, else the provider config; `think` passed;
//  - response_format json_object -> format "json", json_schema -> format <schema>;
//  - tools passed as {type, function:{name, description, parameters}}; tool_choice has no
//    equivalent and is ignored, except "none", which leaves the tools out;
//  - n > 1 is NX_ERR_UNSUPPORTED; other members (user, logprobs, ...) are dropped.
// Throws sdk::Error NX_ERR_INVALID naming the member for a malformed body.
ChatRequestOut translate_chat_request(std::string_view canonical, std::string_view model, bool stream,
                                      const ProviderConfig& cfg);

}  // namespace nexus::ollama
