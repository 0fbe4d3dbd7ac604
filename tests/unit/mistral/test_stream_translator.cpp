#include "stream_translator.hpp"
#include "test_support.hpp"

using nexus::mistral::StreamTranslator;
using nexus::sdk::UpstreamError;
using mistral_test::json;
using mistral_test::parse;
using mistral_test::s;
using mistral_test::thrown;

namespace {

struct Run {
    StreamTranslator t;
    std::vector<std::string> emitted;
    nx_stream_result feed(std::string_view data, std::string_view event = {}) {
        return t.on_event(event, data, [this](std::string_view c) { emitted.emplace_back(c); });
    }
};

// A Mistral stream as the API sends it: role chunk, content chunks, and a last content chunk
// with finish_reason and usage (key order prompt, total, completion), then [DONE].
const std::string kHead = R"({"id":"cf79f7daaee244b1a0ae5c7b1444424a","object":"chat.completion.chunk","created":1711364200,"model":"mistral-small-latest",)";
const std::vector<std::string> kTextStream = {
    kHead + R"("choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})",
    kHead + R"("choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]})",
    "  " + kHead + R"("choices":[{"index":0,"delta":{"content":" world"},"finish_reason":null}]})",  // "data:  {": extra space
    kHead + R"("choices":[{"index":0,"delta":{"content":"!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"total_tokens":13,"completion_tokens":3}})",
};

}  // namespace

TEST_CASE("stream: usage in the last content chunk becomes a separate usage chunk", "[stream]") {
    Run run;
    for (const auto& e : kTextStream) CHECK(run.feed(e) == NX_STREAM_CONTINUE);
    CHECK(run.feed("[DONE]") == NX_STREAM_DONE);
    CHECK_NOTHROW(run.t.finish());
    REQUIRE(run.emitted.size() == 5);

    std::string text;
    for (size_t i = 0; i < 4; ++i) {
        auto c = parse(run.emitted[i]);
        CHECK(s(c["object"]) == "chat.completion.chunk");
        CHECK(s(c["id"]) == "cf79f7daaee244b1a0ae5c7b1444424a");
        CHECK_FALSE(c.HasMember("usage"));
        text += s(c["choices"][0]["delta"]["content"]);
    }
    CHECK(text == "Hello world!");
    CHECK(s(parse(run.emitted[0])["choices"][0]["delta"]["role"]) == "assistant");
    CHECK_FALSE(parse(run.emitted[1])["choices"][0]["delta"].HasMember("role"));
    CHECK(s(parse(run.emitted[3])["choices"][0]["finish_reason"]) == "stop");

    auto usage = parse(run.emitted[4]);
    CHECK(usage["choices"].IsArray());
    CHECK(usage["choices"].Empty());
    CHECK(usage["usage"]["prompt_tokens"].GetInt() == 10);
    CHECK(usage["usage"]["completion_tokens"].GetInt() == 3);
    CHECK(usage["usage"]["total_tokens"].GetInt() == 13);
    CHECK(s(usage["model"]) == "mistral-small-latest");
    CHECK(run.t.usage_sent());
}

TEST_CASE("stream: a tool call arriving whole gets an index and string arguments", "[stream]") {
    Run run;
    run.feed(kHead + R"("choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})");
    run.feed(kHead + R"("choices":[{"index":0,"delta":{"content":"","tool_calls":[{"id":"D681PevKs","function":{"name":"get_weather","arguments":{"city":"Paris"}}},{"id":"Zz9Yy8Xx7","function":{"name":"get_time","arguments":"{}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":90,"total_tokens":110,"completion_tokens":20}})");
    CHECK(run.feed("[DONE]") == NX_STREAM_DONE);
    REQUIRE(run.emitted.size() == 3);
    auto c = parse(run.emitted[1]);
    const auto& calls = c["choices"][0]["delta"]["tool_calls"];
    REQUIRE(calls.Size() == 2);
    CHECK(calls[0]["index"].GetInt() == 0);
    CHECK(s(calls[0]["id"]) == "D681PevKs");
    CHECK(s(calls[0]["type"]) == "function");
    CHECK(s(calls[0]["function"]["name"]) == "get_weather");
    CHECK(s(calls[0]["function"]["arguments"]) == R"({"city":"Paris"})");
    CHECK(calls[1]["index"].GetInt() == 1);
    CHECK(s(calls[1]["function"]["arguments"]) == "{}");
    CHECK(s(c["choices"][0]["finish_reason"]) == "tool_calls");
    CHECK(parse(run.emitted[2])["usage"]["total_tokens"].GetInt() == 110);
}

