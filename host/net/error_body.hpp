// JSON error bodies in OpenAI's shape, for answers the server gives on its own
// (limits, malformed requests, a handler that never answered).
#pragma once

#include <string>
#include <string_view>

namespace nexus::net {

// {"error":{"message":...,"type":...,"param":null,"code":...}} with the strings JSON-escaped.
std::string error_json(std::string_view message, std::string_view type, std::string_view code);

// Appends `s` to `out` as the inside of a JSON string literal (no quotes added).
void append_json_escaped(std::string& out, std::string_view s);

}  // namespace nexus::net
