// Small RapidJSON helpers shared by the OpenAI translators.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace nexus::openai {

// Deepest nesting accepted when a document is built. RapidJSON's writer recurses once per
// level, so the cap keeps a hostile body from exhausting the stack.
inline constexpr unsigned kMaxJsonDepth = 256;

// Parses `text` into `doc`: iteratively (no recursion), numbers at full precision, nesting
// capped at kMaxJsonDepth. Returns "" on success, else why, e.g.
// "invalid JSON at offset 12: Missing a comma or '}' after an object member."
std::string parse_json(rapidjson::Document& doc, std::string_view text);

// Compact serialization.
std::string to_json(const rapidjson::Value& v);

// `s` as a JSON string literal, quotes included.
std::string json_string(std::string_view s);

// The member `name` of `obj`, or nullptr when `obj` is not an object or has no such member.
const rapidjson::Value* find_member(const rapidjson::Value& obj, std::string_view name);

// The string member `name`, or "" when absent or not a string.
std::string_view string_member(const rapidjson::Value& obj, std::string_view name);

inline std::string_view as_view(const rapidjson::Value& v) {
    return v.IsString() ? std::string_view(v.GetString(), v.GetStringLength()) : std::string_view();
}

// `s` without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view s);

}  // namespace nexus::openai
