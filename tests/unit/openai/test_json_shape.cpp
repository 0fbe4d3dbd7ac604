#include "json_shape.hpp"
#include "test_support.hpp"

using nexus::openai::JsonKind;
using nexus::openai::JsonShape;
using nexus::openai::ShapeScanner;

TEST_CASE("shape: top-level members and their kinds", "[shape]") {
    ShapeScanner s;
    JsonShape shape;
    REQUIRE(s.scan(R"({"id":"x","choices":[],"usage":null,"data":[1],"error":{"message":"m"}})", shape).empty());
    CHECK(shape.root_is_object);
    CHECK(shape.choices == JsonKind::array);
    CHECK(shape.usage == JsonKind::null);
    CHECK(shape.data == JsonKind::array);
    CHECK(shape.error == JsonKind::object);
    CHECK(shape.choice_count == 0);

    REQUIRE(s.scan(R"({"usage":{"prompt_tokens":1},"choices":"no"})", shape).empty());
    CHECK(shape.usage == JsonKind::object);
    CHECK(shape.choices == JsonKind::string);
    CHECK(shape.error == JsonKind::absent);

    REQUIRE(s.scan("[{\"choices\":[]}]", shape).empty());
    CHECK_FALSE(shape.root_is_object);
    CHECK(shape.choices == JsonKind::absent);  // only the root object's members count
}

TEST_CASE("shape: finish reasons are counted per choice, nowhere else", "[shape]") {
    ShapeScanner s;
    JsonShape shape;
    // n=2: one choice finished, one not; a nested "finish_reason" and "choices" inside
    // content or tool arguments must not be mistaken for the real ones.
    REQUIRE(s.scan(R"({"choices":[
        {"index":0,"delta":{"content":"x","finish_reason":"stop","choices":[{"finish_reason":"stop"}]},"finish_reason":null},
        {"index":1,"delta":{},"logprobs":null,"finish_reason":"length"}],
      "meta":{"choices":[{"finish_reason":"stop"}],"error":{"x":1}}})",
                   shape)
                .empty());
    CHECK(shape.choice_count == 2);
    CHECK(shape.finish_reasons == 1);
    CHECK(shape.error == JsonKind::absent);
}

TEST_CASE("shape: malformed JSON reports where", "[shape]") {
    ShapeScanner s;
    JsonShape shape;
    CHECK_THAT(s.scan(R"({"choices":[})", shape), Catch::StartsWith("invalid JSON at offset 12"));
    CHECK_FALSE(s.scan("", shape).empty());
    CHECK_FALSE(s.scan(R"({"a":1}{"b":2})", shape).empty());
    // the scanner is reusable after an error
    CHECK(s.scan(R"({"choices":[]})", shape).empty());
    CHECK(shape.choices == JsonKind::array);
}

TEST_CASE("shape: a raw NUL byte is malformed wherever it is, escaped strings still scan", "[shape]") {
    ShapeScanner s;
    JsonShape shape;
    using namespace std::string_literals;
    CHECK_THAT(s.scan("{\"choices\":[]}\0trailing"s, shape), Catch::StartsWith("invalid JSON"));
    CHECK_THAT(s.scan("{\"a\":\"x\0y\"}"s, shape), Catch::StartsWith("invalid JSON"));
    // the in-situ scan decodes escapes in its own copy: the caller's text stays as it was
    const std::string text = R"({"choices":[{"finish_reason":"st\u006fp","message":{"content":"a\"b\\n"}}]})";
    const std::string before = text;
    REQUIRE(s.scan(text, shape).empty());
    CHECK(text == before);
    CHECK(shape.choice_count == 1);
    CHECK(shape.finish_reasons == 1);
}
