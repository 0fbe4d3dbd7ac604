// One shard of the in-memory store: a hash index over an LRU list, a byte budget, and an
// expiry index so that expired entries are the first to go when room is needed. Not
// thread-safe on its own; the store holds the shard's mutex around every call.
#pragma once

#include "state/kv_store.hpp"

#include <chrono>
#include <cstdint>
#include <list>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace nexus::state {

class MemoryShard {
public:
    using Clock = std::chrono::steady_clock;

    explicit MemoryShard(size_t max_bytes) : max_bytes_(max_bytes) {}

    KvResult get(const std::string& key, Clock::time_point now);
    KvResult set(const std::string& key, std::string value, std::chrono::milliseconds ttl, Clock::time_point now);
    KvResult incr(const std::string& key, int64_t delta, std::chrono::milliseconds ttl, Clock::time_point now);
    KvResult del(const std::string& key, Clock::time_point now);

    size_t bytes() const { return bytes_; }
    size_t size() const { return lru_.size(); }

private:
    static constexpr Clock::time_point kNever = Clock::time_point::max();

    struct Entry {
        std::string key;
        std::string value;
        Clock::time_point expires = kNever;
        size_t bytes() const { return key.size() + value.size(); }
    };
    using Lru = std::list<Entry>;  // front: most recently used

    // The live entry for key (touched as most recently used), or lru_.end() when absent or
    // expired (an expired entry is removed on the way).
    Lru::iterator find(const std::string& key, Clock::time_point now);
    void erase(Lru::iterator it);
    // Inserts a new entry (the key must be absent), making room first. Fails when the entry
    // alone is larger than the shard.
    KvResult insert(std::string key, std::string value, Clock::time_point expires, Clock::time_point now);
    void make_room(size_t need, Clock::time_point now);

    size_t max_bytes_;
    size_t bytes_ = 0;
    Lru lru_;
    std::unordered_map<std::string_view, Lru::iterator> index_;  // views into Entry::key
    std::set<std::pair<Clock::time_point, const Entry*>> expiries_;  // entries with a TTL
};

}  // namespace nexus::state
