// Canonical tools and tool_choice -> Anthropic.
//
//   {"type":"function","function":{name, description, parameters}} -> {name, description, input_schema}
//   tool_choice "auto" -> {type:auto}, "none" -> {type:none}, "required" -> {type:any},
//   {"type":"function","function":{"name":N}} -> {type:tool, name:N};
//   parallel_tool_calls:false -> tool_choice.disable_parallel_tool_use:true.
// Reference: https://docs.anthropic.com/en/docs/build-with-claude/tool-use (tool_choice,
// disable_parallel_tool_use), https://docs.anthropic.com/en/api/messages (tools).
#pragma once

#include "json_util.hpp"

namespace nexus::claude {

// The Anthropic `tools` array; an empty array when `tools` is absent, null or empty.
// `cache_control` on a tool (or on its `function` object) is kept.
rapidjson::Value translate_tools(const rapidjson::Value* tools, Alloc& alloc);

// The Anthropic `tool_choice`, or null when nothing needs to be sent (no tools, or no
// choice and parallel calls allowed).
rapidjson::Value translate_tool_choice(const rapidjson::Value* tool_choice, const rapidjson::Value* parallel_tool_calls,
                                       bool have_tools, Alloc& alloc);

}  // namespace nexus::claude
