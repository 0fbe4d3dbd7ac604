#include "core/json_text.hpp"
#include "core/token_usage.hpp"

#include <catch2/catch.hpp>

using nexus::core::read_usage;
using nexus::core::scan_usage;
using nexus::core::TokenUsage;

namespace {
// Runs both readers on the same text and requires them to agree.
TokenUsage both(const std::string& json, TokenUsage start = {}) {
    TokenUsage from_scan = start, from_dom = start;
    scan_usage(json, from_scan);
    rapidjson::Document d;
    if (nexus::core::parse_json(json, d, nullptr)) read_usage(d, from_dom);
    CHECK(from_scan.prompt == from_dom.prompt);
    CHECK(from_scan.completion == from_dom.completion);
    CHECK(from_scan.cached == from_dom.cached);
    return from_scan;
}
}  // namespace

TEST_CASE("token usage: the three counts of a chat completion") {
    auto u = both(R"({"id":"x","choices":[{"message":{"content":"hi"}}],
        "usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19,
                 "prompt_tokens_details":{"cached_tokens":4,"audio_tokens":0},
                 "completion_tokens_details":{"reasoning_tokens":3}}})");
    CHECK(u.prompt == 12);
    CHECK(u.completion == 7);
    CHECK(u.cached == 4);
}

TEST_CASE("token usage: look-alike keys elsewhere in the document are not counted") {
    auto u = both(R"({"choices":[{"message":{"content":"{\"usage\":{\"prompt_tokens\":99}}",
        "usage":{"prompt_tokens":98}}}],"meta":{"usage":{"completion_tokens":97},"cached_tokens":96},
        "prompt_tokens":95,"usage":{"completion_tokens":5,"nested":{"prompt_tokens":94},
        "completion_tokens_details":{"cached_tokens":93}}})");
    CHECK(u.prompt == -1);
    CHECK(u.completion == 5);
    CHECK(u.cached == -1);
}

TEST_CASE("token usage: absent, null, wrong types and negatives keep what was known") {
    TokenUsage known{10, 20, 3};
    for (const char* json : {R"({"choices":[]})", R"({"usage":null})", R"({"usage":[1,2]})",
                             R"({"usage":{"prompt_tokens":"12","completion_tokens":1.5,
                                 "prompt_tokens_details":{"cached_tokens":-1}}})",
                             R"({"usage":{"prompt_tokens":-4,"completion_tokens":null}})"}) {
        INFO(json);
        auto u = both(json, known);
        CHECK(u.prompt == 10);
        CHECK(u.completion == 20);
        CHECK(u.cached == 3);
    }
}

TEST_CASE("token usage: malformed text changes nothing, even when its usage came first") {
    TokenUsage u{1, 2, 3};
    scan_usage(R"({"usage":{"prompt_tokens":50,"completion_tokens":60}, "choices":[)", u);
    CHECK(u.prompt == 1);
    CHECK(u.completion == 2);
    scan_usage(std::string("{\"usage\":{\"prompt_tokens\":50}}\0x", 32), u);
    CHECK(u.prompt == 1);
    scan_usage("", u);
    CHECK(u.cached == 3);
}

TEST_CASE("token usage: a stream's usage-only final chunk") {
    auto u = both(R"({"id":"c","object":"chat.completion.chunk","choices":[],
        "usage":{"prompt_tokens":8,"completion_tokens":2,"total_tokens":10}})");
    CHECK(u.prompt == 8);
    CHECK(u.completion == 2);
    CHECK(u.cached == -1);
}

TEST_CASE("token usage: scan_chunk tells a usage-only chunk as the DOM check does") {
    using nexus::core::ChunkFacts;
    using nexus::core::scan_chunk;
    auto usage_only = [](const std::string& json) {
        ChunkFacts f;
        REQUIRE(scan_chunk(json, f));
        return f.usage_only;
    };
    CHECK(usage_only(R"({"id":"c","choices":[],"usage":{"prompt_tokens":8,"completion_tokens":2}})"));
    CHECK(usage_only(R"({"usage":null,"choices":[ ]})"));
    CHECK_FALSE(usage_only(R"({"choices":[{"index":0,"delta":{"content":"x","choices":[]}}]})"));
    CHECK_FALSE(usage_only(R"({"choices":[null]})"));
    CHECK_FALSE(usage_only(R"({"choices":{}})"));
    CHECK_FALSE(usage_only(R"({"choices":"[]"})"));
    CHECK_FALSE(usage_only(R"({"meta":{"choices":[]},"choices":[1]})"));
    CHECK_FALSE(usage_only(R"([{"choices":[]}])"));
    CHECK(usage_only(R"({"choices":[],"choices":[1]})"));  // the first one counts, as FindMember's
    ChunkFacts f;
    REQUIRE(scan_chunk(R"({"choices":[],"usage":{"prompt_tokens":8,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":1}}})", f));
    CHECK(f.usage.prompt == 8);
    CHECK(f.usage.completion == 2);
    CHECK(f.usage.cached == 1);
    CHECK_FALSE(scan_chunk(R"({"choices":[)", f));
}
