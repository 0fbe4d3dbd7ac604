#include "request_builder.hpp"
#include "test_support.hpp"

#include <algorithm>
#include <optional>

using nexus::openai::build_request;
using nexus::openai::ProviderConfig;
using nexus::openai::RequestInput;
using nexus::openai::UpstreamRequest;
using openai_test::parse;

namespace {

std::optional<std::string> header(const UpstreamRequest& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
        if (k == name) return v;
    return std::nullopt;
}

RequestInput chat(std::string_view body, bool stream = false) {
    RequestInput in;
    in.op = NX_OP_CHAT;
    in.body = body;
    in.upstream_model = "gpt-4o-2024-08-06";
    in.api_key = "sk-test-abc123";
    in.stream = stream;
    return in;
}

// A request using most of the Chat Completions surface (shapes from the API reference,
// https://platform.openai.com/docs/api-reference/chat/create), plus fields OpenAI added
// later and an unknown one, all of which must survive untouched.
const std::string kFullRequest = R"({
  "model": "smart",
  "messages": [
    {"role": "developer", "content": "You are terse."},
    {"role": "system", "content": [{"type": "text", "text": "Answer in English."}]},
    {"role": "user", "name": "ada", "content": [
      {"type": "text", "text": "What's in this image?"},
      {"type": "image_url", "image_url": {"url": "https://upload.wikimedia.org/wikipedia/commons/thumb/d/dd/Gfp-wisconsin-madison-the-nature-boardwalk.jpg/2560px-Gfp-wisconsin-madison-the-nature-boardwalk.jpg", "detail": "low"}},
      {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
    ]},
    {"role": "assistant", "content": null, "tool_calls": [
      {"id": "call_abc123", "type": "function", "function": {"name": "get_current_weather", "arguments": "{\"location\": \"Boston, MA\"}"}}
    ]},
    {"role": "tool", "tool_call_id": "call_abc123", "content": "{\"temperature\": 22}"}
  ],
  "tools": [{"type": "function", "function": {"name": "get_current_weather", "description": "Get the current weather in a given location",
    "parameters": {"type": "object", "properties": {"location": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["location"]}}}],
  "tool_choice": {"type": "function", "function": {"name": "get_current_weather"}},
  "parallel_tool_calls": false,
  "response_format": {"type": "json_schema", "json_schema": {"name": "weather", "strict": true, "schema": {"type": "object", "properties": {"t": {"type": "number"}}, "required": ["t"], "additionalProperties": false}}},
  "temperature": 0.7, "top_p": 0.95, "max_tokens": 512, "max_completion_tokens": 600,
  "stop": ["\n\n", "END"], "seed": -9007199254740991, "n": 2, "logprobs": true, "top_logprobs": 3,
  "presence_penalty": -2, "frequency_penalty": 0.5, "logit_bias": {"50256": -100},
  "user": "user-1234", "service_tier": "auto", "metadata": {"team": "a"}, "store": false,
  "reasoning_effort": "low",
  "some_future_field": {"nested": [1, 2.5, "x", null, true]}
})";

}  // namespace

TEST_CASE("chat: URL, method, headers and framing", "[request]") {
    ProviderConfig cfg;
    UpstreamRequest r = build_request(cfg, chat(R"({"model":"m","messages":[{"role":"user","content":"hi"}]})"));
    CHECK(r.method == "POST");
    CHECK(r.url == "https://api.openai.com/v1/chat/completions");
    CHECK(header(r, "Authorization") == "Bearer sk-test-abc123");
    CHECK(header(r, "Content-Type") == "application/json");
    CHECK(header(r, "Accept") == "application/json");
    CHECK_FALSE(header(r, "OpenAI-Organization"));
    CHECK_FALSE(header(r, "OpenAI-Project"));
    CHECK(r.framing == NX_FRAMING_SSE);
}

TEST_CASE("chat: organization, project and extra headers from the config", "[request]") {
    ProviderConfig cfg;
    cfg.organization = "org-abc";
    cfg.project = "proj_xyz";
    cfg.extra_headers = {{"X-Team", "search"}};
    UpstreamRequest r = build_request(cfg, chat(R"({"model":"m","messages":[]})", true));
    CHECK(header(r, "OpenAI-Organization") == "org-abc");
    CHECK(header(r, "OpenAI-Project") == "proj_xyz");
    CHECK(header(r, "X-Team") == "search");
    CHECK(header(r, "Accept") == "text/event-stream");
}

