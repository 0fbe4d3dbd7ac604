// Upstream failures -> nexus::sdk::UpstreamError (class, status, retry hint, message).
//
// Anthropic error bodies are {"type":"error","error":{"type","message"},"request_id"}, with
// the types listed at https://docs.anthropic.com/en/api/errors: invalid_request_error (400
// and other 4xx), authentication_error 401, billing_error 402, permission_error 403,
// not_found_error 404, request_too_large 413, rate_limit_error 429, api_error 500,
// timeout_error 504, overloaded_error 529. The same object arrives as `event: error` in a
// stream. A spend-limit 429 (details.error_code "enforced_spend_limit_reached", no
// retry-after) is QUOTA_EXHAUSTED: retrying does not help until the limit resets.
#pragma once

#include "nexus/nexus.hpp"

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace nexus::claude {

// A non-2xx response. `api_key` is only used to mask it out of the message.
sdk::UpstreamError classify_http_error(int status, const sdk::HeaderView& headers, std::string_view body,
                                       std::string_view api_key, int64_t now_unix_ms);

// An Anthropic error object (the value of "error") that arrived with status `status` (a 2xx
// body, or a stream event); classified by its type, `fallback` when the type is unknown.
sdk::UpstreamError classify_error_object(const rapidjson::Value& error, int status, nx_error_class fallback,
                                         std::string_view api_key);

// The class for an HTTP status, refined by the error type and message (context length,
// credit balance, spend limit).
nx_error_class class_for_status(int status, std::string_view type, std::string_view message,
                                std::string_view error_code, bool has_retry_after);

// The class for an error type alone (in-band errors), `fallback` when unknown.
nx_error_class class_for_type(std::string_view type, std::string_view message, std::string_view error_code,
                              nx_error_class fallback);

// `message` with the API key replaced by "***" and any "sk-ant-..." token by "sk-ant-***".
std::string scrub_secrets(std::string_view message, std::string_view api_key);

}  // namespace nexus::claude
