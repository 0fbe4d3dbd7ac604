// encoding_format "base64" for embeddings: the base64 (RFC 4648, with padding) of the vector
// as little-endian IEEE-754 float32 values, which is what OpenAI returns and what the OpenAI
// SDKs (which ask for base64 by default) decode. Ollama only returns floats, so the plugin
// encodes them itself.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

namespace nexus::ollama {

std::string base64_encode(std::string_view bytes);

// nullopt when `numbers` is not an array of numbers.
std::optional<std::string> float32_base64(const rapidjson::Value& numbers);

}  // namespace nexus::ollama
