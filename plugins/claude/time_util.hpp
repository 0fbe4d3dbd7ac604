// Timestamps in Anthropic's headers and bodies.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace nexus::claude {

// An RFC 3339 date-time ("2025-02-19T00:00:00Z", "2024-06-25T18:26:31.123456+02:00") as
// unix milliseconds; nullopt when malformed. Anthropic uses it for created_at and for the
// anthropic-ratelimit-*-reset headers.
std::optional<int64_t> parse_rfc3339_ms(std::string_view s);

// An HTTP date in the IMF-fixdate form ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 9110 §5.6.7)
// as unix milliseconds; nullopt when malformed.
std::optional<int64_t> parse_imf_fixdate_ms(std::string_view s);

// A non-negative decimal number ("1", "1.5"); nullopt otherwise.
std::optional<double> parse_decimal(std::string_view s);

}  // namespace nexus::claude
