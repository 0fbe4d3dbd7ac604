#include "core/bootstrap.hpp"

#include "core/exchange.hpp"
#include "core/metrics.hpp"
#include "plugin/host_api.hpp"

#include <spdlog/spdlog.h>

#include <mutex>

namespace nexus::core {

namespace {
void counter_add(nx_str name, nx_str labels, double value) {
    if (!name.ptr || name.len == 0) return;
    Metrics::instance().add(std::string_view(name.ptr, name.len),
                            labels.ptr ? std::string_view(labels.ptr, labels.len) : std::string_view(), value);
}
}  // namespace

void install_host_services() {
    static std::once_flag once;
    std::call_once(once, [] {
        nx_host_api* api = plugin::mutable_host_api();
        install_exchange_api(*api);
        api->counter_add = counter_add;
    });
}

std::shared_ptr<const config::Config> load_config(const std::string& path, std::vector<std::string>* errors) {
    auto result = config::load_file(path);
    for (const auto& w : result.warnings) spdlog::warn("{}", w.to_string());
    for (const auto& d : result.diagnostics) errors->push_back(d.to_string());
    return result.config;
}

bool load_plugins(const config::Config& cfg, PluginMap* plugins, std::vector<std::string>* errors) {
    install_host_services();
    auto loaded = plugin::load_directory(cfg.plugins.dir);
    bool ok = true;
    for (const auto& e : loaded.errors) {
        if (cfg.plugins.skip_broken) {
            spdlog::warn("plugin skipped (plugins.on_error: skip): {}", e.message);
        } else {
            errors->push_back(e.message + " (set plugins.on_error: skip to start without it)");
            ok = false;
        }
    }
    *plugins = std::move(loaded.plugins);
    return ok;
}

}  // namespace nexus::core
