#include "chat_output.hpp"
#include "response_parser.hpp"
#include "test_support.hpp"
#include "timestamps.hpp"

using nexus::ollama::completion_id;
using nexus::ollama::parse_rfc3339_seconds;
using nexus::ollama::parse_upstream_response;
using nexus::ollama::ResponseContext;
using nexus::sdk::UpstreamError;
using ollama_test::Headers;
using ollama_test::json;
using ollama_test::parse;
using ollama_test::s;
using ollama_test::thrown;

namespace {

ResponseContext ctx_for(nx_op op) {
    ResponseContext ctx;
    ctx.op = op;
    ctx.model = "llama3.2";
    ctx.now_unix_ms = 1700000000999;
    ctx.id_salt = 7;
    return ctx;
}

rapidjson::Document chat(const std::string& body) {
    return parse(parse_upstream_response(ctx_for(NX_OP_CHAT), 200, Headers{}.view(), body));
}

}  // namespace

TEST_CASE("ollama response: a plain answer", "[response]") {
    // docs/api.md, "Chat request (No streaming)", with done_reason.
    auto d = chat(R"({"model":"llama3.2","created_at":"2023-12-12T14:13:43.416799Z","message":{"role":"assistant","content":"Hello! How are you today?"},
      "done_reason":"stop","done":true,"total_duration":5191566416,"load_duration":2154458,"prompt_eval_count":26,"prompt_eval_duration":383809000,
      "eval_count":298,"eval_duration":4799921000})");
    CHECK(s(d["id"]) == completion_id(7));
    CHECK(s(d["id"]).rfind("chatcmpl-ollama-", 0) == 0);
    CHECK(s(d["object"]) == "chat.completion");
    CHECK(d["created"].GetInt64() == 1702390423);
    CHECK(s(d["model"]) == "llama3.2");
    const auto& c = d["choices"][0];
    CHECK(c["index"].GetInt() == 0);
    CHECK(s(c["message"]["role"]) == "assistant");
    CHECK(s(c["message"]["content"]) == "Hello! How are you today?");
    CHECK_FALSE(c["message"].HasMember("tool_calls"));
    CHECK(s(c["finish_reason"]) == "stop");
    CHECK_FALSE(c.HasMember("native_finish_reason"));
    CHECK(json(d["usage"]) == R"({"prompt_tokens":26,"completion_tokens":298,"total_tokens":324})");
}

TEST_CASE("ollama response: tool calls get ids and string arguments, finish tool_calls", "[response]") {
    // docs/api.md, "Chat request (with tools)".
    auto d = chat(R"({"model":"llama3.2","created_at":"2024-07-22T20:33:28.123648Z","message":{"role":"assistant","content":"",
      "tool_calls":[{"function":{"name":"get_current_weather","arguments":{"format":"celsius","location":"Paris, FR"}}},
                    {"function":{"name":"get_time","arguments":{}}}]},
      "done_reason":"stop","done":true,"total_duration":885095291,"load_duration":3753500,"prompt_eval_count":122,
      "prompt_eval_duration":328493000,"eval_count":33,"eval_duration":552222000})");
    const auto& c = d["choices"][0];
    CHECK(c["message"]["content"].IsNull());
    const auto& calls = c["message"]["tool_calls"];
    REQUIRE(calls.Size() == 2);
    std::string id0 = s(calls[0]["id"]), id1 = s(calls[1]["id"]);
    CHECK(id0.rfind("call_", 0) == 0);
    CHECK(id0 != id1);
    CHECK(id0.substr(id0.size() - 2) == "_0");
    CHECK(id1.substr(id1.size() - 2) == "_1");
    CHECK(s(calls[0]["type"]) == "function");
    CHECK(s(calls[0]["function"]["name"]) == "get_current_weather");
    CHECK(s(calls[0]["function"]["arguments"]) == R"({"format":"celsius","location":"Paris, FR"})");
    CHECK(s(calls[1]["function"]["arguments"]) == "{}");
    CHECK_FALSE(calls[0].HasMember("index"));
    CHECK(s(c["finish_reason"]) == "tool_calls");
    CHECK(s(c["native_finish_reason"]) == "stop");
    CHECK(d["usage"]["prompt_tokens"].GetInt() == 122);
}

