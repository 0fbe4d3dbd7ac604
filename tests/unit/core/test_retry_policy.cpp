#include "core/retry_policy.hpp"

#include <catch2/catch.hpp>

using nexus::core::RetryPolicy;
using ms = std::chrono::milliseconds;

TEST_CASE("retry policy: default classes retry, a 400 and a context-length error never do") {
    auto p = RetryPolicy::from(nexus::config::RetryConfig{});
    CHECK(p.max_attempts == 2);
    for (auto c : {NX_EC_RATE_LIMITED, NX_EC_SERVER, NX_EC_OVERLOADED, NX_EC_TIMEOUT, NX_EC_NETWORK}) CHECK(p.retries(c));
    for (auto c : {NX_EC_INVALID_REQUEST, NX_EC_CONTEXT_LENGTH, NX_EC_AUTHENTICATION, NX_EC_QUOTA_EXHAUSTED, NX_EC_PROTOCOL})
        CHECK_FALSE(p.retries(c));
}

TEST_CASE("retry policy: retry_on narrows the classes") {
    nexus::config::RetryConfig cfg;
    cfg.retry_on = {"timeout"};
    auto p = RetryPolicy::from(cfg);
    CHECK(p.retries(NX_EC_TIMEOUT));
    CHECK_FALSE(p.retries(NX_EC_SERVER));
}

TEST_CASE("retry policy: exponential backoff with full jitter, capped by max_backoff") {
    nexus::config::RetryConfig cfg;
    cfg.backoff = ms(100);
    cfg.max_backoff = ms(1000);
    auto p = RetryPolicy::from(cfg);
    CHECK(*p.delay(1, 0, 0.999) == ms(99));
    CHECK(*p.delay(2, 0, 0.999) == ms(199));
    CHECK(*p.delay(3, 0, 0.5) == ms(200));
    CHECK(*p.delay(10, 0, 0.999) == ms(999));
    CHECK(*p.delay(1, 0, 0.0) == ms(0));
}

TEST_CASE("retry policy: retry-after raises the delay, beyond max_backoff it means fall back") {
    nexus::config::RetryConfig cfg;
    cfg.backoff = ms(100);
    cfg.max_backoff = ms(1000);
    auto p = RetryPolicy::from(cfg);
    CHECK(*p.delay(1, 800, 0.5) == ms(800));
    CHECK(*p.delay(1, 1000, 0.5) == ms(1000));
    CHECK_FALSE(p.delay(1, 1001, 0.5).has_value());
}
