// Parsing the config text into one YAML document (internal to host/config).
#pragma once

#include "config/config.hpp"

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

namespace nexus::config::detail {

// The single document in `text` (a null node for an empty file). nullopt with *error on a
// syntax error or a second document.
std::optional<YAML::Node> parse_document(const std::string& text, const std::string& file, Diagnostic* error);

}  // namespace nexus::config::detail
