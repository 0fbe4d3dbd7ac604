#include "core/strategy.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace nexus::core;
using namespace std::chrono_literals;

namespace {
ResolvedRoute route_of(const std::string& strategy, std::vector<std::pair<std::string, unsigned>> targets) {
    ResolvedRoute r;
    r.name = "r-" + strategy;
    r.strategy = strategy;
    for (auto& [model, weight] : targets)
        r.targets.push_back(Target{nullptr, model, {}, target_health("strategy-test-" + strategy, model), weight});
    return r;
}
std::function<double()> fixed(double v) {
    return [v] { return v; };
}
}  // namespace

TEST_CASE("strategy: fallback keeps the configured order") {
    std::vector<std::string> errors;
    auto reg = ModelRegistry::build("{}", &errors);
    auto r = route_of("fallback", {{"a", 1}, {"b", 1}, {"c", 1}});
    CHECK(try_order(r, *reg, fixed(0.5)) == std::vector<size_t>{0, 1, 2});
}

TEST_CASE("strategy: cost puts the cheapest first, unknown prices last") {
    std::vector<std::string> errors;
    auto reg = ModelRegistry::build(
        R"({"dear":{"price":{"input":10,"output":30}},"cheap":{"price":{"input":0.1,"output":0.4}},"mid":{"price":{"input":1,"output":2}}})",
        &errors);
    REQUIRE(errors.empty());
    auto r = route_of("cost", {{"dear", 1}, {"unpriced-model-x", 1}, {"cheap", 1}, {"mid", 1}});
    CHECK(try_order(r, *reg, fixed(0.5)) == std::vector<size_t>{2, 3, 0, 1});
}

TEST_CASE("strategy: least_latency by EWMA time to first byte, unmeasured first") {
    std::vector<std::string> errors;
    auto reg = ModelRegistry::build("{}", &errors);
    auto r = route_of("least_latency", {{"slow", 1}, {"fast", 1}, {"new", 1}});
    r.targets[0].health->first_byte(900ms);
    r.targets[1].health->first_byte(50ms);
    CHECK(try_order(r, *reg, fixed(0.5)) == std::vector<size_t>{2, 1, 0});
}

TEST_CASE("strategy: least_busy by requests in flight") {
    std::vector<std::string> errors;
    auto reg = ModelRegistry::build("{}", &errors);
    auto r = route_of("least_busy", {{"a", 1}, {"b", 1}, {"c", 1}});
    r.targets[0].health->in_flight += 3;
    r.targets[1].health->in_flight += 1;
    CHECK(try_order(r, *reg, fixed(0.5)) == std::vector<size_t>{2, 1, 0});
    r.targets[0].health->in_flight -= 3;
    r.targets[1].health->in_flight -= 1;
}

TEST_CASE("strategy: weighted picks first in proportion to the weights") {
    std::vector<std::string> errors;
    auto reg = ModelRegistry::build("{}", &errors);
    auto r = route_of("weighted", {{"a", 3}, {"b", 1}});
    std::map<size_t, int> first;
    for (int i = 0; i < 4000; ++i) {
        auto order = try_order(r, *reg, jitter_random);
        REQUIRE(order.size() == 2);
        ++first[order[0]];
    }
    CHECK(first[0] > 2700);  // expected 3000
    CHECK(first[0] < 3300);
}

TEST_CASE("strategy: auto moves targets with an open circuit to the end") {
    std::vector<std::string> errors;
    auto reg = ModelRegistry::build("{}", &errors);
    auto r = route_of("auto", {{"down", 1}, {"up", 1}});
    r.targets[0].health->failure(1);
    CHECK(try_order(r, *reg, fixed(0.5)) == std::vector<size_t>{1, 0});
}
