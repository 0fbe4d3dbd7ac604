// How long Anthropic asked us to wait, from its response headers.
#pragma once

#include "nexus/nexus.hpp"

#include <cstdint>

namespace nexus::claude {

// The retry hint in milliseconds, or -1 when there is none. In order: `retry-after-ms`,
// `retry-after` (seconds, or an HTTP date counted from `now_unix_ms`), as the official SDKs
// read them; then, for a 429 only, the anthropic-ratelimit-{requests,tokens,input-tokens,
// output-tokens}-reset RFC 3339 timestamps (relative to `now_unix_ms`): the latest among
// the limits whose -remaining is 0, or among all of them when none says so.
// See https://docs.anthropic.com/en/api/rate-limits (response headers) and
// anthropic-sdk-typescript issue #357 (deriving a wait from the reset headers).
int64_t retry_after_ms(const sdk::HeaderView& headers, int status, int64_t now_unix_ms);

}  // namespace nexus::claude
