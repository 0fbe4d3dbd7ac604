// Small RapidJSON helpers shared by the Claude translators.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nexus::claude {

using Alloc = rapidjson::Document::AllocatorType;

// Deepest nesting accepted when a document is built. RapidJSON's writer recurses once per
// level, so the cap keeps a hostile body from exhausting the stack.
inline constexpr unsigned kMaxJsonDepth = 256;

// Parses `text` into `doc`: iteratively (no recursion), numbers at full precision, nesting
// capped at kMaxJsonDepth. Returns "" on success, else why, e.g.
// "invalid JSON at offset 12: Missing a comma or '}' after an object member."
std::string parse_json(rapidjson::Document& doc, std::string_view text);

// Checks that `text` is one well-formed JSON value without building a document; "" or why.
std::string validate_json(std::string_view text);

// Compact serialization.
std::string to_json(const rapidjson::Value& v);

// The member `name` of `obj`, or nullptr when `obj` is not an object or has no such member.
const rapidjson::Value* find_member(const rapidjson::Value& obj, std::string_view name);

// The member `name` when present and not null, else nullptr.
const rapidjson::Value* find_present(const rapidjson::Value& obj, std::string_view name);

// The string member `name`, or "" when absent or not a string.
std::string_view string_member(const rapidjson::Value& obj, std::string_view name);

// The integer member `name` (a whole JSON number), or nullopt when absent, null or not one.
std::optional<int64_t> int_member(const rapidjson::Value& obj, std::string_view name);

inline std::string_view as_view(const rapidjson::Value& v) {
    return v.IsString() ? std::string_view(v.GetString(), v.GetStringLength()) : std::string_view();
}

// A string value that copies `s` into `alloc`.
inline rapidjson::Value str(std::string_view s, Alloc& alloc) {
    return rapidjson::Value(s.data(), rapidjson::SizeType(s.size()), alloc);
}

// obj[name] = value; `name` is copied. Adds the member (no check for an existing one).
void add(rapidjson::Value& obj, std::string_view name, rapidjson::Value value, Alloc& alloc);

// `s` without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view s);

// Case-insensitive ASCII substring search.
bool contains_nocase(std::string_view hay, std::string_view needle);

}  // namespace nexus::claude
