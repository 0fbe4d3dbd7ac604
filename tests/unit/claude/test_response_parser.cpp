#include "response_parser.hpp"
#include "test_support.hpp"

using nexus::claude::parse_upstream_response;
using nexus::sdk::UpstreamError;
using claude_test::at;
using claude_test::compact;
using claude_test::Headers;
using claude_test::parse;

namespace {

constexpr int64_t kNow = 1735689600000;  // 2025-01-01T00:00:00Z

rapidjson::Document chat(std::string_view body) {
    Headers h{{"request-id", "req_018EeWyXxfu5pfWkrYcMdjWG"}};
    return parse(parse_upstream_response(NX_OP_CHAT, 200, h.view(), body, "sk-ant-api03-secret", kNow));
}

}  // namespace

TEST_CASE("response: a text message", "[response]") {
    // The example response of the Messages API reference.
    auto out = chat(R"({"content":[{"text":"Hi! My name is Claude.","type":"text"}],"id":"msg_013Zva2CMHLNnXjNJJKqJ2EF",
        "model":"claude-sonnet-4-5-20250929","role":"assistant","stop_reason":"end_turn","stop_sequence":null,"type":"message",
        "usage":{"input_tokens":2095,"output_tokens":503,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"service_tier":"standard"}})");
    CHECK(at(out, "/id") == "\"msg_013Zva2CMHLNnXjNJJKqJ2EF\"");
    CHECK(at(out, "/object") == "\"chat.completion\"");
    CHECK(at(out, "/created") == "1735689600");
    CHECK(at(out, "/model") == "\"claude-sonnet-4-5-20250929\"");
    CHECK(at(out, "/choices/0/message") == R"({"role":"assistant","content":"Hi! My name is Claude.","refusal":null})");
    CHECK(at(out, "/choices/0/finish_reason") == "\"stop\"");
    CHECK(at(out, "/choices/0/native_finish_reason") == "\"end_turn\"");
    CHECK(at(out, "/usage") == compact(R"({"prompt_tokens":2095,"completion_tokens":503,"total_tokens":2598,
        "prompt_tokens_details":{"cached_tokens":0},"cache_creation_input_tokens":0})"));
}

TEST_CASE("response: tool_use blocks become tool_calls", "[response]") {
    auto out = chat(R"({"id":"msg_01Aq9w938a90dw8q","model":"claude-sonnet-4-5","stop_reason":"tool_use","role":"assistant","type":"message",
        "content":[{"type":"text","text":"I'll check the current weather in San Francisco for you."},
                   {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"location":"San Francisco, CA","unit":"celsius"}},
                   {"type":"tool_use","id":"toolu_02","name":"get_time","input":{}}],
        "usage":{"input_tokens":472,"output_tokens":89}})");
    CHECK(at(out, "/choices/0/message/content") == "\"I'll check the current weather in San Francisco for you.\"");
    CHECK(at(out, "/choices/0/message/tool_calls") == compact(R"([
        {"id":"toolu_01A09q90qw90lq917835lq9","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"San Francisco, CA\",\"unit\":\"celsius\"}"}},
        {"id":"toolu_02","type":"function","function":{"name":"get_time","arguments":"{}"}}])"));
    CHECK(at(out, "/choices/0/finish_reason") == "\"tool_calls\"");
    // The arguments string parses back to the input object.
    auto args = parse(out["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"].GetString());
    CHECK(at(args, "/location") == "\"San Francisco, CA\"");

    auto only_tools = chat(R"({"id":"msg_1","model":"m","stop_reason":"tool_use","type":"message",
        "content":[{"type":"tool_use","id":"toolu_1","name":"f","input":{"a":1}}],"usage":{"input_tokens":1,"output_tokens":1}})");
    CHECK(at(only_tools, "/choices/0/message/content") == "null");
}

