#include "auth_config.hpp"

#include "config_reader.hpp"
#include "key_file.hpp"
#include "key_list.hpp"
#include "nexus/nexus.hpp"

namespace nexus::auth {

KeyTable read_auth_config(std::string_view config_json) {
    mw::ConfigReader cfg("auth", config_json);
    cfg.only({"keys", "keys_file"});
    KeyTable table;
    if (const rapidjson::Value* keys = cfg.get("keys"); keys && !keys->IsNull())
        read_key_list(*keys, KeyListSource{"auth: ", "keys"}, table);
    if (auto path = cfg.string("keys_file")) {
        rapidjson::Document list = load_key_file(*path);
        read_key_list(list, KeyListSource{"auth: keys_file '" + *path + "': ", ""}, table);
    }
    if (table.size() == 0)
        throw nexus::sdk::Error(NX_ERR_INVALID,
                                "auth: no keys: list them under 'keys' or in 'keys_file' (`nexus keys new` makes one)");
    return table;
}

}  // namespace nexus::auth
