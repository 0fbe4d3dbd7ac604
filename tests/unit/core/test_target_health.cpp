#include "core/target_health.hpp"

#include <catch2/catch.hpp>

using nexus::core::CircuitState;
using nexus::core::TargetHealth;
using namespace std::chrono_literals;

TEST_CASE("circuit: opens after N consecutive failures, a success resets the count") {
    TargetHealth h("p", "m");
    auto t = TargetHealth::Clock::now();
    h.failure(3, t);
    h.failure(3, t);
    h.success();
    h.failure(3, t);
    h.failure(3, t);
    CHECK(h.snapshot().state == CircuitState::closed);
    CHECK(h.admit(1s, t) == TargetHealth::Admit::yes);
    h.failure(3, t);
    CHECK(h.snapshot().state == CircuitState::open);
    CHECK(h.snapshot().consecutive_failures == 3);
    CHECK(h.admit(1s, t + 500ms) == TargetHealth::Admit::no);
}

TEST_CASE("circuit: after the cooldown exactly one probe; its verdict closes or reopens") {
    TargetHealth h("p", "m");
    auto t = TargetHealth::Clock::now();
    h.failure(1, t);
    CHECK(h.admit(1s, t + 1s) == TargetHealth::Admit::probe);
    CHECK(h.snapshot().state == CircuitState::half_open);
    CHECK(h.admit(1s, t + 1s) == TargetHealth::Admit::no);
    h.failure(1, t + 1100ms);  // the probe failed: open again, a fresh cooldown
    CHECK(h.snapshot().state == CircuitState::open);
    CHECK(h.admit(1s, t + 1500ms) == TargetHealth::Admit::no);
    CHECK(h.admit(1s, t + 2100ms) == TargetHealth::Admit::probe);
    h.success();
    CHECK(h.snapshot().state == CircuitState::closed);
    CHECK(h.admit(1s, t + 2100ms) == TargetHealth::Admit::yes);
}

TEST_CASE("circuit: an abandoned probe lets the next request probe") {
    TargetHealth h("p", "m");
    auto t = TargetHealth::Clock::now();
    h.failure(1, t);
    CHECK(h.admit(1s, t + 1s) == TargetHealth::Admit::probe);
    h.probe_abandoned();
    CHECK(h.admit(1s, t + 1s) == TargetHealth::Admit::probe);
}

TEST_CASE("target health: EWMA of time to first byte, and one object per provider+model") {
    TargetHealth h("p", "m");
    CHECK(h.snapshot().ewma_ttfb_ms < 0);
    h.first_byte(100ms);
    CHECK(h.snapshot().ewma_ttfb_ms == Approx(100));
    h.first_byte(200ms);
    CHECK(h.snapshot().ewma_ttfb_ms == Approx(120));
    CHECK(nexus::core::target_health("a", "x") == nexus::core::target_health("a", "x"));
    CHECK(nexus::core::target_health("a", "x") != nexus::core::target_health("a", "y"));
}

#include "core/key_rotation.hpp"

using nexus::core::KeyRotation;

TEST_CASE("keys: round robin skips cooling and rejected keys") {
    KeyRotation k(3);
    auto t = KeyRotation::Clock::now();
    CHECK(k.pick(t).index == 0);
    CHECK(k.pick(t).index == 1);
    CHECK(k.pick(t).index == 2);
    k.cool_down(0, 1000ms, t);
    k.reject(1);
    CHECK(k.pick(t).index == 2);
    CHECK(k.pick(t).index == 2);
    k.cool_down(2, 300ms, t);
    auto none = k.pick(t);
    CHECK(none.index == -1);
    CHECK_FALSE(none.all_rejected);
    CHECK(none.retry_after_ms == 301);
    CHECK(k.pick(t + 300ms).index == 2);
    CHECK(k.pick(t + 1000ms).index == 0);
}

TEST_CASE("keys: all rejected") {
    KeyRotation k(2);
    k.reject(0);
    k.reject(1);
    auto p = k.pick();
    CHECK(p.index == -1);
    CHECK(p.all_rejected);
}

TEST_CASE("circuit: a failure ratio in a window opens it without N consecutive failures") {
    TargetHealth h("p", "m");
    auto t = TargetHealth::Clock::now();
    TargetHealth::RatioRule rule{0.5, 10s, 4};
    h.success(t, 10s);
    h.failure(100, t, rule);
    h.success(t, 10s);
    CHECK(h.snapshot().state == CircuitState::closed);
    h.failure(100, t + 1s, rule);  // 2 of 4 failed
    CHECK(h.snapshot().state == CircuitState::open);
}

TEST_CASE("circuit: the ratio window tumbles; old outcomes do not count") {
    TargetHealth h("p", "m");
    auto t = TargetHealth::Clock::now();
    TargetHealth::RatioRule rule{0.5, 10s, 4};
    h.success(t, 10s);
    h.failure(100, t, rule);
    h.success(t, 10s);
    h.failure(100, t + 11s, rule);  // a new window: 1 outcome, under min_requests
    CHECK(h.snapshot().state == CircuitState::closed);
}
