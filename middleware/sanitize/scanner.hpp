// Runs every enabled rule over a text and settles overlaps: a rule earlier in Config::rules
// (custom rules, then the built-ins by priority) keeps the text it matched.
#pragma once

#include "sanitize_config.hpp"

#include <string_view>
#include <vector>

namespace nexus::sanitize {

struct Finding {
    size_t begin;
    size_t end;
    const Rule* rule;
};

// Non-overlapping findings, sorted by position. Custom patterns are matched line by line
// (std::regex recursion grows with the input, and a line is the unit users write rules for).
std::vector<Finding> scan(const Config& cfg, std::string_view text);

}  // namespace nexus::sanitize
