// Config file -> loaded plugins -> runtime: the start-up sequence shared by `serve`, `chat`
// and reload.
#pragma once

#include "config/config.hpp"
#include "core/runtime.hpp"
#include "plugin/loader.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace nexus::core {

using PluginMap = std::map<std::string, std::shared_ptr<const plugin::LoadedPlugin>>;

// Installs the core's functions into the host table (exchange, metrics, key-value). Idempotent; must run
// before the first plugin loads.
void install_host_services();

// Loads and validates the config. Diagnostics go to *errors (one line each).
std::shared_ptr<const config::Config> load_config(const std::string& path, std::vector<std::string>* errors);

// Loads every plugin in cfg.plugins.dir. A broken plugin is an error unless
// plugins.on_error is skip (then a warning, logged).
bool load_plugins(const config::Config& cfg, PluginMap* plugins, std::vector<std::string>* errors);

// Config -> plugins -> state -> runtime, for the one-shot commands (chat, models). Null with
// one message per problem in *errors.
std::shared_ptr<Runtime> open_runtime(const std::string& config_path, PluginMap* plugins, std::vector<std::string>* errors);

}  // namespace nexus::core
