// Health of one upstream target (provider + model), shared by every thread and kept across
// reloads: the circuit breaker, requests in flight and an EWMA of time to first byte.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace nexus::core {

enum class CircuitState { closed = 0, open = 1, half_open = 2 };
const char* circuit_state_name(CircuitState s);

// The failure-ratio rule: outcomes are counted in tumbling windows of `window`.
struct BreakerRatio {
    double ratio = 0;  // 0: off
    std::chrono::milliseconds window{60000};
    unsigned min_requests = 10;
};

class TargetHealth {
public:
    using Clock = std::chrono::steady_clock;
    enum class Admit { yes, probe, no };

    TargetHealth(std::string provider, std::string model);
    const std::string& provider() const { return provider_; }
    const std::string& model() const { return model_; }

    // Before an attempt: closed admits; open admits one probe once `cooldown` has passed
    // (half-open); half-open with its probe out admits nothing.
    Admit admit(std::chrono::milliseconds cooldown, Clock::time_point now = Clock::now());
    using RatioRule = BreakerRatio;
    void success(Clock::time_point now = Clock::now(), std::chrono::milliseconds window = std::chrono::milliseconds(60000));
    // A failure that says the target is unhealthy; `threshold` consecutive ones open it, and
    // so does the ratio rule.
    void failure(unsigned threshold, Clock::time_point now = Clock::now(), const RatioRule& rule = {});
    void probe_abandoned();  // the probe ended without a verdict (client went away)
    void first_byte(std::chrono::microseconds ttfb);

    std::atomic<int> in_flight{0};

    struct Snapshot {
        CircuitState state;
        unsigned consecutive_failures;
        int in_flight;
        double ewma_ttfb_ms;  // < 0: no sample yet
    };
    Snapshot snapshot() const;

private:
    void set_state(CircuitState s);  // with mu_ held

    const std::string provider_, model_;
    mutable std::mutex mu_;
    CircuitState state_ = CircuitState::closed;
    unsigned failures_ = 0;
    Clock::time_point opened_at_{};
    bool probe_out_ = false;
    Clock::time_point window_start_{};
    unsigned window_ok_ = 0, window_failed_ = 0;
    void roll_window(Clock::time_point now, std::chrono::milliseconds window);  // with mu_ held
    double ewma_ms_ = -1;
};

// Process-wide: the same provider + model gets the same TargetHealth in every runtime.
std::shared_ptr<TargetHealth> target_health(const std::string& provider, const std::string& model);

}  // namespace nexus::core
