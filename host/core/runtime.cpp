#include "core/runtime.hpp"

#include "plugin/abi_objects.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <spdlog/spdlog.h>

namespace nexus::core {

namespace {
const std::string kNoKey;

nx_str nx(const std::string& s) { return nx_str{s.data(), s.size()}; }

// Splits "on_error" out of a middleware's config JSON: it is the host's, not the plugin's.
std::string strip_on_error(const std::string& json, bool* fail_open, std::string* error) {
    rapidjson::Document d;
    d.Parse(json.data(), json.size());
    if (d.HasParseError() || !d.IsObject()) return json;
    auto it = d.FindMember("on_error");
    if (it == d.MemberEnd()) return json;
    std::string v = it->value.IsString() ? it->value.GetString() : "";
    if (v == "fail_open") *fail_open = true;
    else if (v != "fail_closed") *error = "on_error: expected fail_open or fail_closed";
    d.RemoveMember(it);
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    d.Accept(w);
    return std::string(sb.GetString(), sb.GetSize());
}
// The hooks an instance uses: those its plugin declares (every non-null one when it declares
// none, as a raw C plugin may), narrowed by set_instance_hooks during create.
uint64_t instance_hooks(const plugin::LoadedPlugin& p, uint64_t narrowed) {
    const auto* vt = p.middleware;
    uint64_t present = (vt->on_request ? NX_CAP_REQUEST_HOOK : 0) | (vt->on_response ? NX_CAP_RESPONSE_HOOK : 0) |
                       (vt->on_chunk ? NX_CAP_CHUNK_HOOK : 0) | (vt->on_complete ? NX_CAP_COMPLETE_HOOK : 0);
    constexpr uint64_t kAll = NX_CAP_REQUEST_HOOK | NX_CAP_RESPONSE_HOOK | NX_CAP_CHUNK_HOOK | NX_CAP_COMPLETE_HOOK;
    uint64_t declared = p.capabilities & kAll;
    return present & (declared ? declared : kAll) & narrowed;
}
}  // namespace

const std::string& ProviderRuntime::pick_key() const {
    if (cfg.keys.empty()) return kNoKey;
    return cfg.keys[next_key.fetch_add(1, std::memory_order_relaxed) % cfg.keys.size()];
}

ProviderRuntime::~ProviderRuntime() {
    if (instance && plugin && plugin->provider && plugin->provider->destroy) plugin->provider->destroy(instance);
}

MiddlewareRuntime::~MiddlewareRuntime() {
    if (instance && plugin && plugin->middleware && plugin->middleware->destroy) plugin->middleware->destroy(instance);
}

std::shared_ptr<Runtime> Runtime::build(std::shared_ptr<const config::Config> cfg,
                                        const std::map<std::string, std::shared_ptr<const plugin::LoadedPlugin>>& plugins,
                                        std::vector<std::string>* errors) {
    auto rt = std::make_shared<Runtime>();
    rt->cfg_ = cfg;
    auto fail = [&](std::string msg) { errors->push_back(std::move(msg)); };
    rt->models_ = ModelRegistry::build(cfg->models_json, errors);
    auto where = [](const config::Mark& m) {
        return m.file + (m.line ? ":" + std::to_string(m.line) + ":" + std::to_string(m.column) : std::string()) + ": ";
    };

    for (const auto& pc : cfg->providers) {
        auto p = std::make_shared<ProviderRuntime>();
        p->name = pc.name;
        p->cfg = pc;
        p->key_rotation.reset(pc.keys.size());
        auto it = plugins.find(pc.plugin);
        bool optional = std::find(cfg->plugins.optional.begin(), cfg->plugins.optional.end(), pc.plugin) !=
                        cfg->plugins.optional.end();
        if (it == plugins.end() || it->second->kind != NX_KIND_PROVIDER) {
            std::string why = it == plugins.end() ? "is not loaded (no such plugin in " + cfg->plugins.dir + ")"
                                                  : "is not a provider plugin";
            if (!optional) {
                fail(where(pc.mark) + "provider '" + pc.name + "': plugin '" + pc.plugin + "' " + why);
                continue;
            }
            p->unavailable_reason = "plugin '" + pc.plugin + "' " + why;
            rt->providers_[pc.name] = p;
            continue;
        }
        p->plugin = it->second;
        nx_call call;
        call.plugin = p->plugin->name;
        nx_status st = p->plugin->provider->create(&call, nx(pc.options_json), &p->instance);
        if (st != NX_OK || !p->instance) {
            p->instance = nullptr;
            fail(where(pc.mark) + "provider '" + pc.name + "': plugin '" + pc.plugin +
                 "' refused its config: " + (call.error.empty() ? "create failed" : call.error));
            continue;
        }
        if (pc.keys.empty() && !pc.missing_key_vars.empty()) {
            p->unavailable_reason = "no API key: set " + pc.missing_key_vars.front();
        } else {
            p->available = true;
        }
        rt->providers_[pc.name] = p;
    }

    for (const auto& [chain_name, refs] : cfg->chains) {
        Chain chain;
        chain.name = chain_name;
        for (const auto& ref : refs) {
            auto it = plugins.find(ref.name);
            if (it == plugins.end() || it->second->kind != NX_KIND_MIDDLEWARE) {
                fail(where(ref.mark) + "chain '" + chain_name + "': middleware '" + ref.name + "' " +
                     (it == plugins.end() ? "is not loaded (no such plugin in " + cfg->plugins.dir + ")"
                                          : "is not a middleware plugin"));
                continue;
            }
            auto m = std::make_shared<MiddlewareRuntime>();
            m->name = ref.name;
            m->plugin = it->second;
            std::string err;
            std::string plugin_cfg = strip_on_error(ref.config_json, &m->fail_open, &err);
            if (!err.empty()) {
                fail(where(ref.mark) + "middleware '" + ref.name + "': " + err);
                continue;
            }
            nx_call call;
            call.plugin = m->plugin->name;
            nx_status st = m->plugin->middleware->create(&call, nx(plugin_cfg), &m->instance);
            if (st != NX_OK || !m->instance) {
                m->instance = nullptr;
                fail(where(ref.mark) + "middleware '" + ref.name + "' refused its config: " +
                     (call.error.empty() ? "create failed" : call.error));
                continue;
            }
            m->hooks = instance_hooks(*m->plugin, call.instance_hooks);
            auto& metrics = Metrics::instance();
            m->on_request_seconds = metrics.histogram(
                "nexus_middleware_hook_seconds", LabelText().add("middleware", m->name).add("hook", "on_request").view());
            m->on_response_seconds = metrics.histogram(
                "nexus_middleware_hook_seconds", LabelText().add("middleware", m->name).add("hook", "on_response").view());
            chain.entries.push_back(std::move(m));
        }
        rt->chains_[chain_name] = std::move(chain);
    }
    if (!rt->chains_.count("default")) rt->chains_["default"] = Chain{"default", {}};

    for (const auto& rc : cfg->routes) {
        ResolvedRoute r;
        r.name = rc.model;
        r.strategy = rc.strategy;
        r.retry = RetryPolicy::from(rc.retry);
        r.breaker = rc.breaker;
        r.timeouts = rc.timeouts;
        auto chain_it = rt->chains_.find(rc.chain.empty() ? "default" : rc.chain);
        r.chain = chain_it == rt->chains_.end() ? &rt->chains_["default"] : &chain_it->second;
        for (const auto& tc : rc.targets) {
            auto pit = rt->providers_.find(tc.provider);
            if (pit == rt->providers_.end()) continue;  // already reported above
            r.targets.push_back(Target{pit->second, tc.model, tc.params_json, target_health(tc.provider, tc.model), tc.weight});
        }
        rt->routes_.push_back(std::move(r));
    }
    // The default route lends its targets to the auto routes without targets of their own and,
    // unless a route is named so, serves the model `auto` (first healthy target first).
    auto def = std::find_if(cfg->routes.begin(), cfg->routes.end(), [](const auto& rc) { return rc.is_default; });
    if (def != cfg->routes.end() && rt->routes_.size() == cfg->routes.size()) {
        const ResolvedRoute base = rt->routes_[size_t(def - cfg->routes.begin())];
        for (auto& r : rt->routes_)
            if (r.strategy == "auto" && r.targets.empty()) r.targets = base.targets;
        if (!cfg->route("auto")) {
            ResolvedRoute a = base;
            a.name = "auto";
            a.strategy = "auto";
            rt->routes_.push_back(std::move(a));
        }
    }
    if (!errors->empty()) return nullptr;
    return rt;
}

const ResolvedRoute* Runtime::resolve(const std::string& model, ResolvedRoute* scratch) const {
    for (const auto& r : routes_)
        if (r.name == model) return &r;
    auto slash = model.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == model.size()) return nullptr;
    auto pit = providers_.find(model.substr(0, slash));
    if (pit == providers_.end()) return nullptr;
    scratch->name = model;
    scratch->strategy = "fallback";
    scratch->retry = RetryPolicy::from(config::RetryConfig{});
    scratch->chain = &chains_.at("default");
    scratch->breaker = config::BreakerConfig{};
    scratch->timeouts = config::RouteTimeoutsConfig{};
    std::string upstream = model.substr(slash + 1);
    scratch->targets = {Target{pit->second, upstream, {}, target_health(pit->first, upstream)}};
    return scratch;
}

}  // namespace nexus::core
