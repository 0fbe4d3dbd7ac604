// The route's retry policy as the request path uses it: which error classes retry the same
// target, and how long to wait before the next attempt.
#pragma once

#include "config/config.hpp"

#include <nexus/nexus.h>

#include <chrono>
#include <cstdint>
#include <optional>

namespace nexus::core {

struct RetryPolicy {
    unsigned max_attempts = 2;
    std::chrono::milliseconds backoff{200};
    std::chrono::milliseconds max_backoff{5000};
    uint32_t retry_on = 0;  // bit (1 << nx_error_class)

    static RetryPolicy from(const config::RetryConfig& cfg);
    bool retries(nx_error_class cls) const { return cls < 32 && (retry_on >> cls) & 1u; }
    // Delay before retry number `retry` (1 = the first retry): full jitter over
    // min(max_backoff, backoff * 2^(retry-1)), raised to the provider's retry-after. Empty when
    // the provider asks for longer than max_backoff: the caller falls back instead of waiting.
    std::optional<std::chrono::milliseconds> delay(unsigned retry, int64_t retry_after_ms, double unit_random) const;
};

// Uniform in [0, 1), per thread.
double jitter_random();

}  // namespace nexus::core
