// Test helpers: run a KvStore operation and wait for its callback.
#pragma once

#include "state/kv_store.hpp"

#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>

namespace nexus::state::test {

struct Waiter {
    std::shared_ptr<std::promise<KvResult>> promise = std::make_shared<std::promise<KvResult>>();
    std::future<KvResult> future = promise->get_future();
    KvCallback callback() {
        auto p = promise;
        return [p](KvResult r) { p->set_value(std::move(r)); };
    }
    KvResult wait(std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
        if (future.wait_for(limit) != std::future_status::ready)
            throw std::runtime_error("key-value callback did not run within " + std::to_string(limit.count()) + " ms");
        return future.get();
    }
};

inline KvResult get(KvStore& s, const std::string& key) {
    Waiter w;
    s.get(key, w.callback());
    return w.wait();
}
inline KvResult set(KvStore& s, const std::string& key, const std::string& value,
                    std::chrono::milliseconds ttl = std::chrono::milliseconds(0)) {
    Waiter w;
    s.set(key, value, ttl, w.callback());
    return w.wait();
}
inline KvResult incr(KvStore& s, const std::string& key, int64_t delta,
                     std::chrono::milliseconds ttl = std::chrono::milliseconds(0)) {
    Waiter w;
    s.incr(key, delta, ttl, w.callback());
    return w.wait();
}
inline KvResult del(KvStore& s, const std::string& key) {
    Waiter w;
    s.del(key, w.callback());
    return w.wait();
}

}  // namespace nexus::state::test
