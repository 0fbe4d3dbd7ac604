#include "stream_translator.hpp"
#include "test_support.hpp"

#include <rapidjson/document.h>

#include <map>

using nexus::openai::StreamTranslator;
using nexus::sdk::UpstreamError;

namespace {

// One `data:` payload per element, as the host's SSE framer hands them over.
struct Run {
    std::vector<std::string> emitted;
    std::vector<nx_stream_result> results;
    StreamTranslator t;

    nx_stream_result feed(std::string_view data, std::string_view event = {}) {
        nx_stream_result r = t.on_event(event, data, [this](std::string_view c) { emitted.emplace_back(c); });
        results.push_back(r);
        return r;
    }
    void feed_all(const std::vector<std::string>& events) {
        for (const auto& e : events) feed(e);
    }
};

UpstreamError error_of(Run& run, std::string_view data, std::string_view event = {}) {
    try {
        run.feed(data, event);
    } catch (const UpstreamError& e) {
        return e;
    }
    FAIL("no UpstreamError for: " << data);
    throw;
}

// A recorded gpt-4o stream with stream_options.include_usage (the shape of the openai-python
// test snapshots: role chunk, content chunks, finish chunk, then the usage chunk with
// `choices: []`), with today's `service_tier`, `usage: null` and `obfuscation` members.
const std::string kHead =
    R"({"id":"chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL","object":"chat.completion.chunk","created":1727346168,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_5050236cbd",)";
const std::vector<std::string> kTextStream = {
    kHead + R"("choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"3Xh0"})",
    kHead + R"("choices":[{"index":0,"delta":{"content":"I'm"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"wJ9L2k"})",
    kHead + R"("choices":[{"index":0,"delta":{"content":" unable"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":""})",
    kHead + R"("choices":[{"index":0,"delta":{"content":" to help."},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"q"})",
    kHead + R"("choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null,"obfuscation":"Zp"})",
    kHead + R"("choices":[],"usage":{"prompt_tokens":14,"completion_tokens":4,"total_tokens":18,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"obfuscation":"k2"})",
};

// Two parallel tool calls streamed as fragments by index (first fragment: id, type, name
// and empty arguments; then argument pieces), as in the openai-python snapshots.
const std::string kToolHead =
    R"({"id":"chatcmpl-9tXjtfxZZh2FYaFVxXKf2jiqNDiSo","object":"chat.completion.chunk","created":1723024761,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_845eaabc1f",)";
const std::vector<std::string> kToolStream = {
    kToolHead + R"("choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_5uxEBMFySqqQGu02I5QHA8k6","type":"function","function":{"name":"get_weather","arguments":""}}],"refusal":null},"logprobs":null,"finish_reason":null}]})",
    kToolHead + R"("choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\""}}]},"logprobs":null,"finish_reason":null}]})",
    kToolHead + R"("choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"city\":\"New"}}]},"logprobs":null,"finish_reason":null}]})",
    kToolHead + R"("choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":" York City\"}"}}]},"logprobs":null,"finish_reason":null}]})",
    kToolHead + R"("choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_7kPz1RZuQh6Y1d0hJt0mWqAx","type":"function","function":{"name":"get_weather","arguments":""}}]},"logprobs":null,"finish_reason":null}]})",
    kToolHead + R"("choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\"city\":\"Paris\"}"}}]},"logprobs":null,"finish_reason":null}]})",
    kToolHead + R"("choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}]})",
    kToolHead + R"("choices":[],"usage":{"prompt_tokens":44,"completion_tokens":16,"total_tokens":60}})",
};

}  // namespace

