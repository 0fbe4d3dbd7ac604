// Validation of client requests on the OpenAI ingress: each error names the field.
#include "core/json_text.hpp"
#include "core/openai_request_checks.hpp"

#include <catch2/catch.hpp>

using nexus::core::ApiError;

namespace {
ApiError chat_error(const char* json) {
    rapidjson::Document d;
    REQUIRE(nexus::core::parse_json(json, d, nullptr));
    ApiError e;
    if (nexus::core::check_chat_request(d, &e)) e.status = 0;
    return e;
}
ApiError embed_error(const char* json) {
    rapidjson::Document d;
    REQUIRE(nexus::core::parse_json(json, d, nullptr));
    ApiError e;
    if (nexus::core::check_embeddings_request(d, &e)) e.status = 0;
    return e;
}
}  // namespace

TEST_CASE("a well-formed chat request passes, unknown fields included") {
    auto e = chat_error(R"({"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true,
        "temperature":0.2,"max_tokens":5,"stop":["x"],"tools":[{"type":"function","function":{"name":"f"}}],
        "tool_choice":"auto","response_format":{"type":"json_object"},"some_future_field":{"a":1}})");
    CHECK(e.status == 0);
}

TEST_CASE("chat request errors name the field") {
    struct Case {
        const char* body;
        const char* param;
        const char* fragment;
    } cases[] = {
        {R"({"messages":[{"role":"user","content":"hi"}]})", "model", "'model' is required"},
        {R"({"model":5,"messages":[{"role":"user","content":"hi"}]})", "model", "expected a string, found number"},
        {R"({"model":"m"})", "messages", "'messages' is required"},
        {R"({"model":"m","messages":[]})", "messages", "at least one"},
        {R"({"model":"m","messages":"hi"})", "messages", "expected an array, found string"},
        {R"({"model":"m","messages":[{"content":"hi"}]})", "messages[0].role", "required"},
        {R"({"model":"m","messages":[{"role":"robot","content":"hi"}]})", "messages[0].role", "found 'robot'"},
        {R"({"model":"m","messages":[{"role":"user","content":5}]})", "messages[0].content", "found number"},
        {R"({"model":"m","messages":[{"role":"user","content":[{"type":"text"}]}]})", "messages[0].content[0].text", "required"},
        {R"({"model":"m","messages":[{"role":"tool","content":"x"}]})", "messages[0].tool_call_id", "required"},
        {R"({"model":"m","messages":[{"role":"user","content":"x"}],"stream":"yes"})", "stream", "expected a boolean, found string"},
        {R"({"model":"m","messages":[{"role":"user","content":"x"}],"temperature":"hot"})", "temperature", "expected a number"},
        {R"({"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":1.5})", "max_tokens", "expected an integer"},
        {R"({"model":"m","messages":[{"role":"user","content":"x"}],"stop":[1]})", "stop", "array of strings"},
        {R"({"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function"}]})", "tools[0].function", "required"},
    };
    for (const auto& c : cases) {
        INFO(c.body);
        auto e = chat_error(c.body);
        CHECK(e.status == 400);
        CHECK(e.type == "invalid_request_error");
        CHECK(e.param == c.param);
        CHECK(e.message.find(c.fragment) != std::string::npos);
    }
}

TEST_CASE("embeddings request checks") {
    CHECK(embed_error(R"({"model":"e","input":"hello"})").status == 0);
    CHECK(embed_error(R"({"model":"e","input":["a","b"],"encoding_format":"base64","dimensions":8})").status == 0);
    CHECK(embed_error(R"({"model":"e"})").param == "input");
    CHECK(embed_error(R"({"model":"e","input":[]})").param == "input");
    CHECK(embed_error(R"({"model":"e","input":{"a":1}})").param == "input");
    auto e = embed_error(R"({"model":"e","input":"x","encoding_format":"hex"})");
    CHECK(e.param == "encoding_format");
    CHECK(e.message.find("'hex'") != std::string::npos);
    CHECK(embed_error(R"({"model":"e","input":"x","dimensions":"8"})").param == "dimensions");
}
