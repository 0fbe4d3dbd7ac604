// The host's asynchronous key-value service behind nx_host_api.kv_* (memory or Redis).
// Middleware (cache, rate limits, budgets) keeps its shared state here, so several hosts
// pointed at one Redis agree.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace nexus::state {

enum class KvStatus {
    ok = 0,
    unavailable,  // the backend cannot be reached (Redis down); callers apply fail_open/closed
    error,        // the backend answered with an error (e.g. WRONGTYPE)
};

struct KvResult {
    KvStatus status = KvStatus::ok;
    bool found = false;   // get: the key existed
    std::string value;    // get
    int64_t number = 0;   // incr: the new value
    std::string error;    // why, when status != ok (never contains values)
};

using KvCallback = std::function<void(KvResult)>;

// All operations are asynchronous: the callback runs exactly once, never before the call
// returns, on the event loop of the thread that made the call when that thread has one
// (see core/loop_context.hpp), else on a backend thread. ttl 0 = no expiry.
class KvStore {
public:
    virtual ~KvStore() = default;
    virtual void get(std::string key, KvCallback cb) = 0;
    virtual void set(std::string key, std::string value, std::chrono::milliseconds ttl, KvCallback cb) = 0;
    // Atomically adds `delta` (creating the key at 0); the TTL is set only when the key has
    // none yet (a fixed window that starts at the first increment).
    virtual void incr(std::string key, int64_t delta, std::chrono::milliseconds ttl, KvCallback cb) = 0;
    virtual void del(std::string key, KvCallback cb) = 0;
    virtual const char* backend() const = 0;  // "memory" | "redis"
};

struct MemoryStoreOptions {
    size_t max_bytes = 256u << 20;  // keys + values; least recently used entries go first
    size_t shards = 16;
};
std::unique_ptr<KvStore> make_memory_store(const MemoryStoreOptions& opts = {});

struct RedisStoreOptions {
    std::string url;  // redis://[:password@]host:port[/db]
    size_t pool_size = 4;
    std::chrono::milliseconds connect_timeout{2000};
    std::chrono::milliseconds command_timeout{1000};
    std::chrono::milliseconds reconnect_backoff{500};
};
// Runs its own I/O thread. Throws std::invalid_argument for a malformed URL (message names it,
// without the password).
std::unique_ptr<KvStore> make_redis_store(const RedisStoreOptions& opts);

}  // namespace nexus::state