TEST_CASE("response: thinking blocks become reasoning_content and thinking_blocks", "[response]") {
    auto out = chat(R"({"id":"msg_th","type":"message","role":"assistant","model":"claude-sonnet-4-5","stop_reason":"end_turn",
        "content":[{"type":"thinking","thinking":"Let me analyze this step by step...","signature":"WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL...."},
                   {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP..."},
                   {"type":"thinking","thinking":" And more.","signature":"sig2"},
                   {"type":"text","text":"Based on my analysis..."}],
        "usage":{"input_tokens":10,"output_tokens":20}})");
    CHECK(at(out, "/choices/0/message/content") == "\"Based on my analysis...\"");
    CHECK(at(out, "/choices/0/message/reasoning_content") == "\"Let me analyze this step by step... And more.\"");
    CHECK(at(out, "/choices/0/message/thinking_blocks") == compact(R"([
        {"type":"thinking","thinking":"Let me analyze this step by step...","signature":"WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL...."},
        {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP..."},
        {"type":"thinking","thinking":" And more.","signature":"sig2"}])"));
}

TEST_CASE("response: several text blocks are joined, other blocks dropped", "[response]") {
    auto out = chat(R"({"id":"msg_ws","type":"message","model":"claude-opus-4-1","stop_reason":"end_turn",
        "content":[{"type":"text","text":"I'll search."},{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"x"}},
                   {"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]},
                   {"type":"text","text":" The answer is 42.","citations":[{"type":"web_search_result_location","url":"https://x"}]}],
        "usage":{"input_tokens":1,"output_tokens":2}})");
    CHECK(at(out, "/choices/0/message") == R"({"role":"assistant","content":"I'll search. The answer is 42.","refusal":null})");
}

TEST_CASE("response: stop reasons map to finish reasons", "[response]") {
    auto finish = [](const char* reason, const char* seq = "null") {
        auto out = chat(std::string(R"({"id":"m","type":"message","model":"x","content":[{"type":"text","text":"t"}],"stop_reason":")") +
                        reason + R"(","stop_sequence":)" + seq + R"(,"usage":{"input_tokens":1,"output_tokens":1}})");
        return at(out, "/choices/0/finish_reason") + "|" + at(out, "/choices/0/native_finish_reason") + "|" +
               at(out, "/choices/0/stop_sequence");
    };
    CHECK(finish("end_turn") == R"("stop"|"end_turn"|<missing>)");
    CHECK(finish("stop_sequence", R"("\n\nHuman:")") == R"("stop"|"stop_sequence"|"\n\nHuman:")");
    CHECK(finish("max_tokens") == R"("length"|"max_tokens"|<missing>)");
    CHECK(finish("tool_use") == R"("tool_calls"|"tool_use"|<missing>)");
    CHECK(finish("refusal") == R"("content_filter"|"refusal"|<missing>)");
    CHECK(finish("pause_turn") == R"("stop"|"pause_turn"|<missing>)");
    CHECK(finish("model_context_window_exceeded") == R"("length"|"model_context_window_exceeded"|<missing>)");
    CHECK(finish("something_new") == R"("stop"|"something_new"|<missing>)");
}

TEST_CASE("response: usage counts cached input in prompt_tokens", "[response]") {
    auto out = chat(R"({"id":"m","type":"message","model":"x","content":[{"type":"text","text":"t"}],"stop_reason":"end_turn",
        "usage":{"input_tokens":21,"cache_creation_input_tokens":188086,"cache_read_input_tokens":1500,"output_tokens":393,
                 "cache_creation":{"ephemeral_5m_input_tokens":188086,"ephemeral_1h_input_tokens":0}}})");
    CHECK(at(out, "/usage") == compact(R"({"prompt_tokens":189607,"completion_tokens":393,"total_tokens":190000,
        "prompt_tokens_details":{"cached_tokens":1500},"cache_creation_input_tokens":188086})"));
    auto nulls = chat(R"({"id":"m","type":"message","model":"x","content":[],"stop_reason":"end_turn",
        "usage":{"input_tokens":5,"cache_creation_input_tokens":null,"cache_read_input_tokens":null,"output_tokens":0}})");
    CHECK(at(nulls, "/usage/prompt_tokens") == "5");
    CHECK(at(nulls, "/choices/0/message/content") == "\"\"");
}

