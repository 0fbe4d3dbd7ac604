#include "json_util.hpp"
#include "stream_assembly.hpp"

#include <catch2/catch.hpp>

using nexus::cache::StreamAssembly;

namespace {

std::string chunk(const std::string& choices, const std::string& extra = "") {
    return R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","system_fingerprint":"fp_1","choices":)" +
           choices + extra + "}";
}

rapidjson::Document parse(const std::string& s) {
    rapidjson::Document d;
    REQUIRE(nexus::mw::parse_json(d, s));
    return d;
}

}  // namespace

TEST_CASE("assembly: text stream with usage", "[assembly]") {
    StreamAssembly a(1 << 20);
    a.add(chunk(R"([{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}])"));
    a.add(chunk(R"([{"index":0,"delta":{"content":"You "},"logprobs":null,"finish_reason":null}])"));
    a.add(chunk(R"([{"index":0,"delta":{"content":"said: hi"},"logprobs":null,"finish_reason":null}])", R"(,"obfuscation":"xyz")"));
    a.add(chunk(R"([{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}])"));
    a.add(chunk("[]", R"(,"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8})"));
    auto out = a.completion();
    REQUIRE(out);
    CHECK(*out ==
          R"({"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,)"
          R"("message":{"role":"assistant","content":"You said: hi","refusal":null},"logprobs":null,"finish_reason":"stop"}],)"
          R"("usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8},"system_fingerprint":"fp_1"})");
}

TEST_CASE("assembly: tool calls by index, interleaved", "[assembly]") {
    StreamAssembly a(1 << 20);
    a.add(chunk(R"([{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}])"));
    a.add(chunk(R"([{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}])"));
    a.add(chunk(R"([{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]},"finish_reason":null}])"));
    a.add(chunk(R"([{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\"city\":\"Rome\"}"}}]},"finish_reason":null}])"));
    a.add(chunk(R"([{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]},"finish_reason":null}])"));
    a.add(chunk(R"([{"index":0,"delta":{},"finish_reason":"tool_calls"}])"));
    auto out = a.completion();
    REQUIRE(out);
    auto d = parse(*out);
    const auto& msg = d["choices"][0]["message"];
    CHECK(msg["content"].IsNull());
    REQUIRE(msg["tool_calls"].Size() == 2);
    CHECK(std::string(msg["tool_calls"][0]["id"].GetString()) == "call_a");
    CHECK(std::string(msg["tool_calls"][0]["function"]["arguments"].GetString()) == R"({"city":"Paris"})");
    CHECK(std::string(msg["tool_calls"][1]["function"]["arguments"].GetString()) == R"({"city":"Rome"})");
    CHECK(std::string(msg["tool_calls"][1]["type"].GetString()) == "function");
    CHECK(std::string(d["choices"][0]["finish_reason"].GetString()) == "tool_calls");
    CHECK_FALSE(d.HasMember("usage"));
}

TEST_CASE("assembly: several choices, each must finish", "[assembly]") {
    StreamAssembly a(1 << 20);
    a.add(chunk(R"([{"index":1,"delta":{"role":"assistant","content":"B"},"finish_reason":null}])"));
    a.add(chunk(R"([{"index":0,"delta":{"role":"assistant","content":"A"},"finish_reason":null}])"));
    a.add(chunk(R"([{"index":0,"delta":{},"finish_reason":"stop"}])"));
    CHECK_FALSE(a.completion());  // choice 1 has not finished
    a.add(chunk(R"([{"index":1,"delta":{},"finish_reason":"length"}])"));
    auto d = parse(*a.completion());
    REQUIRE(d["choices"].Size() == 2);
    CHECK(d["choices"][0]["index"].GetInt() == 0);
    CHECK(std::string(d["choices"][0]["message"]["content"].GetString()) == "A");
    CHECK(std::string(d["choices"][1]["finish_reason"].GetString()) == "length");
}

TEST_CASE("assembly: reasoning and Anthropic thinking blocks", "[assembly]") {
    StreamAssembly a(1 << 20);
    a.add(chunk(R"([{"index":0,"delta":{"role":"assistant","reasoning_content":"Let me "},"finish_reason":null}])"));
    a.add(chunk(R"([{"index":0,"delta":{"reasoning_content":"think."},"finish_reason":null}])"));
    a.add(chunk(R"([{"index":0,"delta":{"thinking_signature":"sig=="},"finish_reason":null}])"));
    a.add(chunk(R"([{"index":0,"delta":{"thinking_blocks":[{"type":"redacted_thinking","data":"xx"}]},"finish_reason":null}])"));
    a.add(chunk(R"([{"index":0,"delta":{"content":"42"},"finish_reason":null}])"));
    a.add(chunk(R"([{"index":0,"delta":{},"finish_reason":"stop","native_finish_reason":"end_turn"}])"));
    auto d = parse(*a.completion());
    const auto& msg = d["choices"][0]["message"];
    CHECK(std::string(msg["reasoning_content"].GetString()) == "Let me think.");
    REQUIRE(msg["thinking_blocks"].Size() == 2);
    CHECK(nexus::mw::to_json(msg["thinking_blocks"][0]) == R"({"type":"thinking","thinking":"Let me think.","signature":"sig=="})");
    CHECK(nexus::mw::to_json(msg["thinking_blocks"][1]) == R"({"type":"redacted_thinking","data":"xx"})");
    CHECK(std::string(d["choices"][0]["native_finish_reason"].GetString()) == "end_turn");
}

TEST_CASE("assembly: what it cannot rebuild spoils it", "[assembly]") {
    auto spoiled_by = [](const std::string& c) {
        StreamAssembly a(1 << 20);
        a.add(chunk(R"([{"index":0,"delta":{"role":"assistant","content":"x"},"finish_reason":null}])"));
        a.add(c);
        a.add(chunk(R"([{"index":0,"delta":{},"finish_reason":"stop"}])"));
        return a.spoiled() && !a.completion();
    };
    CHECK(spoiled_by(chunk(R"([{"index":0,"delta":{"audio":{"id":"a"}},"finish_reason":null}])")));
    CHECK(spoiled_by(chunk(R"([{"index":0,"delta":{"content":"y"},"logprobs":{"content":[]},"finish_reason":null}])")));
    CHECK(spoiled_by(chunk(R"([{"index":0,"delta":{"content":7},"finish_reason":null}])")));
    CHECK(spoiled_by(chunk(R"("choices")")));
    CHECK(spoiled_by("not json"));
    CHECK_FALSE(spoiled_by(chunk(R"([{"index":0,"delta":{"content":"y"},"finish_reason":null}])")));
}

TEST_CASE("assembly: more text than an entry may hold spoils it", "[assembly]") {
    StreamAssembly a(10);
    a.add(chunk(R"([{"index":0,"delta":{"role":"assistant","content":"0123456789"},"finish_reason":null}])"));
    CHECK_FALSE(a.spoiled());
    a.add(chunk(R"([{"index":0,"delta":{"content":"!"},"finish_reason":null}])"));
    CHECK(a.spoiled());
    a.add(chunk(R"([{"index":0,"delta":{},"finish_reason":"stop"}])"));
    CHECK_FALSE(a.completion());
}

TEST_CASE("assembly: no chunks, no completion", "[assembly]") {
    StreamAssembly a(100);
    CHECK_FALSE(a.completion());
    a.add(chunk("[]", R"(,"usage":{"prompt_tokens":1})"));
    CHECK_FALSE(a.completion());
}
