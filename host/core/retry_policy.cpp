#include "core/retry_policy.hpp"

#include <algorithm>
#include <random>
#include <string_view>

namespace nexus::core {

namespace {
nx_error_class class_named(std::string_view name) {
    if (name == "rate_limited") return NX_EC_RATE_LIMITED;
    if (name == "server") return NX_EC_SERVER;
    if (name == "overloaded") return NX_EC_OVERLOADED;
    if (name == "timeout") return NX_EC_TIMEOUT;
    if (name == "network") return NX_EC_NETWORK;
    if (name == "protocol") return NX_EC_PROTOCOL;
    return NX_EC_NONE;  // config validation admits only the names above
}
}  // namespace

RetryPolicy RetryPolicy::from(const config::RetryConfig& cfg) {
    RetryPolicy p;
    p.max_attempts = std::max(1u, cfg.max_attempts);
    p.backoff = cfg.backoff;
    p.max_backoff = cfg.max_backoff;
    for (const auto& name : cfg.retry_on)
        if (nx_error_class c = class_named(name); c != NX_EC_NONE) p.retry_on |= 1u << c;
    return p;
}

std::optional<std::chrono::milliseconds> RetryPolicy::delay(unsigned retry, int64_t retry_after_ms,
                                                            double unit_random) const {
    if (retry_after_ms > max_backoff.count()) return std::nullopt;
    int64_t cap = backoff.count();
    for (unsigned i = 1; i < retry && cap < max_backoff.count(); ++i) cap *= 2;
    cap = std::min<int64_t>(cap, max_backoff.count());
    auto jittered = int64_t(double(cap) * unit_random);  // full jitter (AWS architecture blog, "Exponential Backoff And Jitter")
    return std::chrono::milliseconds(std::max<int64_t>(jittered, retry_after_ms));
}

double jitter_random() {
    thread_local std::mt19937_64 gen{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
}

}  // namespace nexus::core
