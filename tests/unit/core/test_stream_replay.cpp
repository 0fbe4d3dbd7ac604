// A complete chat.completion replayed as the chunk sequence of a stream.
#include "core/json_text.hpp"
#include "core/stream_replay.hpp"

#include <catch2/catch.hpp>

TEST_CASE("a text completion becomes role+content, finish, usage chunks") {
    auto chunks = nexus::core::response_as_chunks(
        R"({"id":"chatcmpl-1","object":"chat.completion","created":7,"model":"m","choices":[{"index":0,)"
        R"("message":{"role":"assistant","content":"Hello"},"finish_reason":"length"}],)"
        R"("usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}})");
    REQUIRE(chunks.size() == 3);
    rapidjson::Document a, b, c;
    REQUIRE(nexus::core::parse_json(chunks[0], a, nullptr));
    REQUIRE(nexus::core::parse_json(chunks[1], b, nullptr));
    REQUIRE(nexus::core::parse_json(chunks[2], c, nullptr));
    CHECK(std::string(a["object"].GetString()) == "chat.completion.chunk");
    CHECK(std::string(a["id"].GetString()) == "chatcmpl-1");
    CHECK(std::string(a["choices"][0]["delta"]["content"].GetString()) == "Hello");
    CHECK(a["choices"][0]["finish_reason"].IsNull());
    CHECK(std::string(b["choices"][0]["finish_reason"].GetString()) == "length");
    CHECK(c["choices"].Empty());
    CHECK(c["usage"]["total_tokens"].GetInt() == 4);
}

TEST_CASE("tool calls are replayed with their index") {
    auto chunks = nexus::core::response_as_chunks(
        R"({"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[)"
        R"({"id":"call_1","type":"function","function":{"name":"a","arguments":"{}"}},)"
        R"({"id":"call_2","type":"function","function":{"name":"b","arguments":"{\"x\":1}"}}]},"finish_reason":"tool_calls"}]})");
    REQUIRE(chunks.size() == 2);
    rapidjson::Document a;
    REQUIRE(nexus::core::parse_json(chunks[0], a, nullptr));
    const auto& calls = a["choices"][0]["delta"]["tool_calls"];
    REQUIRE(calls.Size() == 2);
    CHECK(calls[1]["index"].GetInt() == 1);
    CHECK(std::string(calls[1]["function"]["arguments"].GetString()) == "{\"x\":1}");
}

TEST_CASE("garbage replays as nothing") {
    CHECK(nexus::core::response_as_chunks("not json").empty());
}
