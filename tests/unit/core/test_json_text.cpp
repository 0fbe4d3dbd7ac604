#include "core/json_text.hpp"

#include <catch2/catch.hpp>

using nexus::core::kMaxJsonDepth;
using nexus::core::parse_json;
using nexus::core::parse_whole_json;

TEST_CASE("json text: nesting is bounded instead of recursing until the stack runs out") {
    std::string error;
    rapidjson::Document d;
    const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
    CHECK_FALSE(parse_whole_json(deep, d, &error));
    CHECK(error == "JSON nested deeper than 256 levels");
    CHECK_FALSE(parse_json(deep, d, &error));
    CHECK(error == "JSON nested deeper than 256 levels");
    const std::string at_limit = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
    CHECK(parse_whole_json(at_limit, d, &error));
    CHECK(d.IsArray());
}

TEST_CASE("json text: errors name the byte; the document can be reused after one") {
    std::string error;
    rapidjson::Document d;
    CHECK_FALSE(parse_whole_json(R"({"a": [1, 2,)", d, &error));
    CHECK_THAT(error, Catch::StartsWith("malformed JSON at byte 12"));
    using namespace std::string_literals;
    CHECK_FALSE(parse_whole_json("{\"a\":1}\0{}"s, d, &error));  // a raw NUL is not the end
    REQUIRE(parse_whole_json(R"({"a":{"b":[true,null,1.5,"s\u00e9"]}})", d, &error));
    CHECK(d["a"]["b"][3].GetString() == std::string("s\xc3\xa9"));
    REQUIRE(parse_json(R"([1,{"k":-3}])", d, &error));
    CHECK(d[1]["k"].GetInt() == -3);
}
