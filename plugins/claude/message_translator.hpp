// Canonical `messages` -> Anthropic `system` + `messages`.
//
// - system and developer messages are hoisted into the top-level `system`, joined with
//   "\n\n"; it becomes an array of text blocks when any of them carries cache_control.
// - user content -> text / image / document blocks; assistant -> thinking blocks (the
//   `thinking_blocks` extension, verbatim and first), text, then tool_use blocks (arguments
//   string parsed into the `input` object); tool messages -> tool_result blocks in a user
//   message.
// - consecutive messages that end up with the same role are merged (Anthropic wants
//   alternating turns), and tool_result blocks are moved to the front of their user
//   message, as the API requires.
// - a message-level `cache_control` applies to the message's last block.
// Reference: https://docs.anthropic.com/en/api/messages,
// https://docs.anthropic.com/en/docs/build-with-claude/tool-use (tool_result placement),
// https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking (signatures).
#pragma once

#include "json_util.hpp"

namespace nexus::claude {

struct TranslatedMessages {
    rapidjson::Value system;    // null when there is none, a string, or an array of text blocks
    rapidjson::Value messages;  // [{role: "user"|"assistant", content: [blocks]}]
};

// Throws sdk::Error (NX_ERR_INVALID / NX_ERR_UNSUPPORTED) naming the message index.
TranslatedMessages translate_messages(const rapidjson::Value& messages, Alloc& alloc);

}  // namespace nexus::claude
