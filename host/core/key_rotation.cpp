#include "core/key_rotation.hpp"

#include <algorithm>

namespace nexus::core {

void KeyRotation::reset(size_t count) {
    std::lock_guard<std::mutex> lock(mu_);
    keys_.assign(count, Key{});
    next_ = 0;
}

KeyRotation::Pick KeyRotation::pick(Clock::time_point now) {
    std::lock_guard<std::mutex> lock(mu_);
    Pick p;
    if (keys_.empty()) return p;
    Clock::time_point soonest = Clock::time_point::max();
    size_t rejected = 0;
    for (size_t n = 0; n < keys_.size(); ++n) {
        size_t i = (next_ + n) % keys_.size();
        const Key& k = keys_[i];
        if (k.rejected) {
            ++rejected;
            continue;
        }
        if (k.cool_until > now) {
            soonest = std::min(soonest, k.cool_until);
            continue;
        }
        next_ = i + 1;
        p.index = int(i);
        return p;
    }
    p.all_rejected = rejected == keys_.size();
    if (!p.all_rejected)
        p.retry_after_ms = std::chrono::duration_cast<std::chrono::milliseconds>(soonest - now).count() + 1;
    return p;
}

void KeyRotation::cool_down(size_t index, std::chrono::milliseconds for_, Clock::time_point now) {
    std::lock_guard<std::mutex> lock(mu_);
    if (index < keys_.size()) keys_[index].cool_until = std::max(keys_[index].cool_until, now + for_);
}

void KeyRotation::reject(size_t index) {
    std::lock_guard<std::mutex> lock(mu_);
    if (index < keys_.size()) keys_[index].rejected = true;
}

}  // namespace nexus::core
