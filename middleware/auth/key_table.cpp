#include "key_table.hpp"

#include "glob.hpp"

#include <openssl/crypto.h>

namespace nexus::auth {

std::optional<std::string> KeyTable::conflict(const VirtualKey& k) const {
    for (const auto& held : keys_)
        if (held.id == k.id || held.digest == k.digest) return held.id;
    return std::nullopt;
}

const VirtualKey* KeyTable::find(std::string_view presented) const {
    const mw::Digest d = mw::sha256(presented);
    const VirtualKey* match = nullptr;
    for (const auto& k : keys_) {
        const bool equal = CRYPTO_memcmp(d.data(), k.digest.data(), d.size()) == 0;
        if (equal) match = &k;
    }
    return match;
}

bool model_allowed(const VirtualKey& key, std::string_view model) {
    if (key.models.empty()) return true;
    for (const auto& pattern : key.models)
        if (glob_match(pattern, model)) return true;
    return false;
}

}  // namespace nexus::auth
