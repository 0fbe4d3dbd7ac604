// A log line that is written at most once per interval, with the count of the repeats it
// held back, so that an outage (Redis down) does not write one line per request.
#pragma once

#include "nexus/nexus.hpp"

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace nexus::mw {

class ThrottledLog {
public:
    explicit ThrottledLog(uint64_t interval_ms = 10'000) : interval_ms_(interval_ms) {}

    // `call` may be NULL (e.g. in a key-value callback, where no plugin call is running).
    void write(nx_call* call, nx_log_level level, std::string_view msg) {
        uint64_t now = nexus::sdk::host().now_unix_ms();
        uint64_t next = next_ms_.load(std::memory_order_relaxed);
        if (now < next || !next_ms_.compare_exchange_strong(next, now + interval_ms_)) {
            held_back_.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        std::string line(msg);
        if (uint64_t n = held_back_.exchange(0)) line += " (" + std::to_string(n) + " more like this held back)";
        nexus::sdk::host().log(call, level, nexus::sdk::to_nx(line));
    }

private:
    uint64_t interval_ms_;
    std::atomic<uint64_t> next_ms_{0};
    std::atomic<uint64_t> held_back_{0};
};

}  // namespace nexus::mw
