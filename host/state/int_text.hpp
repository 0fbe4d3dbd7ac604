// Counters are stored as decimal text, the way Redis keeps them, so a value written by one
// backend reads the same from the other.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace nexus::state {

// The canonical decimal form of an int64 only: optional '-', no '+', no spaces, no leading
// zeros, no "-0" (what Redis' INCRBY accepts). Anything else: nullopt.
std::optional<int64_t> parse_int64_text(std::string_view s);

}  // namespace nexus::state
