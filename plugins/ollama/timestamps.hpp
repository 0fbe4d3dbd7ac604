// Ollama timestamps (`created_at`, `modified_at`) are RFC 3339 with nanoseconds and a UTC
// offset, e.g. "2023-08-04T08:52:19.385406455-07:00" or "2023-08-04T19:22:45.499127Z".
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace nexus::ollama {

// Unix seconds (fraction dropped), or nullopt when `s` is not such a timestamp or lies before
// 1970 (Go's zero time "0001-01-01T00:00:00Z" means "unknown").
std::optional<int64_t> parse_rfc3339_seconds(std::string_view s);

}  // namespace nexus::ollama
