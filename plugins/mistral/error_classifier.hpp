// Mistral failures -> nexus::sdk::UpstreamError (class, status, retry hint, message).
//
// Mistral's error bodies come in several shapes, all handled (docs.mistral.ai error
// glossary, and bodies quoted in public bug reports):
//   {"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}
//   {"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","max_completion_tokens"],
//     "msg":"Extra inputs are not permitted","input":32000}]},"type":"invalid_request_error",...}     (422)
//   {"object":"error","message":"{\"detail\":[...]}",...}      (the same, as a JSON string)
//   {"object":"Error","detail":[...],"message":[...],"type":"invalid_request_error","code":3001}
//   {"detail":"Unauthorized"}  /  {"message":"Requests rate limit exceeded"}
#pragma once

#include "nexus/nexus.hpp"

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace nexus::mistral {

// A non-2xx response. `api_key` is only used to mask it out of the message.
sdk::UpstreamError classify_http_error(int status, const sdk::HeaderView& headers, std::string_view body,
                                       std::string_view api_key, int64_t now_unix_ms);

// An error object that arrived with a 2xx status (a body or a stream event).
sdk::UpstreamError classify_inband_error(const rapidjson::Value& error, int status);

// True when `obj` is one of the error shapes above rather than a completion or a chunk.
bool is_error_object(const rapidjson::Value& obj);

// The human-readable message of an error object; validation details come out as
// "body.max_completion_tokens: Extra inputs are not permitted; ...". "" when none.
std::string error_message(const rapidjson::Value& obj);

// The class for an HTTP status, refined by Mistral's `type` and the message.
nx_error_class class_for_status(int status, std::string_view type, std::string_view message);

// `message` with the API key replaced by "***".
std::string scrub_secret(std::string message, std::string_view api_key);

}  // namespace nexus::mistral