TEST_CASE("stream: chunks pass through byte for byte, [DONE] ends the stream", "[stream]") {
    Run run;
    run.feed_all(kTextStream);
    CHECK(run.emitted == kTextStream);
    CHECK(run.feed("[DONE]") == NX_STREAM_DONE);
    CHECK(run.t.done());
    CHECK(run.t.chunks() == kTextStream.size());
    CHECK(run.t.finished_choices() == 1);
    CHECK(run.t.usage_seen());
    CHECK_NOTHROW(run.t.finish());
    for (size_t i = 0; i + 1 < run.results.size(); ++i) CHECK(run.results[i] == NX_STREAM_CONTINUE);
}

TEST_CASE("stream: tool call fragments by index reassemble into the full arguments", "[stream]") {
    Run run;
    run.feed_all(kToolStream);
    CHECK(run.feed("[DONE]") == NX_STREAM_DONE);
    REQUIRE(run.emitted == kToolStream);
    // A consumer concatenating per index (as canonical-format.md says) gets valid calls.
    std::map<int, std::string> args, names;
    for (const auto& c : run.emitted) {
        auto d = openai_test::parse(c);
        for (const auto& choice : d["choices"].GetArray()) {
            if (!choice["delta"].HasMember("tool_calls")) continue;
            for (const auto& tc : choice["delta"]["tool_calls"].GetArray()) {
                int i = tc["index"].GetInt();
                if (tc.HasMember("id")) names[i] = tc["function"]["name"].GetString();
                args[i] += tc["function"]["arguments"].GetString();
            }
        }
    }
    CHECK(args[0] == R"({"city":"New York City"})");
    CHECK(args[1] == R"({"city":"Paris"})");
    CHECK(names.size() == 2);
    CHECK(run.t.finished_choices() == 1);
}

TEST_CASE("stream: leading whitespace, empty keep-alives and unknown fields are tolerated", "[stream]") {
    Run run;
    CHECK(run.feed("  " + kTextStream[1]) == NX_STREAM_CONTINUE);  // `data:  {` with two spaces
    CHECK(run.emitted.back() == kTextStream[1]);
    CHECK(run.feed("") == NX_STREAM_CONTINUE);
    CHECK(run.emitted.size() == 1);
    CHECK(run.feed(R"({"choices":[{"index":0,"delta":{"content":"x"}}],"x_unknown":{"a":[1]},"provider":"y"})") == NX_STREAM_CONTINUE);
    CHECK(run.feed(R"({"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}})") == NX_STREAM_CONTINUE);  // usage-only
    CHECK(run.feed(" [DONE] ") == NX_STREAM_DONE);
    CHECK(run.emitted.size() == 3);
}

TEST_CASE("stream: a named event other than error carries a chunk too", "[stream]") {
    Run run;
    CHECK(run.feed(kTextStream[1], "message") == NX_STREAM_CONTINUE);
    CHECK(run.emitted.size() == 1);
}

TEST_CASE("stream: events after [DONE] are ignored", "[stream]") {
    Run run;
    run.feed("[DONE]");
    CHECK(run.feed(kTextStream[1]) == NX_STREAM_DONE);
    CHECK(run.feed("garbage") == NX_STREAM_DONE);
    CHECK(run.emitted.empty());
}

