#include "core/bootstrap.hpp"

#include "core/exchange.hpp"
#include "core/loop_context.hpp"
#include "core/metrics.hpp"
#include "core/state_service.hpp"
#include "plugin/file_digest.hpp"
#include "plugin/host_api.hpp"
#include "state/loop_hooks.hpp"

#include <filesystem>

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
        // Key-value callbacks go back to the event loop of the thread that made the call.
        state::set_loop_hooks(current_loop, post_to_loop);
        install_kv_api(*api);
    });
}

std::shared_ptr<const config::Config> load_config(const std::string& path, std::vector<std::string>* errors) {
    auto result = config::load_file(path);
    for (const auto& w : result.warnings) spdlog::warn("{}", w.to_string());
    for (const auto& d : result.diagnostics) errors->push_back(d.to_string());
    return result.config;
}

// plugins.pin: a pinned plugin's file (<dir>/nexus_<name>.so) must hash to the pin before
// anything is loaded, and no other file may claim that plugin's name.
static bool check_pins_before_load(const config::Config& cfg, std::vector<std::string>* errors) {
    bool ok = true;
    for (const auto& [name, pin] : cfg.plugins.pin) {
        std::string path = (std::filesystem::path(cfg.plugins.dir) / ("nexus_" + name + ".so")).string();
        std::string err;
        auto digest = plugin::file_sha256_hex(path, &err);
        std::string want = pin.substr(pin.find(':') + 1);
        if (!digest) {
            errors->push_back("plugins.pin: plugin '" + name + "': " + err);
            ok = false;
        } else if (*digest != want) {
            errors->push_back("plugins.pin: plugin '" + name + "' (" + path + ") has sha256:" + *digest +
                              ", the config pins sha256:" + want + "; refusing to load it");
            ok = false;
        }
    }
    return ok;
}

bool load_plugins(const config::Config& cfg, PluginMap* plugins, std::vector<std::string>* errors) {
    install_host_services();
    if (!check_pins_before_load(cfg, errors)) return false;
    auto loaded = plugin::load_directory(cfg.plugins.dir);
    bool ok = true;
    for (const auto& [name, pin] : cfg.plugins.pin) {
        auto it = loaded.plugins.find(name);
        std::string expected = (std::filesystem::path(cfg.plugins.dir) / ("nexus_" + name + ".so")).string();
        if (it != loaded.plugins.end() &&
            std::filesystem::weakly_canonical(it->second->path) != std::filesystem::weakly_canonical(expected)) {
            errors->push_back("plugins.pin: plugin '" + name + "' was loaded from " + it->second->path +
                              ", not from the pinned file " + expected);
            ok = false;
        }
    }
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

std::shared_ptr<Runtime> open_runtime(const std::string& config_path, PluginMap* plugins, std::vector<std::string>* errors) {
    auto cfg = load_config(config_path, errors);
    if (!cfg || !load_plugins(*cfg, plugins, errors) || !start_state(*cfg, errors)) return nullptr;
    return Runtime::build(cfg, *plugins, errors);
}

}  // namespace nexus::core
