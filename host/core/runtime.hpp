// The live gateway state built from one validated config: provider instances, routes and
// middleware chains. Immutable once built; a reload builds a new one and swaps the pointer.
#pragma once

#include "config/config.hpp"
#include "core/key_rotation.hpp"
#include "core/metrics.hpp"
#include "core/model_registry.hpp"
#include "core/retry_policy.hpp"
#include "core/target_health.hpp"
#include "plugin/loader.hpp"

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace nexus::core {

struct ProviderRuntime {
    std::string name;
    config::ProviderConfig cfg;
    std::shared_ptr<const plugin::LoadedPlugin> plugin;  // keeps the library loaded
    void* instance = nullptr;                            // plugin-owned
    bool available = false;
    std::string unavailable_reason;  // e.g. "set OPENAI_API_KEY"; never a secret
    mutable std::atomic<size_t> next_key{0};
    // A key that gets 401 leaves the rotation until a reload (a provider whose keys all did
    // answers with an error naming it). With two keys or more, a key also cools down on 429
    // (with one there is nothing to rotate to: the route's retry policy waits instead).
    mutable KeyRotation key_rotation;

    const std::string& pick_key() const;  // round robin, no rotation state (model lists); empty when keyless
    ~ProviderRuntime();
};

struct MiddlewareRuntime {
    std::string name;
    std::shared_ptr<const plugin::LoadedPlugin> plugin;
    void* instance = nullptr;
    bool fail_open = false;  // on_error: fail_open
    uint64_t hooks = 0;      // NX_CAP_*_HOOK bits this instance uses (declared, narrowed, non-null)
    bool has(uint64_t hook) const { return (hooks & hook) != 0; }
    // nexus_middleware_hook_seconds{middleware, hook}, resolved when the chain is built.
    Metrics::Series* on_request_seconds = nullptr;
    Metrics::Series* on_response_seconds = nullptr;
    ~MiddlewareRuntime();
};

struct Chain {
    std::string name;
    std::vector<std::shared_ptr<MiddlewareRuntime>> entries;
};

struct Target {
    std::shared_ptr<ProviderRuntime> provider;
    std::string model;
    std::string params_json;
    std::shared_ptr<TargetHealth> health;  // never null after build/resolve
    unsigned weight = 1;
};

struct ResolvedRoute {
    std::string name;     // the route's model name, or "provider/model"
    std::string strategy;
    const Chain* chain = nullptr;  // never null after resolve
    std::vector<Target> targets;
    RetryPolicy retry;
    config::BreakerConfig breaker;
    config::RouteTimeoutsConfig timeouts;
};

class Runtime {
public:
    // Creates provider and middleware instances. On failure returns null with one message per
    // problem in *errors (plugin missing, create failed with the plugin's own message).
    static std::shared_ptr<Runtime> build(std::shared_ptr<const config::Config> cfg,
                                          const std::map<std::string, std::shared_ptr<const plugin::LoadedPlugin>>& plugins,
                                          std::vector<std::string>* errors);

    const config::Config& config() const { return *cfg_; }
    // A route by public name, or `provider/model` for a direct provider target. Null if none.
    const ResolvedRoute* resolve(const std::string& model, ResolvedRoute* scratch) const;
    const std::map<std::string, std::shared_ptr<ProviderRuntime>>& providers() const { return providers_; }
    const std::vector<ResolvedRoute>& routes() const { return routes_; }
    const Chain& default_chain() const { return chains_.at("default"); }
    const Chain* chain(const std::string& name) const {
        auto it = chains_.find(name);
        return it == chains_.end() ? nullptr : &it->second;
    }
    const ModelRegistry& models() const { return *models_; }

private:
    std::shared_ptr<const config::Config> cfg_;
    std::map<std::string, std::shared_ptr<ProviderRuntime>> providers_;
    std::map<std::string, Chain> chains_;
    std::vector<ResolvedRoute> routes_;
    std::shared_ptr<const ModelRegistry> models_;
};

}  // namespace nexus::core