TEST_CASE("chat: no Authorization header when the key is empty (local servers)", "[request]") {
    ProviderConfig cfg;
    RequestInput in = chat(R"({"model":"m","messages":[]})");
    in.api_key = "";
    in.base_url = "http://127.0.0.1:8000/v1/";
    UpstreamRequest r = build_request(cfg, in);
    CHECK_FALSE(header(r, "Authorization"));
    CHECK(r.url == "http://127.0.0.1:8000/v1/chat/completions");
}

TEST_CASE("chat: the host's base_url wins over the configured one", "[request]") {
    ProviderConfig cfg;
    cfg.base_url = "http://configured/v1";
    RequestInput in = chat(R"({"model":"m","messages":[]})");
    CHECK(build_request(cfg, in).url == "http://configured/v1/chat/completions");
    in.base_url = "http://routed:9/v1";
    CHECK(build_request(cfg, in).url == "http://routed:9/v1/chat/completions");
}

TEST_CASE("chat: every field passes through, only model replaced", "[request]") {
    UpstreamRequest r = build_request(ProviderConfig{}, chat(kFullRequest));
    auto sent = parse(r.body);
    auto original = parse(kFullRequest);
    CHECK(std::string(sent["model"].GetString()) == "gpt-4o-2024-08-06");
    sent.RemoveMember("model");
    original.RemoveMember("model");
    CHECK(sent == original);  // deep equality: messages, parts, tools, unknown members
    CHECK_FALSE(sent.HasMember("stream_options"));
}

TEST_CASE("chat: member order and number spelling are kept", "[request]") {
    UpstreamRequest r = build_request(
        ProviderConfig{},
        chat(R"({"messages":[{"role":"user","content":"hi"}],"model":"x","temperature":0.7,"seed":-9007199254740991,"top_p":1,"z":1e-7})"));
    CHECK(r.body ==
          R"({"messages":[{"role":"user","content":"hi"}],"model":"gpt-4o-2024-08-06","temperature":0.7,"seed":-9007199254740991,"top_p":1,"z":1e-7})");
}

TEST_CASE("chat: multi-byte text survives", "[request]") {
    UpstreamRequest r = build_request(ProviderConfig{}, chat(R"({"model":"x","messages":[{"role":"user","content":"héllo 世界 \ud83d\ude00 \"q\""}]})"));
    auto sent = parse(r.body);
    CHECK(std::string(sent["messages"][0]["content"].GetString()) == "héllo 世界 \xF0\x9F\x98\x80 \"q\"");
}

TEST_CASE("chat: streaming adds include_usage and keeps other stream_options", "[request][stream]") {
    SECTION("no stream_options at all") {
        UpstreamRequest r = build_request(ProviderConfig{}, chat(R"({"model":"x","messages":[]})", true));
        auto sent = parse(r.body);
        CHECK(sent["stream"].GetBool());
        CHECK(sent["stream_options"]["include_usage"].GetBool());
    }
    SECTION("client asked for include_usage false and obfuscation off") {
        UpstreamRequest r = build_request(
            ProviderConfig{},
            chat(R"({"model":"x","messages":[],"stream":true,"stream_options":{"include_usage":false,"include_obfuscation":false}})", true));
        auto sent = parse(r.body);
        CHECK(sent["stream_options"]["include_usage"].GetBool());
        CHECK_FALSE(sent["stream_options"]["include_obfuscation"].GetBool());
        CHECK(sent["stream_options"].MemberCount() == 2);
    }
    SECTION("stream_options null is replaced by an object") {
        UpstreamRequest r = build_request(ProviderConfig{}, chat(R"({"model":"x","messages":[],"stream_options":null})", true));
        CHECK(parse(r.body)["stream_options"]["include_usage"].GetBool());
    }
}

TEST_CASE("chat: not streaming forces stream false and drops stream_options", "[request][stream]") {
    UpstreamRequest r = build_request(
        ProviderConfig{},
        chat(R"({"model":"x","stream":true,"stream_options":{"include_usage":true},"messages":[],"n":1})", false));
    CHECK(r.body == R"({"model":"gpt-4o-2024-08-06","stream":false,"messages":[],"n":1})");
    UpstreamRequest plain = build_request(ProviderConfig{}, chat(R"({"model":"x","messages":[]})", false));
    CHECK_FALSE(parse(plain.body).HasMember("stream"));
}

