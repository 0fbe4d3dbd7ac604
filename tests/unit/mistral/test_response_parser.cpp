#include "response_parser.hpp"
#include "test_support.hpp"

using nexus::mistral::parse_upstream_response;
using nexus::mistral::ResponseContext;
using nexus::sdk::UpstreamError;
using mistral_test::Headers;
using mistral_test::parse;
using mistral_test::s;
using mistral_test::thrown;

namespace {

ResponseContext chat_ctx() {
    ResponseContext ctx;
    ctx.op = NX_OP_CHAT;
    ctx.now_unix_ms = 1700000000123;
    return ctx;
}

std::string parse_chat(const std::string& body) { return parse_upstream_response(chat_ctx(), 200, Headers{}.view(), body); }

}  // namespace

TEST_CASE("chat response: Mistral's completion is already OpenAI-shaped", "[response]") {
    // The API reference's example response.
    const std::string body = R"({"id":"cmpl-e5cc70bb28c444948073e77776eb30ef","object":"chat.completion","model":"mistral-small-latest",
      "usage":{"prompt_tokens":16,"completion_tokens":34,"total_tokens":50},"created":1702256327,
      "choices":[{"index":0,"message":{"content":"Hello! How can I help?","tool_calls":null,"prefix":false,"role":"assistant"},"finish_reason":"stop"}]})";
    auto d = parse(parse_chat(body));
    CHECK(s(d["id"]) == "cmpl-e5cc70bb28c444948073e77776eb30ef");
    CHECK(s(d["object"]) == "chat.completion");
    CHECK(d["created"].GetInt() == 1702256327);
    const auto& c = d["choices"][0];
    CHECK(s(c["message"]["content"]) == "Hello! How can I help?");
    CHECK_FALSE(c["message"].HasMember("tool_calls"));
    CHECK_FALSE(c["message"].HasMember("prefix"));
    CHECK(s(c["finish_reason"]) == "stop");
    CHECK_FALSE(c.HasMember("native_finish_reason"));
    CHECK(c["logprobs"].IsNull());
    CHECK(d["usage"]["total_tokens"].GetInt() == 50);
}

TEST_CASE("chat response: tool calls keep Mistral's ids, arguments become strings", "[response]") {
    const std::string body = R"({"id":"a1","object":"chat.completion","created":1,"model":"mistral-large-latest",
      "choices":[{"index":0,"message":{"role":"assistant","content":"","tool_calls":[
        {"id":"D681PevKs","function":{"name":"get_weather","arguments":{"city":"Paris"}},"index":0},
        {"id":"x9Yk2LmQa","type":"function","function":{"name":"get_time","arguments":"{\"tz\":\"CET\"}"}}]},
      "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":80,"completion_tokens":20,"total_tokens":100}})";
    auto d = parse(parse_chat(body));
    const auto& m = d["choices"][0]["message"];
    CHECK(m["content"].IsNull());
    REQUIRE(m["tool_calls"].Size() == 2);
    CHECK(s(m["tool_calls"][0]["id"]) == "D681PevKs");
    CHECK(s(m["tool_calls"][0]["type"]) == "function");
    CHECK(s(m["tool_calls"][0]["function"]["arguments"]) == R"({"city":"Paris"})");
    CHECK_FALSE(m["tool_calls"][0].HasMember("index"));
    CHECK(s(m["tool_calls"][1]["function"]["arguments"]) == R"({"tz":"CET"})");
    CHECK(s(d["choices"][0]["finish_reason"]) == "tool_calls");
}

TEST_CASE("chat response: model_length becomes length, error becomes an upstream error", "[response]") {
    auto d = parse(parse_chat(R"({"id":"a","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"abc"},"finish_reason":"model_length"}]})"));
    CHECK(s(d["choices"][0]["finish_reason"]) == "length");
    CHECK(s(d["choices"][0]["native_finish_reason"]) == "model_length");

    auto e = thrown<UpstreamError>([] {
        parse_chat(R"({"id":"a","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"ab"},"finish_reason":"error"}]})");
    });
    CHECK(e.error_class() == NX_EC_SERVER);
    CHECK(e.upstream_status() == 200);
    CHECK_THAT(e.what(), Catch::Contains("error"));
}

TEST_CASE("chat response: thinking chunks become reasoning_content, created filled in", "[response]") {
    // Magistral's content chunks (docs.mistral.ai reasoning capability).
    const std::string body = R"({"id":"r","object":"chat.completion","model":"magistral-medium-latest",
      "choices":[{"index":0,"message":{"role":"assistant","content":[
        {"type":"thinking","thinking":[{"type":"text","text":"The user greets. "},{"type":"text","text":"Reply."}]},
        {"type":"text","text":"Hello"},{"type":"text","text":" there"}]},"finish_reason":"stop"}]})";
    auto d = parse(parse_chat(body));
    const auto& m = d["choices"][0]["message"];
    CHECK(s(m["content"]) == "Hello there");
    CHECK(s(m["reasoning_content"]) == "The user greets. Reply.");
    CHECK(d["created"].GetInt64() == 1700000000);
}

TEST_CASE("chat response: n choices all normalized", "[response]") {
    auto d = parse(parse_chat(R"({"id":"a","created":1,"model":"m","choices":[
      {"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"stop"},
      {"index":1,"message":{"role":"assistant","content":"y"},"finish_reason":"model_length"}]})"));
    CHECK(s(d["choices"][1]["finish_reason"]) == "length");
    CHECK(s(d["choices"][0]["finish_reason"]) == "stop");
}

TEST_CASE("chat response: bodies that are not completions", "[response]") {
    for (const char* body : {"<html>502</html>", "[]", R"({"id":"a","object":"chat.completion"})",
                             R"({"choices":[{"index":0}]})", R"({"choices":[{"index":0,"message":{"content":[{"type":"thinking","thinking":5}]}}]})"}) {
        INFO(body);
        CHECK(thrown<UpstreamError>([&] { parse_chat(body); }).error_class() == NX_EC_PROTOCOL);
    }
    auto e = thrown<UpstreamError>([] { parse_chat(R"({"object":"error","message":"Service unavailable.","type":"internal_error","code":"3000"})"); });
    CHECK(e.error_class() == NX_EC_SERVER);
    CHECK(std::string(e.what()) == "Service unavailable.");
}

TEST_CASE("models: passed through when shaped as a list", "[response]") {
    ResponseContext ctx;
    ctx.op = NX_OP_LIST_MODELS;
    const std::string body = R"({"object":"list","data":[{"id":"mistral-large-latest","object":"model","created":1717000000,"owned_by":"mistralai","capabilities":{"completion_chat":true}}]})";
    CHECK(parse_upstream_response(ctx, 200, Headers{}.view(), body) == body);
    CHECK(thrown<UpstreamError>([&] { parse_upstream_response(ctx, 200, Headers{}.view(), R"({"object":"list"})"); }).error_class() ==
          NX_EC_PROTOCOL);
}
