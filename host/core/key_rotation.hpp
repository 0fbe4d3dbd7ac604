// A provider's API keys in rotation: round robin over the keys that are neither cooling down
// after a 429 nor taken out after a 401. Shared by every thread of one runtime. Only indexes
// are handled here; the keys themselves stay in the config.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace nexus::core {

class KeyRotation {
public:
    using Clock = std::chrono::steady_clock;
    explicit KeyRotation(size_t count = 0) : keys_(count) {}
    void reset(size_t count);

    struct Pick {
        int index = -1;              // -1: no usable key
        bool all_rejected = false;   // every key got a 401
        int64_t retry_after_ms = 0;  // when all usable keys cool down: until the first is back
    };
    Pick pick(Clock::time_point now = Clock::now());
    void cool_down(size_t index, std::chrono::milliseconds for_, Clock::time_point now = Clock::now());
    void reject(size_t index);  // out of rotation until the next reload
    size_t size() const { return keys_.size(); }

private:
    struct Key {
        Clock::time_point cool_until{};
        bool rejected = false;
    };
    std::mutex mu_;
    std::vector<Key> keys_;
    size_t next_ = 0;
};

}  // namespace nexus::core
