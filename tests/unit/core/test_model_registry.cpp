// The model registry: shipped defaults, overrides from the config, lookup and cost.
#include "core/model_registry.hpp"

#include <catch2/catch.hpp>

using nexus::core::ModelRegistry;

TEST_CASE("the shipped defaults load and cover the four providers") {
    std::vector<std::string> errors;
    auto reg = ModelRegistry::build("{}", &errors);
    REQUIRE(errors.empty());
    REQUIRE(reg);
    for (const char* m : {"gpt-4o-mini", "claude-sonnet-4-5", "mistral-large-latest", "llama3.2", "mistral-embed"})
        CHECK(reg->find(m) != nullptr);
    const auto* mini = reg->find("gpt-4o-mini");
    CHECK(mini->context_window == 128000);
    CHECK(mini->max_output_tokens == 16384);
    CHECK(mini->has("vision"));
    CHECK_FALSE(mini->has("embeddings"));
}

TEST_CASE("a trailing * matches dated versions; the longest prefix wins") {
    std::vector<std::string> errors;
    auto reg = ModelRegistry::build(R"({"claude-sonnet-4-5-x*":{"context_window":5}})", &errors);
    REQUIRE(reg);
    CHECK(reg->find("claude-sonnet-4-5-20250929")->context_window == 200000);
    CHECK(reg->find("claude-sonnet-4-5-xyz")->context_window == 5);
    CHECK(reg->find("no-such-model") == nullptr);
}

TEST_CASE("overrides merge into defaults and add models") {
    std::vector<std::string> errors;
    auto reg = ModelRegistry::build(R"({"gpt-4o":{"price":{"input":1.0}},"my-ft":{"context_window":32768,"price":{"input":1,"output":2}}})",
                                    &errors);
    REQUIRE(reg);
    CHECK(reg->find("gpt-4o")->price_input == 1.0);
    CHECK(reg->find("gpt-4o")->price_output == 10.0);  // kept from the default
    CHECK(reg->find("my-ft")->context_window == 32768);
}

TEST_CASE("cost: input, cached input and output at their prices") {
    std::vector<std::string> errors;
    auto reg = ModelRegistry::build("{}", &errors);
    const auto* m = reg->find("gpt-4o");  // 2.50 in, 1.25 cached, 10.00 out per million
    CHECK(m->cost(1000000, 0, 0) == Approx(2.50));
    CHECK(m->cost(1000000, 1000000, 500000) == Approx(0.5 * 2.50 + 0.5 * 1.25 + 10.0));
    CHECK(m->cost(-1, 5, 0) == -1);
    nexus::core::ModelInfo unknown;
    CHECK(unknown.cost(10, 10, 0) == -1);
}

TEST_CASE("bad overrides are refused with the field named") {
    std::vector<std::string> errors;
    auto reg = ModelRegistry::build(R"({"gpt-4o":{"price":{"input":"cheap"}},"x":{"context_window":-1},"y":{"colour":"red"}})",
                                    &errors);
    CHECK_FALSE(reg);
    REQUIRE(errors.size() == 3);
    CHECK(errors[0] == "models.gpt-4o.price.input: expected a non-negative number");
    CHECK(errors[1] == "models.x.context_window: expected a non-negative integer");
    CHECK(errors[2].find("models.y: unknown key 'colour'") == 0);
}
