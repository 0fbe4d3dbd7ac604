// Small RapidJSON helpers shared by the built-in middleware.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace nexus::mw {

// Parses `text` into `doc` (full number precision). Returns false on malformed JSON.
bool parse_json(rapidjson::Document& doc, std::string_view text);

// Compact serialization.
std::string to_json(const rapidjson::Value& v);

// The member `name` of `obj`, or nullptr when `obj` is not an object or has no such member.
const rapidjson::Value* member(const rapidjson::Value& obj, std::string_view name);

inline std::string_view as_view(const rapidjson::Value& v) {
    return v.IsString() ? std::string_view(v.GetString(), v.GetStringLength()) : std::string_view();
}

// What a value is, for error messages: `a string "abc"`, `the number 12`, `true`, `null`,
// `a list`, `a mapping`. Long strings are cut.
std::string describe(const rapidjson::Value& v);

}  // namespace nexus::mw
