// SHA-256 of a plugin file, as shown by `nexus plugins inspect` and compared with
// plugins.pin in the config.
#pragma once

#include <optional>
#include <string>

namespace nexus::plugin {

// Lowercase hex digest of the file's bytes; nullopt with *error ("<path>: <reason>") when the
// file cannot be read.
std::optional<std::string> file_sha256_hex(const std::string& path, std::string* error);

}  // namespace nexus::plugin
