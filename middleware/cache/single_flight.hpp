// Single flight per cache key within one process: the first miss for a key leads (goes
// upstream), identical requests arriving meanwhile wait for it, and the leader hands its
// answer to them when it lands (or lets them go upstream themselves when it failed).
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace nexus::cache {

template <class Waiter>
class SingleFlight {
public:
    // True: the caller now leads the flight for `key`. False: a flight is on, and `w` waits.
    bool lead_or_wait(const std::string& key, Waiter w) {
        std::lock_guard<std::mutex> lock(mu_);
        auto [it, fresh] = flights_.try_emplace(key);
        if (!fresh) it->second.push_back(std::move(w));
        return fresh;
    }

    // Ends the flight for `key` and returns who waited for it.
    std::vector<Waiter> land(const std::string& key) {
        std::lock_guard<std::mutex> lock(mu_);
        auto it = flights_.find(key);
        if (it == flights_.end()) return {};
        std::vector<Waiter> out = std::move(it->second);
        flights_.erase(it);
        return out;
    }

    size_t size() const {
        std::lock_guard<std::mutex> lock(mu_);
        return flights_.size();
    }

private:
    mutable std::mutex mu_;
    std::unordered_map<std::string, std::vector<Waiter>> flights_;
};

}  // namespace nexus::cache