TEST_CASE("stream: OpenAI-style fragments keep their indexes", "[stream]") {
    Run run;
    run.feed(kHead + R"("choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"AbCdEfGh1","function":{"name":"f","arguments":""}}]},"finish_reason":null}]})");
    run.feed(kHead + R"("choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"a\":"}}]},"finish_reason":null}]})");
    run.feed(kHead + R"("choices":[{"index":0,"delta":{"tool_calls":[{"function":{"arguments":"1}"}}]},"finish_reason":null}]})");
    run.feed(kHead + R"("choices":[{"index":0,"delta":{"tool_calls":[{"id":"AbCdEfGh2","function":{"name":"g","arguments":"{}"}}]},"finish_reason":"tool_calls"}]})");
    REQUIRE(run.emitted.size() == 4);
    CHECK(json(parse(run.emitted[1])["choices"][0]["delta"]["tool_calls"][0]) == R"({"index":0,"function":{"arguments":"{\"a\":"}})");
    CHECK(parse(run.emitted[2])["choices"][0]["delta"]["tool_calls"][0]["index"].GetInt() == 0);  // continuation without index
    CHECK(parse(run.emitted[3])["choices"][0]["delta"]["tool_calls"][0]["index"].GetInt() == 1);  // a new id, the next index
}

TEST_CASE("stream: finish reasons and thinking content", "[stream]") {
    Run run;
    run.feed(kHead + R"("choices":[{"index":0,"delta":{"role":"assistant","content":[{"type":"thinking","thinking":[{"type":"text","text":"Hmm."}]}]},"finish_reason":null}]})");
    run.feed(kHead + R"("choices":[{"index":0,"delta":{"content":"Done"},"finish_reason":"model_length"}]})");
    REQUIRE(run.emitted.size() == 2);
    auto first = parse(run.emitted[0]);
    CHECK(s(first["choices"][0]["delta"]["reasoning_content"]) == "Hmm.");
    CHECK(s(first["choices"][0]["delta"]["content"]) == "");
    auto last = parse(run.emitted[1]);
    CHECK(s(last["choices"][0]["finish_reason"]) == "length");
    CHECK(s(last["choices"][0]["native_finish_reason"]) == "model_length");

    auto e = thrown<UpstreamError>([&] { run.feed(kHead + R"("choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]})"); });
    CHECK(e.error_class() == NX_EC_SERVER);
}

TEST_CASE("stream: in-band errors and broken streams", "[stream]") {
    {
        Run run;
        run.feed(kTextStream[0]);
        auto e = thrown<UpstreamError>([&] {
            run.feed(R"({"object":"error","message":"Service tier capacity exceeded for this model.","type":"service_tier_capacity_exceeded","param":null,"code":"3505"})");
        });
        CHECK(e.error_class() == NX_EC_SERVER);
        CHECK(std::string(e.what()) == "Service tier capacity exceeded for this model.");
    }
    {
        Run run;
        auto e = thrown<UpstreamError>([&] { run.feed(R"({"message":"Rate limit exceeded","type":"rate_limited","raw_status_code":429})"); });
        CHECK(e.error_class() == NX_EC_RATE_LIMITED);
        CHECK(e.upstream_status() == 429);
    }
    {
        Run run;
        CHECK(thrown<UpstreamError>([&] { run.feed(R"({"detail": "x"})", "error"); }).error_class() == NX_EC_SERVER);
    }
    {
        Run run;
        CHECK(thrown<UpstreamError>([&] { run.feed("{not json"); }).error_class() == NX_EC_PROTOCOL);
        CHECK(thrown<UpstreamError>([&] { run.feed(R"({"id":"x"})"); }).error_class() == NX_EC_PROTOCOL);
    }
    {
        Run run;
        for (const auto& e : kTextStream) run.feed(e);
        auto e = thrown<UpstreamError>([&] { run.t.finish(); });  // EOF without [DONE]
        CHECK(e.error_class() == NX_EC_PROTOCOL);
    }
    {
        Run run;
        CHECK(run.feed("") == NX_STREAM_CONTINUE);  // keep-alive
        CHECK(run.feed(" [DONE]") == NX_STREAM_DONE);
        CHECK(run.feed(kTextStream[1]) == NX_STREAM_DONE);  // nothing after [DONE]
        CHECK(run.emitted.empty());
    }
}
