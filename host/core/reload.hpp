// Reload: re-read the config file into a new runtime and swap it in. Used by SIGHUP and by
// POST /admin/reload; a bad file keeps the running config.
#pragma once

#include "core/bootstrap.hpp"

#include <string>
#include <vector>

namespace nexus::core {

class Gateway;

// Empty when reloaded; otherwise the diagnostics (one line each), and nothing changed.
std::vector<std::string> reload_gateway(const std::string& path, const PluginMap& plugins, Gateway& gw);

}  // namespace nexus::core
