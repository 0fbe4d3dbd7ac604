// "did you mean ...?" for misspelled keys and names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nexus::config {

// The candidate closest to `word` by edit distance, or "" when none is a plausible typo:
// distance <= 2 and less than half the candidate's length, or one is a prefix (>= 3 chars)
// of the other.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

// "a, b, c"
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

}  // namespace nexus::config
