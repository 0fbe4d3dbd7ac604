// Reads `keys_file`: a YAML (or JSON, which YAML reads too) file holding the key list, either
// as the whole document or under a top-level `keys:`. A relative path is taken from the
// gateway's working directory.
#pragma once

#include <rapidjson/document.h>

#include <string>

namespace nexus::auth {

// The file's key list as JSON. Throws nexus::sdk::Error(NX_ERR_INVALID) naming the file (and
// line and column for YAML syntax errors).
rapidjson::Document load_key_file(const std::string& path);

}  // namespace nexus::auth