TEST_CASE("stream: a mid-stream error payload is classified", "[stream][errors]") {
    Run run;
    run.feed_all({kTextStream[0], kTextStream[1]});
    auto e = error_of(run, R"({"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}})");
    CHECK(e.error_class() == NX_EC_SERVER);
    CHECK(e.upstream_status() == 200);
    CHECK(std::string(e.what()) == "The server had an error while processing your request. Sorry about that!");
    CHECK(run.emitted.size() == 2);  // the error itself is not emitted as a chunk

    struct Case {
        std::string payload;
        nx_error_class cls;
    };
    for (const Case& c : std::vector<Case>{
             {R"({"error":{"message":"Rate limit reached","type":"tokens","param":null,"code":"rate_limit_exceeded"}})", NX_EC_RATE_LIMITED},
             {R"({"error":{"message":"quota","type":"insufficient_quota","code":"insufficient_quota"}})", NX_EC_QUOTA_EXHAUSTED},
             {R"({"error":{"message":"too long","type":"invalid_request_error","code":"context_length_exceeded"}})", NX_EC_CONTEXT_LENGTH},
             {R"({"error":{"message":"bad","type":"invalid_request_error","code":null}})", NX_EC_INVALID_REQUEST},
             {R"({"error":{"message":"Overloaded","type":"overloaded_error"}})", NX_EC_OVERLOADED},
             {R"({"error":{"message":"flagged","type":"invalid_request_error","code":"content_filter"}})", NX_EC_CONTENT_FILTER},
             {R"({"error":{"message":"?"}})", NX_EC_SERVER},
             {R"({"error":"plain string error"})", NX_EC_SERVER},
             // OpenRouter sends the error inside a chunk, with a numeric code
             {R"({"id":"cmpl-abc123","object":"chat.completion.chunk","created":1234567890,"model":"openai/gpt-4o","provider":"openai","error":{"code":"server_error","message":"Provider disconnected unexpectedly"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]})",
              NX_EC_SERVER},
             {R"({"error":{"code":503,"message":"Provider overloaded"},"choices":[]})", NX_EC_OVERLOADED},
         }) {
        CAPTURE(c.payload);
        Run r;
        CHECK(error_of(r, c.payload).error_class() == c.cls);
    }
}

TEST_CASE("stream: event: error is an error whatever its data", "[stream][errors]") {
    Run run;
    auto e = error_of(run, R"({"error":{"message":"Overloaded","type":"server_error"}})", "error");
    CHECK(e.error_class() == NX_EC_SERVER);
    CHECK(std::string(e.what()) == "Overloaded");
    e = error_of(run, R"({"message":"upstream connect error","type":"timeout_error"})", "error");
    CHECK(e.error_class() == NX_EC_TIMEOUT);
    CHECK(std::string(e.what()) == "upstream connect error");
    e = error_of(run, "something broke", "error");
    CHECK(e.error_class() == NX_EC_SERVER);
    CHECK(std::string(e.what()) == "upstream error: something broke");
    e = error_of(run, "", "error");
    CHECK(std::string(e.what()) == "upstream sent an error event");
}

TEST_CASE("stream: payloads that are not chunks are PROTOCOL errors", "[stream][errors]") {
    for (std::string bad : {std::string("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\""), std::string("not json"),
                            std::string("[1,2,3]"), std::string("42"), std::string(R"({"id":"x","object":"chat.completion.chunk"})"),
                            std::string(R"({"choices":{"0":{}}})"), std::string("{\"choices\":[]} {\"choices\":[]}")}) {
        CAPTURE(bad);
        Run run;
        auto e = error_of(run, bad);
        CHECK(e.error_class() == NX_EC_PROTOCOL);
        CHECK(run.emitted.empty());
    }
}

TEST_CASE("stream: EOF before [DONE] is a PROTOCOL error", "[stream][errors]") {
    Run run;
    run.feed_all({kTextStream[0], kTextStream[1], kTextStream[2]});
    try {
        run.t.finish();
        FAIL("no exception");
    } catch (const UpstreamError& e) {
        CHECK(e.error_class() == NX_EC_PROTOCOL);
        CHECK(std::string(e.what()) == "stream ended before [DONE]");
        CHECK(e.retry_after_ms() == -1);
    }
    Run empty;
    CHECK_THROWS_AS(empty.t.finish(), UpstreamError);
}

TEST_CASE("stream: secrets in error text are masked", "[stream][errors]") {
    Run run;
    auto e = error_of(run, R"({"error":{"message":"Incorrect API key provided: sk-proj-abcdEFGH1234. Check it.","type":"invalid_request_error","code":"invalid_api_key"}})");
    CHECK(e.error_class() == NX_EC_AUTHENTICATION);
    CHECK(std::string(e.what()) == "Incorrect API key provided: sk-***. Check it.");
}