TEST_CASE("ollama response: done reasons", "[response]") {
    auto finish = [](const char* done_reason) {
        std::string dr = done_reason ? std::string(R"(,"done_reason":")") + done_reason + "\"" : "";
        auto d = chat(R"({"model":"m","created_at":"2024-09-12T21:17:29.110811Z","message":{"role":"assistant","content":""},"done":true)" + dr + "}");
        std::string native = d["choices"][0].HasMember("native_finish_reason") ? s(d["choices"][0]["native_finish_reason"]) : "";
        return s(d["choices"][0]["finish_reason"]) + "/" + native;
    };
    CHECK(finish("stop") == "stop/");
    CHECK(finish("length") == "length/");
    CHECK(finish("load") == "stop/load");
    CHECK(finish("unload") == "stop/unload");
    CHECK(finish("") == "stop/");
    CHECK(finish(nullptr) == "stop/");
    auto d = chat(R"({"model":"m","message":{"role":"assistant","content":"x"},"done":true})");
    CHECK(d["created"].GetInt64() == 1700000000);  // no created_at: the host clock
    CHECK(json(d["usage"]) == R"({"prompt_tokens":0,"completion_tokens":0,"total_tokens":0})");
}

TEST_CASE("ollama response: thinking becomes reasoning_content", "[response]") {
    auto d = chat(R"({"model":"qwen3","created_at":"2025-05-29T09:35:56.836222Z","message":{"role":"assistant","content":"4","thinking":"2+2 is 4."},"done_reason":"stop","done":true})");
    CHECK(s(d["choices"][0]["message"]["reasoning_content"]) == "2+2 is 4.");
    CHECK(s(d["choices"][0]["message"]["content"]) == "4");
}

TEST_CASE("ollama response: wrong shapes and in-body errors", "[response]") {
    for (const char* body : {"not json", "[1]", R"({"model":"m","done":true})", R"({"message":{"tool_calls":[{"function":{}}]}})"}) {
        INFO(body);
        CHECK(thrown<UpstreamError>([&] { chat(body); }).error_class() == NX_EC_PROTOCOL);
    }
    auto e = thrown<UpstreamError>([] { chat(R"({"error":"an error was encountered while running the model: unexpected EOF"})"); });
    CHECK(e.error_class() == NX_EC_SERVER);
    CHECK(std::string(e.what()) == "an error was encountered while running the model: unexpected EOF");
}

TEST_CASE("ollama response: /api/tags becomes a models list", "[response]") {
    const std::string body = R"({"models":[
      {"name":"codellama:13b","model":"codellama:13b","modified_at":"2023-11-04T14:56:49.277302595-07:00","size":7365960935,
       "digest":"9f438cb9cd581fc025612d27f7c1a6669ff83a8bb0ed86c94fcf4c5440555697","details":{"format":"gguf","family":"llama","families":null,"parameter_size":"13B","quantization_level":"Q4_0"}},
      {"name":"llama3:latest","model":"llama3:latest","modified_at":"2023-12-07T09:32:18.757212583-08:00","size":3825819519,"digest":"fe938a13"},
      {"model":"nameless:latest","modified_at":"garbage"}]})";
    auto d = parse(parse_upstream_response(ctx_for(NX_OP_LIST_MODELS), 200, Headers{}.view(), body));
    CHECK(s(d["object"]) == "list");
    REQUIRE(d["data"].Size() == 3);
    CHECK(json(d["data"][0]) == R"({"id":"codellama:13b","object":"model","created":1699135009,"owned_by":"ollama"})");
    CHECK(d["data"][1]["created"].GetInt64() == 1701970338);
    CHECK(s(d["data"][2]["id"]) == "nameless:latest");
    CHECK(d["data"][2]["created"].GetInt64() == 0);
    CHECK(thrown<UpstreamError>([] { parse_upstream_response(ctx_for(NX_OP_LIST_MODELS), 200, Headers{}.view(), "{}"); }).error_class() ==
          NX_EC_PROTOCOL);
}

TEST_CASE("ollama timestamps: RFC 3339 with nanoseconds and offsets", "[response]") {
    CHECK(parse_rfc3339_seconds("2023-08-04T19:22:45.499127Z") == 1691176965);
    CHECK(parse_rfc3339_seconds("2023-08-04T08:52:19.385406455-07:00") == 1691164339);
    CHECK(parse_rfc3339_seconds("2023-08-04T08:52:19+02:00") == 1691131939);
    CHECK(parse_rfc3339_seconds("1970-01-01T00:00:00Z") == 0);
    CHECK_FALSE(parse_rfc3339_seconds("0001-01-01T00:00:00Z"));  // Go's zero time
    CHECK_FALSE(parse_rfc3339_seconds("2023-08-04 19:22"));
    CHECK_FALSE(parse_rfc3339_seconds("2023-08-04T19:22:45.Z"));
    CHECK_FALSE(parse_rfc3339_seconds("2023-13-04T19:22:45Z"));
    CHECK_FALSE(parse_rfc3339_seconds("2023-08-04T19:22:45+0200"));
}
