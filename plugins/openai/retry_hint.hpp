// How long an upstream asked us to wait, from its response headers.
#pragma once

#include "nexus/nexus.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace nexus::openai {

// The retry hint in milliseconds, or -1 when there is none. In order, as the official
// OpenAI SDKs read it: `retry-after-ms` (milliseconds), `retry-after` (seconds, or an HTTP
// date, counted from `now_unix_ms`); then, only for a 429, `x-ratelimit-reset-requests` /
// `x-ratelimit-reset-tokens` (durations like "1s", "6m0s", "20ms"): the one that
// `limit_type` ("requests" or "tokens", OpenAI's error.type on a 429) names, else the
// longer of the two. See https://platform.openai.com/docs/guides/rate-limits (headers).
int64_t retry_after_ms(const sdk::HeaderView& headers, int status, std::string_view limit_type, int64_t now_unix_ms);

// A Go time.Duration string ("1s", "6m0s", "1h2m3.5s", "20ms", "150us") in milliseconds,
// rounded up; nullopt when malformed.
std::optional<int64_t> parse_duration_ms(std::string_view s);

// An HTTP date (RFC 9110 §5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms)
// as unix milliseconds; nullopt when malformed.
std::optional<int64_t> parse_http_date_ms(std::string_view s);

}  // namespace nexus::openai
