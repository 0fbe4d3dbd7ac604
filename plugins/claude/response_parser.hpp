// parse_response(): a complete upstream response -> the canonical response, or an error.
//
// Message object: https://docs.anthropic.com/en/api/messages (content blocks, stop_reason,
// usage); models: https://docs.anthropic.com/en/api/models-list.
#pragma once

#include "nexus/nexus.hpp"
#include "usage.hpp"

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace nexus::claude {

// Chat: an Anthropic message -> chat.completion (translate_message). Models: the model
// list -> the canonical list (translate_models). Throws sdk::UpstreamError for a non-2xx
// status (classified), a 2xx body with {"type":"error"} (classified by its type), and a
// 2xx body that is not JSON or not the expected object (PROTOCOL).
// `usage`, when given, receives the chat response's token counts.
std::string parse_upstream_response(nx_op op, int status, const sdk::HeaderView& headers, std::string_view body,
                                    std::string_view api_key, int64_t now_unix_ms, Usage* usage = nullptr);

// An Anthropic message -> canonical chat.completion: `id` kept; text blocks joined into
// `content` (null when the turn is only tool calls); tool_use blocks -> tool_calls (input
// serialized into the arguments string); thinking blocks -> reasoning_content (joined) and
// thinking_blocks (verbatim, with signatures); a tool_use of the JSON-mode tool
// (kJsonToolName) -> its input as the whole `content` (other text left out), finish_reason stop; stop_reason ->
// finish_reason plus native_finish_reason (and stop_sequence); usage per usage.hpp;
// `created` = `created_unix_s` (Anthropic has no timestamp). Server-tool and other block
// types are left out. Throws sdk::UpstreamError(PROTOCOL) when `message` has no content array.
std::string translate_message(const rapidjson::Value& message, int64_t created_unix_s, Usage* usage_out = nullptr);

// {data:[{type:"model", id, display_name, created_at}], ...} ->
// {object:"list", data:[{id, object:"model", created (unix s from created_at, 0 when
// unknown), owned_by:"anthropic", display_name}]}.
std::string translate_models(const rapidjson::Value& list);

// "chatcmpl-" + 24 random characters, for a message without an id.
std::string make_completion_id();

}  // namespace nexus::claude
