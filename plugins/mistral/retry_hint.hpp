// How long Mistral asked us to wait, from its response headers.
#pragma once

#include "nexus/nexus.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace nexus::mistral {

// Milliseconds to wait, or -1 when the headers give no hint. In order: `retry-after-ms`,
// `retry-after` (seconds, or an HTTP date counted from now_unix_ms: Mistral's error
// glossary, https://docs.mistral.ai/resources/error-glossary, documents it on 429); then,
// for a 429 only, the largest numeric `x-ratelimit-reset*` header in seconds (Mistral's
// x-ratelimit-* family: limit/remaining per minute and month; a reset header is not
// documented, so any of that family holding seconds is taken).
int64_t retry_after_ms(const sdk::HeaderView& headers, int status, int64_t now_unix_ms);

// True when a 429 says the monthly budget is spent (x-ratelimit-remaining-tokens-month or
// -req-month is 0): waiting a minute will not help.
bool monthly_limit_exhausted(const sdk::HeaderView& headers);

// A non-negative decimal ("1", "0.5"); nullopt otherwise.
std::optional<double> parse_seconds(std::string_view s);

// An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 9110 §5.6.7) as unix milliseconds.
std::optional<int64_t> parse_imf_fixdate_ms(std::string_view s);

}  // namespace nexus::mistral
