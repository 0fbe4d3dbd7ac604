#include "state/memory_shard.hpp"

#include "state/completion.hpp"
#include "state/int_text.hpp"

namespace nexus::state {

namespace {
MemoryShard::Clock::time_point expiry_after(std::chrono::milliseconds ttl, MemoryShard::Clock::time_point now) {
    if (ttl.count() <= 0) return MemoryShard::Clock::time_point::max();
    // A TTL past the clock's range means "never" in practice.
    if (ttl > std::chrono::duration_cast<std::chrono::milliseconds>(MemoryShard::Clock::time_point::max() - now))
        return MemoryShard::Clock::time_point::max();
    return now + ttl;
}
}  // namespace

MemoryShard::Lru::iterator MemoryShard::find(const std::string& key, Clock::time_point now) {
    auto it = index_.find(std::string_view(key));
    if (it == index_.end()) return lru_.end();
    auto entry = it->second;
    if (entry->expires <= now) {
        erase(entry);
        return lru_.end();
    }
    lru_.splice(lru_.begin(), lru_, entry);
    return entry;
}

void MemoryShard::erase(Lru::iterator it) {
    if (it->expires != kNever) expiries_.erase({it->expires, &*it});
    index_.erase(std::string_view(it->key));
    bytes_ -= it->bytes();
    lru_.erase(it);
}

void MemoryShard::make_room(size_t need, Clock::time_point now) {
    while (bytes_ + need > max_bytes_ && !expiries_.empty() && expiries_.begin()->first <= now)
        erase(index_.find(std::string_view(expiries_.begin()->second->key))->second);
    while (bytes_ + need > max_bytes_ && !lru_.empty()) erase(std::prev(lru_.end()));
}

KvResult MemoryShard::insert(std::string key, std::string value, Clock::time_point expires, Clock::time_point now) {
    size_t need = key.size() + value.size();
    if (need > max_bytes_)
        return failed(KvStatus::error, "entry of " + std::to_string(need) + " bytes is larger than the memory store's " +
                                           std::to_string(max_bytes_) + "-byte shard");
    make_room(need, now);
    lru_.push_front(Entry{std::move(key), std::move(value), expires});
    auto it = lru_.begin();
    index_.emplace(std::string_view(it->key), it);
    if (expires != kNever) expiries_.insert({expires, &*it});
    bytes_ += need;
    return KvResult{};
}

KvResult MemoryShard::get(const std::string& key, Clock::time_point now) {
    KvResult r;
    auto it = find(key, now);
    if (it != lru_.end()) {
        r.found = true;
        r.value = it->value;
    }
    return r;
}

KvResult MemoryShard::set(const std::string& key, std::string value, std::chrono::milliseconds ttl,
                          Clock::time_point now) {
    auto it = index_.find(std::string_view(key));
    if (it != index_.end()) erase(it->second);
    return insert(key, std::move(value), expiry_after(ttl, now), now);
}

KvResult MemoryShard::incr(const std::string& key, int64_t delta, std::chrono::milliseconds ttl,
                           Clock::time_point now) {
    int64_t current = 0;
    Clock::time_point expires = kNever;
    auto it = find(key, now);
    if (it != lru_.end()) {
        auto parsed = parse_int64_text(it->value);
        if (!parsed) return failed(KvStatus::error, "value is not an integer");
        current = *parsed;
        expires = it->expires;
    }
    int64_t next = 0;
    if (__builtin_add_overflow(current, delta, &next))
        return failed(KvStatus::error, "increment or decrement would overflow");
    if (expires == kNever) expires = expiry_after(ttl, now);  // a window starts at its first increment
    if (it != lru_.end()) erase(it);
    KvResult r = insert(key, std::to_string(next), expires, now);
    if (r.status == KvStatus::ok) r.number = next;
    return r;
}

KvResult MemoryShard::del(const std::string& key, Clock::time_point now) {
    KvResult r;
    auto it = find(key, now);
    if (it != lru_.end()) {
        erase(it);
        r.found = true;
        r.number = 1;
    }
    return r;
}

}  // namespace nexus::state
