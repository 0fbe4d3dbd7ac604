// Small RapidJSON helpers shared by the core: serialize, parse with a located message.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace nexus::core {

// Deepest nesting a parse accepts (RapidJSON's writer recurses once per level); the SDK's
// bound (nexus/json.hpp), so host and plugins refuse the same documents.
inline constexpr unsigned kMaxJsonDepth = 256;

std::string to_json(const rapidjson::Value& v);
void append_json(const rapidjson::Value& v, std::string& out);
// Parses `text` into `doc` iteratively, nesting at most kMaxJsonDepth; on failure returns
// false and a message with the byte offset (or the depth).
bool parse_json(std::string_view text, rapidjson::Document& doc, std::string* error);
// The same for a whole std::string: parses from its NUL-terminated buffer, which lets
// RapidJSON scan strings with SIMD (prompts are long strings).
bool parse_whole_json(const std::string& text, rapidjson::Document& doc, std::string* error);
// Appends `s` as a JSON string literal (with quotes).
void append_json_string(std::string_view s, std::string& out);
// Member lookup that returns nullptr instead of asserting.
const rapidjson::Value* member(const rapidjson::Value& obj, const char* name);

}  // namespace nexus::core
