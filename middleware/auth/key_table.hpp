// The virtual keys an `auth` entry accepts. Only SHA-256 digests of the keys are held; a
// presented key is hashed and compared against every digest in constant time.
#pragma once

#include "sha256.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nexus::auth {

struct VirtualKey {
    std::string id;                   // reported as attr key_id; never the key itself
    mw::Digest digest{};              // sha256 of the key
    std::vector<std::string> models;  // glob patterns; empty: every model
    std::string metadata_json = "{}"; // reported as attr key_metadata
    std::string chain;                // attr `chain`: the host runs it after the current chain
};

class KeyTable {
public:
    // Returns the id of an already held key with the same id or the same digest, if any.
    std::optional<std::string> conflict(const VirtualKey& k) const;
    void add(VirtualKey k) { keys_.push_back(std::move(k)); }
    size_t size() const { return keys_.size(); }

    // The key whose digest is sha256(presented), or nullptr. Compares against every held
    // digest with CRYPTO_memcmp, so the time taken does not depend on which key matched.
    const VirtualKey* find(std::string_view presented) const;

private:
    std::vector<VirtualKey> keys_;
};

// True when `key` may be used with `model`: it has no model list, or a pattern matches.
bool model_allowed(const VirtualKey& key, std::string_view model);

}  // namespace nexus::auth