TEST_CASE("response: the counts reported to the host are the ones written into the canonical usage", "[response]") {
    const std::string body = R"({"id":"m","type":"message","model":"x","content":[{"type":"text","text":"t"}],"stop_reason":"end_turn",
        "usage":{"input_tokens":21,"cache_creation_input_tokens":188086,"cache_read_input_tokens":1500,"output_tokens":393}})";
    Headers h{};
    nexus::claude::Usage usage;
    auto out = parse(parse_upstream_response(NX_OP_CHAT, 200, h.view(), body, "k", kNow, &usage));
    CHECK(std::to_string(usage.prompt_tokens()) == at(out, "/usage/prompt_tokens"));
    CHECK(std::to_string(usage.output_tokens) == at(out, "/usage/completion_tokens"));
    CHECK(std::to_string(usage.cache_read_input_tokens) == at(out, "/usage/prompt_tokens_details/cached_tokens"));
}

TEST_CASE("response: the JSON-mode tool comes back as content", "[response]") {
    auto out = chat(R"({"id":"msg_json","type":"message","model":"x","stop_reason":"tool_use",
        "content":[{"type":"text","text":"Here is the JSON:"},{"type":"tool_use","id":"toolu_9","name":"nexus_json_output","input":{"name":"Ada","age":36}}],
        "usage":{"input_tokens":1,"output_tokens":1}})");
    CHECK(at(out, "/choices/0/message/content") == R"("{\"name\":\"Ada\",\"age\":36}")");
    CHECK(at(out, "/choices/0/message/tool_calls") == "<missing>");
    CHECK(at(out, "/choices/0/finish_reason") == "\"stop\"");
}

TEST_CASE("response: models list", "[response]") {
    Headers h{};
    auto out = parse(parse_upstream_response(NX_OP_LIST_MODELS, 200, h.view(), R"({
      "data":[{"type":"model","id":"claude-sonnet-4-20250514","display_name":"Claude Sonnet 4","created_at":"2025-05-22T00:00:00Z"},
              {"type":"model","id":"claude-3-7-sonnet-20250219","display_name":"Claude Sonnet 3.7","created_at":"2025-02-24T00:00:00Z"},
              {"type":"model","id":"odd","created_at":"yesterday"}],
      "has_more":false,"first_id":"claude-sonnet-4-20250514","last_id":"odd"})", "", kNow));
    CHECK(at(out, "/object") == "\"list\"");
    CHECK(at(out, "/data/0") == compact(R"({"id":"claude-sonnet-4-20250514","object":"model","created":1747872000,"owned_by":"anthropic","display_name":"Claude Sonnet 4"})"));
    CHECK(at(out, "/data/1/created") == "1740355200");
    CHECK(at(out, "/data/2/created") == "0");
}

TEST_CASE("response: malformed 2xx bodies are protocol errors", "[response]") {
    Headers h{};
    auto cls = [&](std::string_view body) {
        try {
            parse_upstream_response(NX_OP_CHAT, 200, h.view(), body, "", kNow);
        } catch (const UpstreamError& e) {
            return e.error_class();
        }
        return NX_EC_NONE;
    };
    CHECK(cls("<html>oops</html>") == NX_EC_PROTOCOL);
    CHECK(cls("[]") == NX_EC_PROTOCOL);
    CHECK(cls(R"({"type":"message","id":"m"})") == NX_EC_PROTOCOL);
    CHECK(cls(R"({"object":"chat.completion"})") == NX_EC_PROTOCOL);
    CHECK(cls(R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})") == NX_EC_OVERLOADED);
}
