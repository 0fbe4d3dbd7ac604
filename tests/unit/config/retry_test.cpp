#include "config_test_support.hpp"

#include <catch2/catch.hpp>

using namespace config_test;

namespace {
const std::string kProviders = "providers:\n  a: {plugin: openai}\n";
}

TEST_CASE("routes: retry defaults when absent") {
    auto cfg = valid(kProviders + "routes:\n  - {model: m, targets: [{provider: a, model: x}]}\n");
    const auto& retry = cfg->routes[0].retry;
    CHECK(retry.max_attempts == 2);
    CHECK(retry.backoff == std::chrono::milliseconds(200));
    CHECK(retry.max_backoff == std::chrono::milliseconds(5000));
    CHECK(retry.retry_on == std::vector<std::string>{"rate_limited", "server", "overloaded", "timeout", "network"});
}

TEST_CASE("routes: retry fields are read") {
    auto cfg = valid(kProviders + R"(routes:
  - model: m
    retry: {max_attempts: 3, backoff: 50ms, max_backoff: 2s, retry_on: [server, timeout]}
    targets: [{provider: a, model: x}]
)");
    const auto& retry = cfg->routes[0].retry;
    CHECK(retry.max_attempts == 3);
    CHECK(retry.backoff == std::chrono::milliseconds(50));
    CHECK(retry.max_backoff == std::chrono::milliseconds(2000));
    CHECK(retry.retry_on == std::vector<std::string>{"server", "timeout"});
}

TEST_CASE("routes: retry rejects bad values with the key and position") {
    auto errs = errors_of(kProviders + "routes:\n  - model: m\n    retry: {max_attempts: 0, retry_on: [invalid_request], "
                                       "jitter: 1}\n    targets: [{provider: a, model: x}]\n");
    REQUIRE(errs.size() == 3);
    CHECK(errs[0].find("test.yaml:5:27: key 'routes[0].retry.max_attempts': expected an integer >= 1, found '0'") !=
          std::string::npos);
    CHECK(errs[1].find("key 'routes[0].retry.retry_on[0]': expected one of rate_limited") != std::string::npos);
    CHECK(errs[2].find("key 'routes[0].retry.jitter': unknown key") != std::string::npos);
}

TEST_CASE("routes: breaker defaults and fields") {
    auto cfg = valid(kProviders + "routes:\n  - {model: m, targets: [{provider: a, model: x}]}\n"
                                  "  - {model: n, breaker: {failures: 2, cooldown: 1500ms}, targets: [{provider: a, model: x}]}\n");
    CHECK(cfg->routes[0].breaker.failures == 5);
    CHECK(cfg->routes[0].breaker.cooldown == std::chrono::milliseconds(30000));
    CHECK(cfg->routes[1].breaker.failures == 2);
    CHECK(cfg->routes[1].breaker.cooldown == std::chrono::milliseconds(1500));
    auto errs = errors_of(kProviders + "routes:\n  - {model: m, breaker: {failures: 0}, targets: [{provider: a, model: x}]}\n");
    REQUIRE(errs.size() == 1);
    CHECK(errs[0].find("key 'routes[0].breaker.failures': expected an integer >= 1, found '0'") != std::string::npos);
}

TEST_CASE("routes: timeouts override the provider's one by one") {
    auto cfg = valid(kProviders + "routes:\n  - {model: m, timeouts: {first_byte: 2s, total: 1m}, targets: [{provider: a, model: x}]}\n");
    const auto& t = cfg->routes[0].timeouts;
    CHECK_FALSE(t.connect.has_value());
    CHECK(t.first_byte == std::chrono::milliseconds(2000));
    CHECK_FALSE(t.idle.has_value());
    CHECK(t.total == std::chrono::milliseconds(60000));
    auto errs = errors_of(kProviders + "routes:\n  - {model: m, timeouts: {first_bite: 2s}, targets: [{provider: a, model: x}]}\n");
    REQUIRE(errs.size() == 1);
    CHECK(errs[0].find("key 'routes[0].timeouts.first_bite': unknown key") != std::string::npos);
}

TEST_CASE("routes: breaker failure ratio") {
    auto cfg = valid(kProviders + "routes:\n  - {model: m, breaker: {failure_ratio: 0.5, window: 30s, min_requests: 20}, "
                                  "targets: [{provider: a, model: x}]}\n");
    CHECK(cfg->routes[0].breaker.failure_ratio == 0.5);
    CHECK(cfg->routes[0].breaker.window == std::chrono::milliseconds(30000));
    CHECK(cfg->routes[0].breaker.min_requests == 20);
    CHECK(cfg->routes[0].breaker.failures == 5);
    auto errs = errors_of(kProviders + "routes:\n  - {model: m, breaker: {failure_ratio: 1.5}, targets: [{provider: a, model: x}]}\n");
    REQUIRE(errs.size() == 1);
    CHECK(errs[0].find("key 'routes[0].breaker.failure_ratio': expected a number above 0 and at most 1, found '1.5'") !=
          std::string::npos);
}

TEST_CASE("show: a route's retry, breaker and timeouts are printed and load back the same") {
    auto cfg = valid(kProviders + "routes:\n  - model: m\n    retry: {max_attempts: 3, backoff: 50ms, retry_on: [server]}\n"
                                  "    breaker: {failures: 2, cooldown: 10s, failure_ratio: 0.25, window: 30s, min_requests: 8}\n"
                                  "    timeouts: {first_byte: 2s}\n    targets: [{provider: a, model: x}]\n");
    std::string out = nexus::config::show(*cfg);
    INFO(out);
    CHECK(out.find("retry_on: [server]") != std::string::npos);
    auto again = valid(out);
    const auto& r = again->routes[0];
    CHECK(r.retry.max_attempts == 3);
    CHECK(r.retry.backoff == std::chrono::milliseconds(50));
    CHECK(r.retry.retry_on == std::vector<std::string>{"server"});
    CHECK(r.breaker.failures == 2);
    CHECK(r.breaker.cooldown == std::chrono::milliseconds(10000));
    CHECK(r.breaker.failure_ratio == 0.25);
    CHECK(r.breaker.window == std::chrono::milliseconds(30000));
    CHECK(r.breaker.min_requests == 8);
    CHECK(r.timeouts.first_byte == std::chrono::milliseconds(2000));
    CHECK_FALSE(r.timeouts.connect.has_value());
}
