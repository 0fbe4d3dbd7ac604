#include "stream_translator.hpp"
#include "test_support.hpp"

using nexus::ollama::StreamTranslator;
using nexus::sdk::UpstreamError;
using ollama_test::json;
using ollama_test::parse;
using ollama_test::s;
using ollama_test::thrown;

namespace {

struct Run {
    StreamTranslator t{"chatcmpl-ollama-00000000deadbeef", 1700000000, "llama3.2"};
    std::vector<std::string> emitted;
    nx_stream_result feed(std::string_view line) {
        return t.on_line(line, [this](std::string_view c) { emitted.emplace_back(c); });
    }
};

}  // namespace

TEST_CASE("ollama stream: content lines, then done -> finish and usage chunks", "[stream]") {
    // docs/api.md, "Chat Request (Streaming)", with a done_reason on the final object.
    Run run;
    CHECK(run.feed(R"({"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":"The","images":null},"done":false})") == NX_STREAM_CONTINUE);
    CHECK(run.feed(R"({"model":"llama3.2","created_at":"2023-08-04T08:52:19.4Z","message":{"role":"assistant","content":" sky"},"done":false})") == NX_STREAM_CONTINUE);
    CHECK(run.feed(R"({"model":"llama3.2","created_at":"2023-08-04T08:52:19.5Z","message":{"role":"assistant","content":""},"done":false})") == NX_STREAM_CONTINUE);
    CHECK(run.feed(R"({"model":"llama3.2","created_at":"2023-08-04T19:22:45.499127Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,
      "total_duration":4883583458,"load_duration":1334875,"prompt_eval_count":26,"prompt_eval_duration":342546000,"eval_count":282,"eval_duration":4535599000})") == NX_STREAM_DONE);
    CHECK_NOTHROW(run.t.finish());
    REQUIRE(run.emitted.size() == 4);  // the empty content line emits nothing

    auto first = parse(run.emitted[0]);
    CHECK(s(first["id"]) == "chatcmpl-ollama-00000000deadbeef");
    CHECK(s(first["object"]) == "chat.completion.chunk");
    CHECK(first["created"].GetInt64() == 1691164339);
    CHECK(s(first["model"]) == "llama3.2");
    CHECK(json(first["choices"]) == R"([{"index":0,"delta":{"role":"assistant","content":"The"},"logprobs":null,"finish_reason":null}])");
    CHECK(json(parse(run.emitted[1])["choices"][0]["delta"]) == R"({"content":" sky"})");
    CHECK(parse(run.emitted[1])["created"].GetInt64() == 1691164339);  // every chunk repeats the first header

    auto fin = parse(run.emitted[2]);
    CHECK(json(fin["choices"]) == R"([{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}])");
    auto usage = parse(run.emitted[3]);
    CHECK(usage["choices"].Empty());
    CHECK(json(usage["usage"]) == R"({"prompt_tokens":26,"completion_tokens":282,"total_tokens":308})");
    CHECK(run.feed(R"({"message":{"content":"late"},"done":false})") == NX_STREAM_DONE);
}

TEST_CASE("ollama stream: a tool call line, then the done line", "[stream]") {
    Run run;
    run.feed(R"({"model":"llama3.2","created_at":"2024-07-22T20:33:28.123648Z","message":{"role":"assistant","content":"",
      "tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}},{"function":{"name":"get_time","arguments":{"tz":"CET"}}}]},"done":false})");
    CHECK(run.feed(R"({"model":"llama3.2","created_at":"2024-07-22T20:33:28.2Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"prompt_eval_count":122,"eval_count":33})") == NX_STREAM_DONE);
    REQUIRE(run.emitted.size() == 3);
    auto c = parse(run.emitted[0]);
    const auto& delta = c["choices"][0]["delta"];
    CHECK(s(delta["role"]) == "assistant");
    CHECK_FALSE(delta.HasMember("content"));
    REQUIRE(delta["tool_calls"].Size() == 2);
    CHECK(json(delta["tool_calls"][0]) ==
          R"({"index":0,"id":"call_deadbeef_0","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}})");
    CHECK(delta["tool_calls"][1]["index"].GetInt() == 1);
    CHECK(s(delta["tool_calls"][1]["id"]) == "call_deadbeef_1");
    auto fin = parse(run.emitted[1]);
    CHECK(s(fin["choices"][0]["finish_reason"]) == "tool_calls");
    CHECK(s(fin["choices"][0]["native_finish_reason"]) == "stop");
    CHECK(parse(run.emitted[2])["usage"]["total_tokens"].GetInt() == 155);
}

TEST_CASE("ollama stream: length, thinking, and a done line that is the first line", "[stream]") {
    Run run;
    run.feed(R"({"model":"qwen3","created_at":"2025-05-29T09:35:56Z","message":{"role":"assistant","content":"","thinking":"Let me think"},"done":false})");
    run.feed(R"({"model":"qwen3","created_at":"2025-05-29T09:35:57Z","message":{"role":"assistant","content":"Four"},"done_reason":"length","done":true,"eval_count":1})");
    REQUIRE(run.emitted.size() == 4);
    CHECK(json(parse(run.emitted[0])["choices"][0]["delta"]) == R"({"role":"assistant","reasoning_content":"Let me think"})");
    CHECK(json(parse(run.emitted[1])["choices"][0]["delta"]) == R"({"content":"Four"})");  // content on the done line is kept
    CHECK(s(parse(run.emitted[2])["choices"][0]["finish_reason"]) == "length");
    CHECK(s(parse(run.emitted[0])["model"]) == "qwen3");

    Run empty;
    CHECK(empty.feed(R"({"model":"m","created_at":"2024-09-12T21:17:29Z","message":{"role":"assistant","content":""},"done_reason":"load","done":true})") == NX_STREAM_DONE);
    REQUIRE(empty.emitted.size() == 3);
    CHECK(json(parse(empty.emitted[0])["choices"][0]["delta"]) == R"({"role":"assistant","content":""})");
    CHECK(s(parse(empty.emitted[1])["choices"][0]["native_finish_reason"]) == "load");
}

TEST_CASE("ollama stream: an error line, a cut stream, garbage", "[stream]") {
    {
        Run run;
        run.feed(R"({"model":"m","created_at":"2024-01-01T00:00:00Z","message":{"role":"assistant","content":"Hel"},"done":false})");
        auto e = thrown<UpstreamError>([&] { run.feed(R"({"error":"an error was encountered while running the model: CUDA error: out of memory"})"); });
        CHECK(e.error_class() == NX_EC_SERVER);
        CHECK(e.upstream_status() == 200);
        CHECK_THAT(e.what(), Catch::Contains("CUDA error"));
    }
    {
        Run run;
        run.feed(R"({"model":"m","message":{"role":"assistant","content":"Hel"},"done":false})");
        CHECK(run.feed("") == NX_STREAM_CONTINUE);
        auto e = thrown<UpstreamError>([&] { run.t.finish(); });
        CHECK(e.error_class() == NX_EC_PROTOCOL);
        CHECK_THAT(e.what(), Catch::Contains("done"));
    }
    {
        Run run;
        CHECK(thrown<UpstreamError>([&] { run.feed("data: {}"); }).error_class() == NX_EC_PROTOCOL);
        CHECK(thrown<UpstreamError>([&] { run.feed(R"({"model":"m","done":false})"); }).error_class() == NX_EC_PROTOCOL);
        CHECK(thrown<UpstreamError>([&] { run.feed(R"({"message":{"tool_calls":[{"function":{"arguments":{}}}]},"done":false})"); }).error_class() ==
              NX_EC_PROTOCOL);
    }
}
