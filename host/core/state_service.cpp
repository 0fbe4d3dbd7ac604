#include "core/state_service.hpp"

#include "plugin/abi_objects.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>

namespace nexus::core {

namespace {

std::mutex g_mu;                           // start/stop
std::unique_ptr<state::KvStore> g_started;  // owned by start_state/stop_state
std::atomic<state::KvStore*> g_active{nullptr};

state::KvStore& fallback_store() {
    static std::unique_ptr<state::KvStore> store = [] {
        spdlog::debug("key-value service: no store was started; using an in-memory store");
        return state::make_memory_store();
    }();
    return *store;
}

// ---------------------------------------------------------------- plugin calls

// Bad arguments are answered synchronously: a status, and the reason on the call.
nx_status refuse(nx_call* call, const char* fn, const char* why) noexcept {
    try {
        call->error = std::string(fn) + ": " + why;
    } catch (...) {
    }
    return NX_ERR_INVALID;
}

// "<plugin>:<key>" into *out, or a refusal.
nx_status namespaced(nx_call* call, nx_str key, const char* fn, std::string* out) noexcept {
    if (call == nullptr) return NX_ERR_INVALID;
    if (call->plugin.empty()) return refuse(call, fn, "the call carries no plugin name, so the key has no namespace");
    if (key.ptr == nullptr && key.len != 0) return refuse(call, fn, "key is NULL with a non-zero length");
    try {
        out->reserve(call->plugin.size() + 1 + key.len);
        out->append(call->plugin).push_back(':');
        if (key.len) out->append(key.ptr, key.len);
        return NX_OK;
    } catch (const std::bad_alloc&) {
        return NX_ERR_NOMEM;
    }
}

nx_status ttl_of(nx_call* call, uint64_t ttl_ms, const char* fn, std::chrono::milliseconds* out) noexcept {
    // Beyond 2^62 ms (146 million years) the value can only be a mistake, and it must not wrap.
    if (ttl_ms > (uint64_t(1) << 62)) return refuse(call, fn, "ttl_ms is too large");
    *out = std::chrono::milliseconds(int64_t(ttl_ms));
    return NX_OK;
}

// The plugin's C callback, with the value view borrowed for its duration. NULL cb: the
// plugin does not wait for the result.
state::KvCallback to_callback(nx_kv_callback cb, void* user, std::string_view plugin, const char* fn) {
    if (cb == nullptr) return {};
    return [cb, user, plugin = std::string(plugin), fn](state::KvResult r) {
        nx_status st = NX_OK;
        if (r.status != state::KvStatus::ok) {
            st = NX_ERR;
            // An unreachable Redis is logged once per outage by the store; an answered
            // error is the plugin's business (e.g. incr on a non-integer value).
            if (r.status == state::KvStatus::error) spdlog::debug("[{}] {} failed: {}", plugin, fn, r.error);
        }
        cb(user, st, r.found ? 1 : 0, nx_str{r.value.data(), r.value.size()}, r.number);
    };
}

template <class Start>
nx_status start(nx_call* call, const char* fn, Start&& op) noexcept {
    try {
        op(kv_store());
        return NX_OK;
    } catch (const std::bad_alloc&) {
        return NX_ERR_NOMEM;
    } catch (const std::exception& e) {
        try {
            call->error = std::string(fn) + ": " + e.what();
        } catch (...) {
        }
        return NX_ERR;
    }
}

nx_status kv_get(nx_call* call, nx_str key, nx_kv_callback cb, void* user) noexcept {
    std::string k;
    if (nx_status st = namespaced(call, key, "kv_get", &k); st != NX_OK) return st;
    return start(call, "kv_get", [&](state::KvStore& s) { s.get(std::move(k), to_callback(cb, user, call->plugin, "kv_get")); });
}

nx_status kv_set(nx_call* call, nx_str key, nx_str value, uint64_t ttl_ms, nx_kv_callback cb, void* user) noexcept {
    std::string k;
    std::chrono::milliseconds ttl{0};
    if (nx_status st = namespaced(call, key, "kv_set", &k); st != NX_OK) return st;
    if (value.ptr == nullptr && value.len != 0) return refuse(call, "kv_set", "value is NULL with a non-zero length");
    if (nx_status st = ttl_of(call, ttl_ms, "kv_set", &ttl); st != NX_OK) return st;
    return start(call, "kv_set", [&](state::KvStore& s) {
        s.set(std::move(k), value.len ? std::string(value.ptr, value.len) : std::string(), ttl,
              to_callback(cb, user, call->plugin, "kv_set"));
    });
}

nx_status kv_incr(nx_call* call, nx_str key, int64_t delta, uint64_t ttl_ms, nx_kv_callback cb, void* user) noexcept {
    std::string k;
    std::chrono::milliseconds ttl{0};
    if (nx_status st = namespaced(call, key, "kv_incr", &k); st != NX_OK) return st;
    if (nx_status st = ttl_of(call, ttl_ms, "kv_incr", &ttl); st != NX_OK) return st;
    return start(call, "kv_incr", [&](state::KvStore& s) {
        s.incr(std::move(k), delta, ttl, to_callback(cb, user, call->plugin, "kv_incr"));
    });
}

nx_status kv_del(nx_call* call, nx_str key, nx_kv_callback cb, void* user) noexcept {
    std::string k;
    if (nx_status st = namespaced(call, key, "kv_del", &k); st != NX_OK) return st;
    return start(call, "kv_del", [&](state::KvStore& s) { s.del(std::move(k), to_callback(cb, user, call->plugin, "kv_del")); });
}

}  // namespace

bool start_state(const config::Config& cfg, std::vector<std::string>* errors) {
    std::lock_guard lock(g_mu);
    std::unique_ptr<state::KvStore> store;
    if (cfg.state.backend == "redis") {
        state::RedisStoreOptions opts;
        opts.url = cfg.state.url;
        try {
            store = state::make_redis_store(opts);
        } catch (const std::exception& e) {
            errors->push_back(std::string("state.url: ") + e.what());
            return false;
        }
    } else if (cfg.state.backend == "memory") {
        store = state::make_memory_store();
    } else {
        errors->push_back("state.backend: expected memory or redis, found '" + cfg.state.backend + "'");
        return false;
    }
    if (cfg.state.backend == "memory") spdlog::info("key-value state: memory");  // a Redis store says where itself
    g_active.store(store.get());
    if (g_started) spdlog::warn("key-value state started twice; the first store stays alive until exit");
    static std::vector<std::unique_ptr<state::KvStore>> retired;  // never freed under a plugin's feet
    if (g_started) retired.push_back(std::move(g_started));
    g_started = std::move(store);
    return true;
}

void stop_state() {
    std::lock_guard lock(g_mu);
    g_active.store(nullptr);
    g_started.reset();
}

state::KvStore& kv_store() {
    state::KvStore* s = g_active.load(std::memory_order_acquire);
    return s ? *s : fallback_store();
}

void install_kv_api(nx_host_api& api) {
    api.kv_get = kv_get;
    api.kv_set = kv_set;
    api.kv_incr = kv_incr;
    api.kv_del = kv_del;
}

}  // namespace nexus::core
