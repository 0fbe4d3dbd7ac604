// Pieces of Ollama's chat output that whole responses and stream lines share.
// Reference: ollama docs/api.md, "Generate a chat completion" (the final object carries
// done_reason, prompt_eval_count, eval_count and durations in nanoseconds; tool calls come
// as {"function":{"name","arguments":<object>}} with no id, and with done_reason "stop").
#pragma once

#include "json_util.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace nexus::ollama {

// Ollama has no completion ids: "chatcmpl-ollama-" + 16 hex digits mixed from `salt`.
std::string completion_id(uint64_t salt);

// Tool call ids synthesized for one completion: "call_<8 hex of the completion id>_<n>",
// unique across the turns of a conversation (clients and other providers, e.g. Anthropic,
// require unique ids in a history).
std::string tool_call_id(std::string_view completion_id, size_t n);

// One Ollama tool call -> canonical {id, type:"function", function:{name, arguments:<JSON
// string>}}; `index` added when streaming. nullopt-like: returns a null Value when the call
// has no function name.
Value canonical_tool_call(const Value& call, const std::string& id, int index, bool with_index, Alloc& a);

// finish_reason: "tool_calls" when the message had tool calls; else done_reason stop ->
// stop, length -> length, load / unload / "" / absent -> stop.
std::string_view finish_reason(bool had_tool_calls, std::string_view done_reason);

// {prompt_tokens, completion_tokens, total_tokens} from prompt_eval_count / eval_count
// (0 when absent: Ollama leaves prompt_eval_count out when the prompt was cached).
Value usage_of(const Value& final_object, Alloc& a);

}  // namespace nexus::ollama
