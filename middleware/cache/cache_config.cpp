#include "cache_config.hpp"

#include "config_reader.hpp"

namespace nexus::cache {

CacheConfig read_cache_config(std::string_view config_json) {
    mw::ConfigReader cfg("cache", config_json);
    cfg.only({"ttl", "max_entry_bytes", "namespace"});
    CacheConfig c;
    c.ttl_ms = cfg.duration_ms("ttl", 1000).value_or(c.ttl_ms);
    c.max_entry_bytes = cfg.size_bytes("max_entry_bytes", 1).value_or(c.max_entry_bytes);
    c.ns = cfg.string("namespace", true).value_or("");
    return c;
}

}  // namespace nexus::cache