TEST_CASE("chat: the body's model is kept when none was routed", "[request]") {
    RequestInput in = chat(R"({"model":"gpt-4o-mini","messages":[]})");
    in.upstream_model = "";
    CHECK(std::string(parse(build_request(ProviderConfig{}, in).body)["model"].GetString()) == "gpt-4o-mini");
    in.body = R"({"messages":[]})";
    CHECK_THROWS_WITH(build_request(ProviderConfig{}, in), Catch::Contains("no model"));
}

TEST_CASE("chat: invalid canonical JSON is NX_ERR_INVALID with a clear message", "[request][errors]") {
    for (std::string bad : {std::string(R"({"model":"x","messages":[)"), std::string("[1,2]"), std::string(""),
                            std::string(R"({"model":"x"} trailing)")}) {
        CAPTURE(bad);
        try {
            build_request(ProviderConfig{}, chat(bad));
            FAIL("no exception");
        } catch (const nexus::sdk::Error& e) {
            CHECK(e.status() == NX_ERR_INVALID);
            CHECK_THAT(e.what(), Catch::StartsWith("invalid canonical chat request: "));
        }
    }
}

TEST_CASE("chat: absurdly deep nesting is refused instead of overflowing the stack", "[request][errors]") {
    std::string deep = R"({"model":"x","messages":[],"x":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
    CHECK_THROWS_WITH(build_request(ProviderConfig{}, chat(deep)), Catch::Contains("nested deeper than"));
    std::string ok = R"({"model":"x","messages":[],"x":)" + std::string(200, '[') + std::string(200, ']') + "}";
    CHECK_NOTHROW(build_request(ProviderConfig{}, chat(ok)));
}

TEST_CASE("embeddings: POST /embeddings, body passed through with model replaced", "[request][embeddings]") {
    const std::string body =
        R"({"input":["The food was delicious and the waiter...","second"],"model":"embed","encoding_format":"base64","dimensions":256,"user":"u1"})";
    RequestInput in;
    in.op = NX_OP_EMBEDDINGS;
    in.body = body;
    in.upstream_model = "text-embedding-3-small";
    in.api_key = "sk-test-1";
    in.stream = false;
    UpstreamRequest r = build_request(ProviderConfig{}, in);
    CHECK(r.method == "POST");
    CHECK(r.url == "https://api.openai.com/v1/embeddings");
    CHECK(header(r, "Content-Type") == "application/json");
    CHECK(header(r, "Accept") == "application/json");
    CHECK(r.body ==
          R"({"input":["The food was delicious and the waiter...","second"],"model":"text-embedding-3-small","encoding_format":"base64","dimensions":256,"user":"u1"})");

    in.body = R"({"input":"one string","model":"e","encoding_format":"float"})";
    CHECK(build_request(ProviderConfig{}, in).body == R"({"input":"one string","model":"text-embedding-3-small","encoding_format":"float"})");
    in.body = R"({"input":[[1212,318,257],[50256]],"model":"e"})";
    CHECK(parse(build_request(ProviderConfig{}, in).body)["input"][0][2].GetInt() == 257);
    in.body = "not json";
    CHECK_THROWS_WITH(build_request(ProviderConfig{}, in), Catch::StartsWith("invalid canonical embeddings request: "));
}

TEST_CASE("models: GET /models without a body", "[request][models]") {
    RequestInput in;
    in.op = NX_OP_LIST_MODELS;
    in.api_key = "sk-test-1";
    UpstreamRequest r = build_request(ProviderConfig{}, in);
    CHECK(r.method == "GET");
    CHECK(r.url == "https://api.openai.com/v1/models");
    CHECK(r.body.empty());
    CHECK_FALSE(header(r, "Content-Type"));
    CHECK(header(r, "Authorization") == "Bearer sk-test-1");
}

TEST_CASE("unknown operations are NX_ERR_UNSUPPORTED", "[request][errors]") {
    RequestInput in;
    in.op = 99;
    try {
        build_request(ProviderConfig{}, in);
        FAIL("no exception");
    } catch (const nexus::sdk::Error& e) {
        CHECK(e.status() == NX_ERR_UNSUPPORTED);
    }
}
