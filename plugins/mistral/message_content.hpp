// Pieces of Mistral's chat output that both whole responses and stream chunks normalize.
#pragma once

#include "json_util.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace nexus::mistral {

// Mistral `content` is a string, null, or (reasoning models such as Magistral) an array of
// chunks: {"type":"text","text":...} and {"type":"thinking","thinking":[{"type":"text","text":...}]}
// (docs.mistral.ai reasoning guide). Canonical content is a string, with the thinking text
// in the extension field `reasoning_content`.
struct FlatContent {
    std::string text;
    std::string reasoning;
};
// nullopt when `content` is none of those shapes.
std::optional<FlatContent> flatten_content(const Value& content);

// Tool call `function.arguments` as a JSON string (Mistral's schema also allows an object,
// and its reference shows `{}`); `type` set to "function" when missing. Returns false when
// the call is not an object. Missing arguments become `missing_arguments`.
bool normalize_tool_call(Value& call, Alloc& a, std::string_view missing_arguments);

// Mistral finish_reason -> canonical: stop, length, tool_calls pass; model_length -> length;
// any other value -> stop. `error` is not mapped: the caller reports it as an upstream error.
std::string_view canonical_finish_reason(std::string_view mistral);

}  // namespace nexus::mistral
