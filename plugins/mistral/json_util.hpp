// Small RapidJSON helpers for the Mistral translators (plugins may include only sdk/, so
// each plugin keeps its own copy of these few lines).
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace nexus::mistral {

using rapidjson::Value;
using Alloc = rapidjson::Document::AllocatorType;

// Deepest nesting accepted: RapidJSON's writer recurses once per level, so the cap keeps a
// hostile body from exhausting the stack.
inline constexpr unsigned kMaxJsonDepth = 256;

// Parses `text` into `doc` (iteratively, full-precision numbers, depth-capped). Returns ""
// on success, else why ("invalid JSON at offset 12: ...").
std::string parse_json(rapidjson::Document& doc, std::string_view text);

// Compact serialization.
std::string to_json(const Value& v);

// obj[name], or nullptr when `obj` is not an object or has no such member.
const Value* find_member(const Value& obj, std::string_view name);
Value* find_member(Value& obj, std::string_view name);

inline std::string_view as_view(const Value& v) {
    return v.IsString() ? std::string_view(v.GetString(), v.GetStringLength()) : std::string_view();
}

// The string member `name`, or "" when absent or not a string.
std::string_view string_member(const Value& obj, std::string_view name);

// A string value holding a copy of `s` (an empty view may have a null data pointer, which
// RapidJSON refuses).
inline Value str(std::string_view s, Alloc& a) {
    return s.empty() ? Value("", a) : Value(s.data(), rapidjson::SizeType(s.size()), a);
}

// obj[name] = value, replacing an existing member in place or appending a new one.
void set_member(Value& obj, std::string_view name, Value value, Alloc& a);

// `s` without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view s);

}  // namespace nexus::mistral
