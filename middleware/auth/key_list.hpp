// Reads a list of virtual keys (the `keys` setting, or the content of `keys_file`):
//   [{id: team-a, hash: "sha256:<64 hex>", models: ["gpt-test", "openai/*"], metadata: {...}}]
// Problems throw nexus::sdk::Error(NX_ERR_INVALID, ...) naming the entry and field.
#pragma once

#include "key_table.hpp"

#include <rapidjson/document.h>

#include <string>

namespace nexus::auth {

struct KeyListSource {
    std::string prefix;  // message start, e.g. "auth: " or "auth: keys_file 'keys.yaml': "
    std::string field;   // the list's name in messages, e.g. "keys" (entries: "keys[0].hash")
};

// Adds every entry of `list` to `table`.
void read_key_list(const rapidjson::Value& list, const KeyListSource& src, KeyTable& table);

// An id is 1 to 64 characters from [A-Za-z0-9._-].
bool valid_key_id(std::string_view id);

}  // namespace nexus::auth
