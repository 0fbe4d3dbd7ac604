// The cache key of a chat request: SHA-256 over the request re-serialized with sorted object
// keys, without the members that do not change the answer (who asks, how it is delivered).
// A streamed and a non-streamed request therefore share entries.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nexus::cache {

// Members left out of the key: user, metadata, stream, stream_options, store,
// prompt_cache_key, safety_identifier. Everything else (model, messages, tools, tool_choice,
// response_format, temperature, top_p, max_tokens, max_completion_tokens, stop, seed, n,
// penalties, logit_bias, unknown future fields, ...) is part of it.
bool excluded_from_key(std::string_view member);

// The normalized form: compact JSON, object members sorted by name at every level, numbers
// that are whole written as integers (1.0 -> 1). nullopt when `request` is not a JSON object
// with a `messages` list (not a chat request).
std::optional<std::string> normalize_request(std::string_view request);

// "chat:<namespace>:<sha256 hex of the normalized form>" (the host prefixes the plugin name).
std::optional<std::string> request_key(std::string_view request, std::string_view ns);

}  // namespace nexus::cache
