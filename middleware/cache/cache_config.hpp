// The settings of a `cache` chain entry: {ttl: 300s, max_entry_bytes: 1MiB, namespace: ""}.
// `namespace` separates caches that share one store (e.g. two gateways whose model names
// mean different upstream models).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nexus::cache {

struct CacheConfig {
    uint64_t ttl_ms = 300'000;
    uint64_t max_entry_bytes = 1u << 20;
    std::string ns;
};

// Throws nexus::sdk::Error(NX_ERR_INVALID, "cache: ...") naming the field.
CacheConfig read_cache_config(std::string_view config_json);

}  // namespace nexus::cache
