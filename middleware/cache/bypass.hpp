// A client skips the cache lookup with `Cache-Control: no-cache` (RFC 9111 section 5.2.1.4:
// the stored answer may not be used without going to the origin) or `x-nexus-cache: bypass`.
// The fresh answer is still stored.
#pragma once

#include <optional>
#include <string_view>

namespace nexus::cache {

bool wants_bypass(std::optional<std::string_view> cache_control, std::optional<std::string_view> x_nexus_cache);

}  // namespace nexus::cache
