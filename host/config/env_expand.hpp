// ${VAR} / ${VAR:-default} expansion of scalar values; "$${" is a literal "${".
#pragma once

#include "config/config.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace nexus::config {

struct Expansion {
    std::string value;
    std::vector<std::string> unset;  // ${VAR} without a default whose VAR is not set
    std::vector<std::string> empty;  // ${VAR} without a default whose VAR is set to ""
    std::string error;               // syntax error (unterminated, bad name); value is unusable
};

// `env` null: the process environment.
Expansion expand_env(std::string_view text, EnvLookup env);

// The inverse for output: every "${" becomes "$${" so the text reloads unchanged.
std::string escape_env(std::string_view text);

}  // namespace nexus::config
