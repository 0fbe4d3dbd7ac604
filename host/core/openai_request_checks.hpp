// Validation of OpenAI Chat Completions and Embeddings request bodies, naming the field.
#pragma once

#include "core/api_error.hpp"

#include <rapidjson/document.h>

namespace nexus::core {

bool check_chat_request(const rapidjson::Value& body, ApiError* error);
bool check_embeddings_request(const rapidjson::Value& body, ApiError* error);

}  // namespace nexus::core
