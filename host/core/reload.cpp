#include "core/reload.hpp"

#include "core/gateway.hpp"

#include <spdlog/spdlog.h>

#include <mutex>

namespace nexus::core {

std::vector<std::string> reload_gateway(const std::string& path, const PluginMap& plugins, Gateway& gw) {
    static std::mutex one_at_a_time;  // SIGHUP and the admin endpoint may race
    std::lock_guard<std::mutex> lock(one_at_a_time);
    std::vector<std::string> errors;
    auto cfg = load_config(path, &errors);
    std::shared_ptr<Runtime> rt;
    if (cfg) rt = Runtime::build(cfg, plugins, &errors);
    if (!rt) {
        if (errors.empty()) errors.push_back(path + ": the config could not be loaded");
        for (const auto& e : errors) spdlog::error("reload refused, keeping the running config: {}", e);
        return errors;
    }
    const auto& old = gw.runtime()->config();
    if (cfg->server.host != old.server.host || cfg->server.port != old.server.port)
        spdlog::warn("reload: server.listen changed; it takes effect at the next restart");
    if (cfg->state.backend != old.state.backend || cfg->state.url != old.state.url)
        spdlog::warn("reload: state changed; it takes effect at the next restart");
    gw.swap(rt);
    spdlog::info("reloaded {}", path);
    return {};
}

}  // namespace nexus::core
