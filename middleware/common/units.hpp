// Value syntaxes of middleware settings, the same as the host's config file uses:
// durations ("300s", "150ms", "5m", "1h", or a number of seconds) and sizes ("1MiB",
// "512KiB", "2MB", or a number of bytes).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace nexus::mw {

// Digits + unit (ms, s, m, h, d) or digits alone meaning seconds. nullopt when malformed.
std::optional<uint64_t> parse_duration_ms(std::string_view text);

// Digits alone (bytes) or digits + unit: B, KB, MB, GB (powers of 1000) and KiB, MiB, GiB
// (powers of 1024); units are case-insensitive, one space allowed. nullopt when malformed.
std::optional<uint64_t> parse_size_bytes(std::string_view text);

}  // namespace nexus::mw
