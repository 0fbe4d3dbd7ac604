// Anthropic Messages request -> canonical (OpenAI Chat Completions) request.
// Reference: https://docs.anthropic.com/en/api/messages
#pragma once

#include "core/api_error.hpp"

#include <rapidjson/document.h>

namespace nexus::core {

// Translates `in` (a parsed Anthropic Messages body) into `out`. False with *error naming the
// offending field on anything that is malformed or cannot be expressed canonically.
bool anthropic_to_canonical(const rapidjson::Value& in, rapidjson::Document& out, ApiError* error);

}  // namespace nexus::core
