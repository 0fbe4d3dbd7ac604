// Canonical chat request (OpenAI Chat Completions) -> Mistral chat completion request body.
//
// Mistral validates strictly and answers 422 "Extra inputs are not permitted" for any member
// it does not know (top level, messages, content parts), so the body is rebuilt from the
// members Mistral documents rather than passed through. Reference: the request schema of
// https://docs.mistral.ai/api/#tag/chat/operation/chat_completion_v1_chat_completions_post
// as generated into mistralai/client-ts (src/models/components/chatcompletionrequest.ts,
// assistantmessage.ts, toolmessage.ts, imageurlchunk.ts).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nexus::mistral {

struct ChatRequestOut {
    std::string body;
    std::vector<std::string> dropped;  // top-level canonical members Mistral has no use for
};

// Mapping:
//  - model := `model`; stream := `stream` (always sent); stream_options is removed (Mistral
//    sends usage in its last chunk unasked);
//  - max_completion_tokens (or else max_tokens) -> max_tokens; seed -> random_seed;
//  - tool_choice "required" -> "any" (other strings and the {type:function} object kept);
//  - temperature, top_p, stop, n, presence/frequency_penalty, response_format, tools,
//    parallel_tool_calls, prediction, and Mistral's own safe_prompt, prompt_mode,
//    random_seed pass through; members whose value is null are left out (null = default);
//    everything else (user, logprobs, top_logprobs, logit_bias, service_tier, store,
//    metadata, reasoning_effort, ...) is dropped and listed in `dropped`;
//  - messages: developer -> system; only role/content/tool_calls/tool_call_id/name/prefix
//    kept; text parts keep only type+text; image parts become
//    {"type":"image_url","image_url":"<url>"}; tool call ids are rewritten to Mistral's
//    format (to_mistral_tool_call_id), tool messages get the called function's `name`.
// Throws sdk::Error: NX_ERR_INVALID for a malformed body (naming the member),
// NX_ERR_UNSUPPORTED for content Mistral cannot take (audio, files, function role).
ChatRequestOut translate_chat_request(std::string_view canonical, std::string_view model, bool stream);

}  // namespace nexus::mistral
