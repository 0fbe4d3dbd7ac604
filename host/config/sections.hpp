// One reader per top-level section of the config file (internal to host/config). Each
// reports every problem it finds through the Reader and fills what it could read.
#pragma once

#include "config/config.hpp"
#include "config/reader.hpp"

namespace nexus::config::detail {

void read_server(Reader& r, const Field& f, ServerConfig& out);
void read_log(Reader& r, const Field& f, LogConfig& out);
void read_plugins(Reader& r, const Field& f, PluginsConfig& out);
void read_state(Reader& r, const Field& f, StateConfig& out);
void read_admin(Reader& r, const Field& f, AdminConfig& out);
void read_models(Reader& r, const Field& f, std::string& models_json);
void read_providers(Reader& r, const Field& f, std::vector<ProviderConfig>& out);
void read_routes(Reader& r, const Field& f, std::vector<RouteConfig>& out);
void read_chains(Reader& r, const Field& f, std::map<std::string, std::vector<MiddlewareRef>>& out);

// The whole document (a mapping of the sections above).
void read_document(Reader& r, const Field& root, Config& out);

// Names used in routes and chains that must be defined elsewhere (providers, chains, plugins).
void check_references(Reader& r, const Config& cfg, const KnownPlugins& known);

inline const std::vector<std::string>& builtin_middleware() {
    static const std::vector<std::string> names{"auth", "cache", "ratelimit", "sanitize", "audit"};
    return names;
}

}  // namespace nexus::config::detail
