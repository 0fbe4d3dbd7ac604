#include "core/target_health.hpp"

#include "core/metrics.hpp"

#include <map>

namespace nexus::core {

namespace {
constexpr double kEwmaAlpha = 0.2;  // weight of the newest sample
}

const char* circuit_state_name(CircuitState s) {
    switch (s) {
        case CircuitState::closed: return "closed";
        case CircuitState::open: return "open";
        case CircuitState::half_open: return "half_open";
    }
    return "unknown";
}

TargetHealth::TargetHealth(std::string provider, std::string model)
    : provider_(std::move(provider)), model_(std::move(model)) {
    std::lock_guard<std::mutex> lock(mu_);
    set_state(CircuitState::closed);
}

void TargetHealth::set_state(CircuitState s) {
    state_ = s;
    Metrics::instance().set_gauge("nexus_circuit_state", "provider=\"" + label_value(provider_) + "\",model=\"" +
                                                              label_value(model_) + "\"",
                                  double(int(s)));
}

TargetHealth::Admit TargetHealth::admit(std::chrono::milliseconds cooldown, Clock::time_point now) {
    std::lock_guard<std::mutex> lock(mu_);
    switch (state_) {
        case CircuitState::closed: return Admit::yes;
        case CircuitState::open:
            if (now - opened_at_ < cooldown) return Admit::no;
            set_state(CircuitState::half_open);
            probe_out_ = true;
            return Admit::probe;
        case CircuitState::half_open:
            if (probe_out_) return Admit::no;
            probe_out_ = true;
            return Admit::probe;
    }
    return Admit::no;
}

void TargetHealth::roll_window(Clock::time_point now, std::chrono::milliseconds window) {
    if (now - window_start_ < window) return;
    window_start_ = now;
    window_ok_ = window_failed_ = 0;
}

void TargetHealth::success(Clock::time_point now, std::chrono::milliseconds window) {
    std::lock_guard<std::mutex> lock(mu_);
    roll_window(now, window);
    ++window_ok_;
    failures_ = 0;
    probe_out_ = false;
    if (state_ != CircuitState::closed) set_state(CircuitState::closed);
}

void TargetHealth::failure(unsigned threshold, Clock::time_point now, const RatioRule& rule) {
    std::lock_guard<std::mutex> lock(mu_);
    ++failures_;
    roll_window(now, rule.window);
    ++window_failed_;
    const unsigned seen = window_ok_ + window_failed_;
    const bool ratio_hit = rule.ratio > 0 && seen >= rule.min_requests && double(window_failed_) >= rule.ratio * double(seen);
    if (state_ == CircuitState::half_open || (state_ == CircuitState::closed && (failures_ >= threshold || ratio_hit))) {
        probe_out_ = false;
        opened_at_ = now;
        set_state(CircuitState::open);
    }
}

void TargetHealth::probe_abandoned() {
    std::lock_guard<std::mutex> lock(mu_);
    probe_out_ = false;
}

void TargetHealth::first_byte(std::chrono::microseconds ttfb) {
    std::lock_guard<std::mutex> lock(mu_);
    double ms = double(ttfb.count()) / 1000.0;
    ewma_ms_ = ewma_ms_ < 0 ? ms : kEwmaAlpha * ms + (1 - kEwmaAlpha) * ewma_ms_;
}

TargetHealth::Snapshot TargetHealth::snapshot() const {
    std::lock_guard<std::mutex> lock(mu_);
    return Snapshot{state_, failures_, in_flight.load(), ewma_ms_};
}

std::shared_ptr<TargetHealth> target_health(const std::string& provider, const std::string& model) {
    static std::mutex mu;
    static std::map<std::pair<std::string, std::string>, std::shared_ptr<TargetHealth>> all;
    std::lock_guard<std::mutex> lock(mu);
    auto& slot = all[{provider, model}];
    if (!slot) slot = std::make_shared<TargetHealth>(provider, model);
    return slot;
}

}  // namespace nexus::core
