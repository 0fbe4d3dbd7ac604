// Small RapidJSON helpers shared by the OpenAI translators.
#pragma once

#include "nexus/json.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace nexus::openai {

// The SDK's helpers (nexus/json.hpp): depth-capped parse, compact serialization, lookups.
using sdk::json::as_view;
using sdk::json::find_member;
using sdk::json::kMaxJsonDepth;
using sdk::json::parse_json;
using sdk::json::string_member;
using sdk::json::to_json;
using sdk::json::trim;

// `s` as a JSON string literal, quotes included.
std::string json_string(std::string_view s);

}  // namespace nexus::openai
