// How a YAML scalar's text resolves to a JSON type (YAML 1.2 core schema): used to turn
// free-form maps (provider options, target params, chain settings, models) into JSON, and
// by show() to decide which strings must be quoted to reload as strings.
#pragma once

#include <cstdint>
#include <string_view>
#include <variant>

namespace nexus::config {

enum class ScalarKind { Null, Bool, Int, Float, String };

// The kind a PLAIN (unquoted, untagged) scalar with this text has. ".inf"/".nan" are
// String: JSON cannot hold them.
ScalarKind plain_scalar_kind(std::string_view text);

// For Int text: the value (int64, or uint64 above INT64_MAX); nullopt-like monostate when
// it does not fit 64 bits (then it is written as a float).
std::variant<std::monostate, int64_t, uint64_t> parse_yaml_int(std::string_view text);

}  // namespace nexus::config
