// The in-process backend: sharded (one mutex per shard, chosen by the key's hash), bounded
// by max_bytes with LRU eviction, lazy TTL expiry. Operations run at once under the shard's
// lock; only the callback is deferred, to the caller's loop or to the store's callback thread.
#include "state/callback_thread.hpp"
#include "state/completion.hpp"
#include "state/kv_store.hpp"
#include "state/memory_shard.hpp"

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace nexus::state {

namespace {

class MemoryStore final : public KvStore {
public:
    explicit MemoryStore(const MemoryStoreOptions& opts) {
        size_t n = opts.shards == 0 ? 1 : opts.shards;
        size_t per_shard = opts.max_bytes / n;
        if (per_shard == 0) per_shard = 1;
        shards_.reserve(n);
        for (size_t i = 0; i < n; ++i) shards_.push_back(std::make_unique<Shard>(per_shard));
    }

    void get(std::string key, KvCallback cb) override {
        run(key, std::move(cb), [&](MemoryShard& s, auto now) { return s.get(key, now); });
    }
    void set(std::string key, std::string value, std::chrono::milliseconds ttl, KvCallback cb) override {
        run(key, std::move(cb), [&](MemoryShard& s, auto now) { return s.set(key, std::move(value), ttl, now); });
    }
    void incr(std::string key, int64_t delta, std::chrono::milliseconds ttl, KvCallback cb) override {
        run(key, std::move(cb), [&](MemoryShard& s, auto now) { return s.incr(key, delta, ttl, now); });
    }
    void del(std::string key, KvCallback cb) override {
        run(key, std::move(cb), [&](MemoryShard& s, auto now) { return s.del(key, now); });
    }
    const char* backend() const override { return "memory"; }

private:
    struct Shard {
        explicit Shard(size_t max_bytes) : data(max_bytes) {}
        std::mutex mu;
        MemoryShard data;
    };

    template <class Op>
    void run(const std::string& key, KvCallback cb, Op&& op) {
        auto completion = Completion::capture(std::move(cb));
        Shard& shard = *shards_[std::hash<std::string>{}(key) % shards_.size()];
        KvResult r;
        {
            std::lock_guard lock(shard.mu);
            r = op(shard.data, MemoryShard::Clock::now());
        }
        if (!completion.cb) return;
        void* loop = completion.loop;
        auto fn = std::move(completion).bind(std::move(r));
        if (!post_to_caller_loop(loop, fn)) callbacks_.post(std::move(fn));
    }

    std::vector<std::unique_ptr<Shard>> shards_;
    CallbackThread callbacks_;  // last member: drained and joined first
};

}  // namespace

std::unique_ptr<KvStore> make_memory_store(const MemoryStoreOptions& opts) {
    return std::make_unique<MemoryStore>(opts);
}

}  // namespace nexus::state
