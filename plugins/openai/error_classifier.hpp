// Upstream failures -> nexus::sdk::UpstreamError (class, status, retry hint, message).
//
// OpenAI error bodies are {"error":{"message","type","param","code"}}
// (https://platform.openai.com/docs/guides/error-codes). The message passed on is the
// upstream's error.message with anything that looks like an API key masked.
#pragma once

#include "nexus/nexus.hpp"

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace nexus::openai {

// A non-2xx response. `api_key` is only used to mask it out of the message.
sdk::UpstreamError classify_http_error(int status, const sdk::HeaderView& headers, std::string_view body,
                                       std::string_view api_key, int64_t now_unix_ms);

// An error object that arrived with a 2xx status (in a body or a stream event). `error` is
// the value of the `error` member (usually an object, sometimes a bare string); the class
// comes from its type/code, else `fallback`.
sdk::UpstreamError classify_inband_error(const rapidjson::Value& error, int status, nx_error_class fallback,
                                         std::string_view api_key);

// The class for an HTTP status; `code` and `message` refine 400 and 429.
nx_error_class class_for_status(int status, std::string_view type, std::string_view code, std::string_view message);

// `message` with the API key replaced by "***" and any "sk-..." token by "sk-***".
std::string scrub_secrets(std::string_view message, std::string_view api_key);

}  // namespace nexus::openai
