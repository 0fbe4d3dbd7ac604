// The settings of an `auth` chain entry:
//   {keys: [{id, hash: "sha256:<hex>", models?: [patterns], metadata?: {...}, chain?: NAME}], keys_file?: PATH}
// Both sources may be given; together they must hold at least one key, ids and hashes unique.
#pragma once

#include "key_table.hpp"

#include <string_view>

namespace nexus::auth {

// Throws nexus::sdk::Error(NX_ERR_INVALID, "auth: ...") on any problem.
KeyTable read_auth_config(std::string_view config_json);

}  // namespace nexus::auth
