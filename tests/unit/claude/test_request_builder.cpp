#include "request_builder.hpp"
#include "native_body.hpp"
#include "test_support.hpp"

#include <optional>

using nexus::claude::build_request;
using nexus::claude::ProviderConfig;
using nexus::claude::RequestInput;
using nexus::claude::UpstreamRequest;
using claude_test::at;
using claude_test::compact;
using claude_test::error_of;
using claude_test::parse;
using claude_test::translate;

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
    in.upstream_model = "claude-sonnet-4-5-20250929";
    in.api_key = "sk-ant-api03-test-key";
    in.stream = stream;
    return in;
}

// A full tool round trip in OpenAI's shape (the get_weather example of the OpenAI function
// calling guide), with system and developer prompts and two parallel calls.
const std::string kToolConversation = R"({
  "model": "smart",
  "messages": [
    {"role": "system", "content": "You are a weather assistant."},
    {"role": "developer", "content": [{"type": "text", "text": "Use Celsius."}, {"type": "text", "text": "Be brief."}]},
    {"role": "user", "content": "What's the weather like in Paris and in Tokyo today?"},
    {"role": "assistant", "content": "Let me check both cities.", "tool_calls": [
      {"id": "toolu_01A09q90qw90lq917835lq9", "type": "function", "function": {"name": "get_weather", "arguments": "{\"location\": \"Paris, France\", \"unit\": \"celsius\"}"}},
      {"id": "toolu_01B7Zp2m3xR4kW9", "type": "function", "function": {"name": "get_weather", "arguments": "{\"location\":\"Tokyo, Japan\",\"nested\":{\"a\":[1,2.5,null,true]}}"}}
    ]},
    {"role": "tool", "tool_call_id": "toolu_01A09q90qw90lq917835lq9", "content": "15 degrees"},
    {"role": "tool", "tool_call_id": "toolu_01B7Zp2m3xR4kW9", "content": [{"type": "text", "text": "22 degrees"}]},
    {"role": "user", "content": "And tomorrow?"}
  ],
  "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Get the current weather in a given location",
    "parameters": {"type": "object", "properties": {"location": {"type": "string", "description": "The city and state"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["location"]}}}],
  "max_tokens": 1024
})";

}  // namespace

TEST_CASE("chat: system and developer messages are hoisted and joined", "[request]") {
    auto out = translate(kToolConversation);
    CHECK(at(out, "/model") == "\"claude-sonnet-4-5-20250929\"");
    CHECK(at(out, "/system") == "\"You are a weather assistant.\\n\\nUse Celsius.\\n\\nBe brief.\"");
    for (const auto& m : out["messages"].GetArray()) {
        std::string role = m["role"].GetString();
        CHECK((role == "user" || role == "assistant"));
    }
}

TEST_CASE("chat: cache_control on a system part turns system into text blocks", "[request]") {
    auto out = translate(R"({"messages":[
      {"role":"system","content":[{"type":"text","text":"You are an AI assistant tasked with analyzing literary works."},
        {"type":"text","text":"<the entire contents of Pride and Prejudice>","cache_control":{"type":"ephemeral"}}]},
      {"role":"developer","content":"Answer briefly.","cache_control":{"type":"ephemeral","ttl":"1h"}},
      {"role":"user","content":"Analyze the major themes."}]})");
    CHECK(at(out, "/system") ==
          compact(R"([{"type":"text","text":"You are an AI assistant tasked with analyzing literary works."},
                      {"type":"text","text":"<the entire contents of Pride and Prejudice>","cache_control":{"type":"ephemeral"}},
                      {"type":"text","text":"Answer briefly.","cache_control":{"type":"ephemeral","ttl":"1h"}}])"));
}

TEST_CASE("chat: a tool round trip becomes tool_use and tool_result blocks", "[request]") {
    auto out = translate(kToolConversation);
    REQUIRE(out["messages"].Size() == 3);
    CHECK(at(out, "/messages/0") ==
          compact(R"({"role":"user","content":[{"type":"text","text":"What's the weather like in Paris and in Tokyo today?"}]})"));
    CHECK(at(out, "/messages/1") == compact(R"({"role":"assistant","content":[
        {"type":"text","text":"Let me check both cities."},
        {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"location":"Paris, France","unit":"celsius"}},
        {"type":"tool_use","id":"toolu_01B7Zp2m3xR4kW9","name":"get_weather","input":{"location":"Tokyo, Japan","nested":{"a":[1,2.5,null,true]}}}]})"));
    // Both tool results and the next user turn share one user message, results first.
    CHECK(at(out, "/messages/2") == compact(R"({"role":"user","content":[
        {"type":"tool_result","tool_use_id":"toolu_01A09q90qw90lq917835lq9","content":"15 degrees"},
        {"type":"tool_result","tool_use_id":"toolu_01B7Zp2m3xR4kW9","content":[{"type":"text","text":"22 degrees"}]},
        {"type":"text","text":"And tomorrow?"}]})"));
    CHECK(at(out, "/tools") == compact(R"([{"name":"get_weather","description":"Get the current weather in a given location",
        "input_schema":{"type":"object","properties":{"location":{"type":"string","description":"The city and state"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["location"]}}])"));
    CHECK(at(out, "/tool_choice") == "<missing>");
}

TEST_CASE("chat: consecutive same-role messages merge; tool results move before text", "[request]") {
    auto out = translate(R"({"messages":[
      {"role":"user","content":"Hello"},
      {"role":"user","content":[{"type":"text","text":"Are you there?"}]},
      {"role":"assistant","content":null,"tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"ping","arguments":""}}]},
      {"role":"user","content":"[the user typed while the tool ran]"},
      {"role":"tool","tool_call_id":"toolu_1","content":"pong"},
      {"role":"assistant","content":"Got pong."},
      {"role":"assistant","content":"Anything else?"}]})");
    REQUIRE(out["messages"].Size() == 4);
    CHECK(at(out, "/messages/0/content") == compact(R"([{"type":"text","text":"Hello"},{"type":"text","text":"Are you there?"}])"));
    CHECK(at(out, "/messages/1/content") == compact(R"([{"type":"tool_use","id":"toolu_1","name":"ping","input":{}}])"));
    CHECK(at(out, "/messages/2/content") == compact(R"([{"type":"tool_result","tool_use_id":"toolu_1","content":"pong"},
                                                        {"type":"text","text":"[the user typed while the tool ran]"}])"));
    CHECK(at(out, "/messages/3") == compact(R"({"role":"assistant","content":[{"type":"text","text":"Got pong."},{"type":"text","text":"Anything else?"}]})"));
}

TEST_CASE("chat: unparseable tool arguments are refused, naming the message", "[request]") {
    auto [st, msg] = error_of([] {
        translate(R"({"messages":[{"role":"user","content":"hi"},
          {"role":"assistant","content":null,"tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"f","arguments":"{\"city\": \"Par"}}]}]})");
    });
    CHECK(st == NX_ERR_INVALID);
    CHECK_THAT(msg, Catch::Contains("messages[1].tool_calls[0].function.arguments") && Catch::Contains("not valid JSON"));

    auto [st2, msg2] = error_of([] {
        translate(R"({"messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"[1,2]"}}]}]})");
    });
    CHECK(st2 == NX_ERR_INVALID);
    CHECK_THAT(msg2, Catch::Contains("messages[0].tool_calls[0].function.arguments") && Catch::Contains("object"));

    auto [st3, msg3] = error_of([] { translate(R"({"messages":[{"role":"tool","content":"x"}]})"); });
    CHECK(st3 == NX_ERR_INVALID);
    CHECK_THAT(msg3, Catch::Contains("messages[0].tool_call_id"));
}

TEST_CASE("chat: images from data URLs and http(s) URLs", "[request]") {
    auto out = translate(R"({"messages":[{"role":"user","content":[
      {"type":"text","text":"Compare these images."},
      {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ=="}},
      {"type":"image_url","image_url":{"url":"data:image/jpg;base64,R0lGOD=="},"cache_control":{"type":"ephemeral"}},
      {"type":"image_url","image_url":{"url":"https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg","detail":"high"}},
      {"type":"image_url","image_url":"data:image/png;base64,iVBORw0KGgo="}]}]})");
    CHECK(at(out, "/messages/0/content") == compact(R"([
      {"type":"text","text":"Compare these images."},
      {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQSkZJRgABAQ=="}},
      {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"R0lGOD=="},"cache_control":{"type":"ephemeral"}},
      {"type":"image","source":{"type":"url","url":"https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg"}},
      {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}])"));

    auto [st, msg] = error_of([] {
        translate(R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://x/y.png"}}]}]})");
    });
    CHECK(st == NX_ERR_INVALID);
    CHECK_THAT(msg, Catch::Contains("messages[0].content[0]"));
    auto [st2, msg2] = error_of([] {
        translate(R"({"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAA","format":"wav"}}]}]})");
    });
    CHECK(st2 == NX_ERR_UNSUPPORTED);
    CHECK_THAT(msg2, Catch::Contains("input_audio") && Catch::Contains("messages[0].content[0]"));
}

TEST_CASE("chat: a PDF file part becomes a document block", "[request]") {
    auto out = translate(R"({"messages":[{"role":"user","content":[
      {"type":"file","file":{"filename":"report.pdf","file_data":"data:application/pdf;base64,JVBERi0xLjQK"}},
      {"type":"text","text":"Summarize it."}]}]})");
    CHECK(at(out, "/messages/0/content/0") ==
          compact(R"({"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0xLjQK"},"title":"report.pdf"})"));
    auto [st, msg] = error_of([] {
        translate(R"({"messages":[{"role":"user","content":[{"type":"file","file":{"file_id":"file-abc"}}]}]})");
    });
    CHECK(st == NX_ERR_UNSUPPORTED);
}

TEST_CASE("chat: thinking blocks go back first with their signatures unchanged", "[request]") {
    // From the extended-thinking docs: a thinking turn with a tool call sent back verbatim.
    auto out = translate(R"({"messages":[
      {"role":"user","content":"What's the weather in Paris?"},
      {"role":"assistant","content":"","reasoning_content":"The user wants weather...",
       "thinking_blocks":[{"type":"thinking","thinking":"The user wants to know the current weather in Paris. I have access to a function `get_weather`...","signature":"BDaL4VrbR2Oj0hO4XpJxT28J5TILnCrrUXoKiiNBZW9P+nr8XSj1zuZzAl4egiCCpQNvfyUuFFJP5CncdYZEQPPmLxYsNrcs="},
                          {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj"}],
       "tool_calls":[{"id":"toolu_01CswdEQBMshySk6Y9DFKrfq","type":"function","function":{"name":"get_weather","arguments":"{\"location\": \"Paris\"}"}}]},
      {"role":"tool","tool_call_id":"toolu_01CswdEQBMshySk6Y9DFKrfq","content":"Current temperature: 88°F"}]})");
    CHECK(at(out, "/messages/1/content") == compact(R"([
      {"type":"thinking","thinking":"The user wants to know the current weather in Paris. I have access to a function `get_weather`...","signature":"BDaL4VrbR2Oj0hO4XpJxT28J5TILnCrrUXoKiiNBZW9P+nr8XSj1zuZzAl4egiCCpQNvfyUuFFJP5CncdYZEQPPmLxYsNrcs="},
      {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj"},
      {"type":"tool_use","id":"toolu_01CswdEQBMshySk6Y9DFKrfq","name":"get_weather","input":{"location":"Paris"}}])"));
    CHECK(at(out, "/messages/2/content/0/content") == "\"Current temperature: 88°F\"");
}

TEST_CASE("chat: message-level cache_control lands on the message's last block", "[request]") {
    auto out = translate(R"({"messages":[{"role":"user","content":"Long document ...","cache_control":{"type":"ephemeral"}},
                                         {"role":"assistant","content":"ok"},{"role":"user","content":"question"}]})");
    CHECK(at(out, "/messages/0/content") == compact(R"([{"type":"text","text":"Long document ...","cache_control":{"type":"ephemeral"}}])"));
    CHECK(at(out, "/messages/2/content/0/cache_control") == "<missing>");
}

TEST_CASE("chat: max_tokens is always sent", "[request]") {
    CHECK(at(translate(R"({"messages":[{"role":"user","content":"hi"}],"max_completion_tokens":300,"max_tokens":200})"), "/max_tokens") == "300");
    CHECK(at(translate(R"({"messages":[{"role":"user","content":"hi"}],"max_tokens":200})"), "/max_tokens") == "200");
    CHECK(at(translate(R"({"messages":[{"role":"user","content":"hi"}]})"), "/max_tokens") == "8192");
    CHECK(at(translate(R"({"messages":[{"role":"user","content":"hi"}]})", false, "claude-3-5-haiku-20241022"), "/max_tokens") == "8192");
    CHECK(at(translate(R"({"messages":[{"role":"user","content":"hi"}]})", false, "claude-3-haiku-20240307"), "/max_tokens") == "4096");
    CHECK(at(translate(R"({"messages":[{"role":"user","content":"hi"}]})", false, "some-proxy-model"), "/max_tokens") == "4096");

    ProviderConfig cfg;
    cfg.default_max_tokens = 1000;
    CHECK(nexus::claude::default_max_tokens(cfg, "claude-opus-4-1-20250805") == 1000);
    auto [st, msg] = error_of([] { translate(R"({"messages":[{"role":"user","content":"hi"}],"max_tokens":0})"); });
    CHECK(st == NX_ERR_INVALID);
    CHECK_THAT(msg, Catch::Contains("max_tokens"));
}

TEST_CASE("chat: sampling, stop, user and stream", "[request]") {
    auto out = translate(R"({"messages":[{"role":"user","content":"hi"}],"temperature":1.7,"top_p":0.9,"top_k":40,
        "stop":["\n\nHuman:","END"],"user":"user-1234","seed":7,"presence_penalty":0.5,"frequency_penalty":0.1,
        "logit_bias":{"1":2},"logprobs":true,"n":1,"stream_options":{"include_usage":true},"stream":true})", true);
    CHECK(at(out, "/temperature") == "1.0");
    CHECK(at(out, "/top_p") == "0.9");
    CHECK(at(out, "/top_k") == "40");
    CHECK(at(out, "/stop_sequences") == R"(["\n\nHuman:","END"])");
    CHECK(at(out, "/metadata") == R"({"user_id":"user-1234"})");
    CHECK(at(out, "/stream") == "true");
    for (const char* dropped : {"/seed", "/presence_penalty", "/frequency_penalty", "/logit_bias", "/logprobs", "/n",
                                "/stream_options", "/user", "/stop"})
        CHECK(at(out, dropped) == "<missing>");

    auto single = translate(R"({"messages":[{"role":"user","content":"hi"}],"stop":"###","temperature":-0.5,"stream":true})");
    CHECK(at(single, "/stop_sequences") == R"(["###"])");
    CHECK(at(single, "/temperature") == "0.0");
    CHECK(at(single, "/stream") == "<missing>");  // the host did not ask for a stream
}

TEST_CASE("chat: tool_choice mapping", "[request]") {
    const std::string tools = R"("tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{}}}}])";
    auto choice = [&](const std::string& extra) {
        return at(translate(R"({"messages":[{"role":"user","content":"hi"}],)" + tools + extra + "}"), "/tool_choice");
    };
    CHECK(choice("") == "<missing>");
    CHECK(choice(R"(,"tool_choice":"auto")") == R"({"type":"auto"})");
    CHECK(choice(R"(,"tool_choice":"none")") == R"({"type":"none"})");
    CHECK(choice(R"(,"tool_choice":"required")") == R"({"type":"any"})");
    CHECK(choice(R"(,"tool_choice":{"type":"function","function":{"name":"get_weather"}})") == R"({"type":"tool","name":"get_weather"})");
    CHECK(choice(R"(,"parallel_tool_calls":false)") == R"({"type":"auto","disable_parallel_tool_use":true})");
    CHECK(choice(R"(,"tool_choice":"required","parallel_tool_calls":false)") == R"({"type":"any","disable_parallel_tool_use":true})");
    CHECK(choice(R"(,"tool_choice":"none","parallel_tool_calls":false)") == R"({"type":"none"})");
    CHECK(choice(R"(,"parallel_tool_calls":true)") == "<missing>");
    // Without tools there is nothing to choose from: Anthropic would refuse the field.
    CHECK(at(translate(R"({"messages":[{"role":"user","content":"hi"}],"tool_choice":"auto"})"), "/tool_choice") == "<missing>");

    auto [st, msg] = error_of([&] { choice(R"(,"tool_choice":"sometimes")"); });
    CHECK(st == NX_ERR_INVALID);
    CHECK_THAT(msg, Catch::Contains("tool_choice"));
}

TEST_CASE("chat: tools keep cache_control and get a schema when they have none", "[request]") {
    auto out = translate(R"({"messages":[{"role":"user","content":"hi"}],"tools":[
      {"type":"function","function":{"name":"now","description":"Current time"}},
      {"type":"function","function":{"name":"search","parameters":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"q":{"type":"string"}},"additionalProperties":false},"strict":true},
       "cache_control":{"type":"ephemeral"}}]})");
    CHECK(at(out, "/tools") == compact(R"([{"name":"now","description":"Current time","input_schema":{"type":"object","properties":{}}},
      {"name":"search","input_schema":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"q":{"type":"string"}},"additionalProperties":false},"cache_control":{"type":"ephemeral"}}])"));
    auto [st, msg] = error_of([] {
        translate(R"({"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"custom","custom":{"name":"x"}}]})");
    });
    CHECK(st == NX_ERR_UNSUPPORTED);
    CHECK_THAT(msg, Catch::Contains("tools[0]"));
}

TEST_CASE("chat: n > 1 is unsupported", "[request]") {
    auto [st, msg] = error_of([] { translate(R"({"messages":[{"role":"user","content":"hi"}],"n":2})"); });
    CHECK(st == NX_ERR_UNSUPPORTED);
    CHECK(msg == "claude does not support n > 1");
}

TEST_CASE("chat: response_format json_schema is emulated with a forced tool", "[request]") {
    auto out = translate(R"({"messages":[{"role":"user","content":"Extract: Ada, 36"}],
      "response_format":{"type":"json_schema","json_schema":{"name":"person","strict":true,
        "schema":{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}},"required":["name","age"],"additionalProperties":false}}}})");
    CHECK(at(out, "/tools/0/name") == "\"nexus_json_output\"");
    CHECK(at(out, "/tools/0/input_schema") ==
          compact(R"({"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}},"required":["name","age"],"additionalProperties":false})"));
    CHECK(at(out, "/tool_choice") == R"({"type":"tool","name":"nexus_json_output"})");
    CHECK(at(out, "/response_format") == "<missing>");

    auto obj = translate(R"({"messages":[{"role":"user","content":"JSON please"}],"response_format":{"type":"json_object"}})");
    CHECK(at(obj, "/tools/0/input_schema") == R"({"type":"object"})");
    CHECK(at(translate(R"({"messages":[{"role":"user","content":"hi"}],"response_format":{"type":"text"}})"), "/tools") == "<missing>");

    auto [st, msg] = error_of([] {
        translate(R"({"messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"},
                     "tools":[{"type":"function","function":{"name":"f"}}]})");
    });
    CHECK(st == NX_ERR_UNSUPPORTED);
    CHECK_THAT(msg, Catch::Contains("response_format") && Catch::Contains("tools"));
}

TEST_CASE("chat: reasoning_effort enables thinking below max_tokens", "[request]") {
    auto high = translate(R"({"messages":[{"role":"user","content":"hi"}],"reasoning_effort":"high","temperature":0.2,"top_k":5})");
    CHECK(at(high, "/thinking") == R"({"type":"enabled","budget_tokens":4096})");
    CHECK(at(high, "/max_tokens") == "12288");  // the default plus the budget
    CHECK(at(high, "/temperature") == "<missing>");  // Anthropic refuses sampling changes with thinking
    CHECK(at(high, "/top_k") == "<missing>");

    auto capped = translate(R"({"messages":[{"role":"user","content":"hi"}],"reasoning_effort":"medium","max_tokens":1500})");
    CHECK(at(capped, "/thinking") == R"({"type":"enabled","budget_tokens":1499})");
    CHECK(at(capped, "/max_tokens") == "1500");

    auto small = translate(R"({"messages":[{"role":"user","content":"hi"}],"reasoning_effort":"low","max_tokens":500,"temperature":0.3})");
    CHECK(at(small, "/thinking") == "<missing>");
    CHECK(at(small, "/temperature") == "0.3");
    CHECK(at(translate(R"({"messages":[{"role":"user","content":"hi"}],"reasoning_effort":"minimal"})"), "/thinking") == "<missing>");
}

TEST_CASE("chat: malformed requests name the field", "[request]") {
    auto check = [](const char* body, nx_status status, const char* needle) {
        auto [st, msg] = error_of([&] { translate(body); });
        CHECK(st == status);
        CHECK_THAT(msg, Catch::Contains(needle));
    };
    check("not json", NX_ERR_INVALID, "invalid JSON");
    check(R"([1])", NX_ERR_INVALID, "JSON object");
    check(R"({"model":"x"})", NX_ERR_INVALID, "messages");
    check(R"({"messages":[]})", NX_ERR_INVALID, "messages");
    check(R"({"messages":[{"role":"wizard","content":"hi"}]})", NX_ERR_INVALID, "messages[0].role");
    check(R"({"messages":[{"role":"function","name":"f","content":"x"}]})", NX_ERR_UNSUPPORTED, "messages[0]");
    check(R"({"messages":[{"role":"user","content":42}]})", NX_ERR_INVALID, "messages[0].content");
    check(R"({"messages":[{"role":"system","content":[{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}]})",
          NX_ERR_INVALID, "messages[0].content[0]");
    check(R"({"messages":[{"role":"user","content":"hi"}],"stop":[1]})", NX_ERR_INVALID, "stop");
    check(R"({"messages":[{"role":"user","content":"hi"}],"temperature":"hot"})", NX_ERR_INVALID, "temperature");
}

TEST_CASE("build_request: URL and headers of a translated chat", "[request]") {
    ProviderConfig cfg;
    RequestInput in = chat(R"({"model":"smart","messages":[{"role":"user","content":"Hello, Claude"}]})", true);
    in.client_anthropic_beta = "prompt-caching-2024-07-31";
    UpstreamRequest r = build_request(cfg, in);
    CHECK(r.method == "POST");
    CHECK(r.url == "https://api.anthropic.com/v1/messages");
    CHECK(r.framing == NX_FRAMING_SSE);
    CHECK(header(r, "x-api-key") == "sk-ant-api03-test-key");
    CHECK(header(r, "anthropic-version") == "2023-06-01");
    CHECK(header(r, "content-type") == "application/json");
    CHECK(header(r, "accept") == "text/event-stream");
    CHECK(header(r, "anthropic-beta") == "prompt-caching-2024-07-31");
    CHECK(!header(r, "authorization"));
    auto body = parse(r.body);
    CHECK(at(body, "/model") == "\"claude-sonnet-4-5-20250929\"");
    CHECK(at(body, "/stream") == "true");

    cfg.base_url = "http://127.0.0.1:9999/v1";
    cfg.anthropic_version = "2024-01-01";
    cfg.extra_headers = {{"anthropic-beta", "output-128k-2025-02-19"}, {"X-Team", "blue"}};
    in.stream = false;
    r = build_request(cfg, in);
    CHECK(r.url == "http://127.0.0.1:9999/v1/messages");
    CHECK(header(r, "anthropic-version") == "2024-01-01");
    CHECK(header(r, "anthropic-beta") == "output-128k-2025-02-19,prompt-caching-2024-07-31");
    CHECK(header(r, "X-Team") == "blue");
    CHECK(header(r, "accept") == "application/json");

    in.base_url = "http://fake:1/";  // the host's value wins over the config's
    CHECK(build_request(cfg, in).url == "http://fake:1/v1/messages");
}

TEST_CASE("build_request: models, embeddings and unknown operations", "[request]") {
    ProviderConfig cfg;
    RequestInput in;
    in.op = NX_OP_LIST_MODELS;
    in.api_key = "sk-ant-x";
    UpstreamRequest r = build_request(cfg, in);
    CHECK(r.method == "GET");
    CHECK(r.url == "https://api.anthropic.com/v1/models?limit=1000");
    CHECK(r.body.empty());
    CHECK(!header(r, "content-type"));
    CHECK(header(r, "x-api-key") == "sk-ant-x");

    in.op = NX_OP_EMBEDDINGS;
    in.body = R"({"model":"x","input":"hi"})";
    auto [st, msg] = error_of([&] { build_request(cfg, in); });
    CHECK(st == NX_ERR_UNSUPPORTED);
    CHECK(msg == "anthropic has no embeddings endpoint");
    in.op = 99;
    CHECK(error_of([&] { build_request(cfg, in); }).first == NX_ERR_UNSUPPORTED);
}

TEST_CASE("build_request: same-wire passthrough changes only the model", "[request][native]") {
    // An Anthropic client's body as it sent it: whitespace, escapes, a thinking block with
    // its signature, cache_control, and fields no translation knows.
    const std::string native = "{\n  \"model\" : \"claude-opus-4-1\",\"max_tokens\": 1024,\n"
                               "  \"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 10000},\n"
                               "  \"system\": [{\"type\":\"text\",\"text\":\"Be \\u00e9l\\u00e9gant \\/ brief\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}],\n"
                               "  \"messages\": [{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"model: hmm\",\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds\"}]},{\"role\":\"user\",\"content\":\"Go on\"}],\n"
                               "  \"container\": null, \"service_tier\": \"auto\", \"some_future_field\": {\"model\": \"nested stays\", \"n\": 1.50}\n}";
    ProviderConfig cfg;
    RequestInput in = chat(R"({"model":"ignored","messages":[{"role":"user","content":"x"}]})");
    in.native_format = "anthropic";
    in.native_body = native;
    in.upstream_model = "claude-opus-4-1-20250805";
    in.client_anthropic_version = "2023-06-01";
    in.client_anthropic_beta = "interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14";
    UpstreamRequest r = build_request(cfg, in);

    std::string expected = native;
    expected.replace(expected.find("\"claude-opus-4-1\""), 17, "\"claude-opus-4-1-20250805\"");
    CHECK(r.body == expected);
    CHECK(r.url == "https://api.anthropic.com/v1/messages");
    CHECK(header(r, "anthropic-beta") == "interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14");
    CHECK(header(r, "x-api-key") == "sk-ant-api03-test-key");

    cfg.anthropic_version = "2023-01-01";
    in.client_anthropic_version = "2023-06-01";
    CHECK(header(build_request(cfg, in), "anthropic-version") == "2023-06-01");  // the client's wire version
    in.client_anthropic_version.reset();
    CHECK(header(build_request(cfg, in), "anthropic-version") == "2023-01-01");
}

TEST_CASE("replace_model: edge cases", "[request][native]") {
    using nexus::claude::replace_model;
    CHECK(replace_model(R"({"max_tokens":1,"messages":[]})", "m") == R"({"model":"m","max_tokens":1,"messages":[]})");
    CHECK(replace_model(" { } ", "m") == R"( {"model":"m" } )");
    CHECK(replace_model(R"({"a":"x\"model\":1","model":null})", "c\"q") == R"({"a":"x\"model\":1","model":"c\"q"})");
    CHECK(replace_model(R"({"model":"keep"})", "") == R"({"model":"keep"})");
    CHECK(error_of([] { replace_model("[1]", "m"); }).first == NX_ERR_INVALID);
    CHECK(error_of([] { replace_model(R"({"model":)", "m"); }).first == NX_ERR_INVALID);
}

TEST_CASE("provider config", "[config]") {
    using nexus::claude::parse_config;
    auto cfg = parse_config(R"({"plugin":"claude","base_url":"https://proxy.example/anthropic/","options":{"anthropic_version":"2023-06-01","default_max_tokens":2048,"headers":{"X-A":"1"}}})");
    CHECK(cfg.base_url == "https://proxy.example/anthropic");
    CHECK(cfg.default_max_tokens == 2048);
    CHECK(cfg.extra_headers.size() == 1);
    CHECK(parse_config("").base_url == "https://api.anthropic.com");
    auto bad = [](const char* json, const char* needle) {
        auto [st, msg] = error_of([&] { parse_config(json); });
        CHECK(st == NX_ERR_INVALID);
        CHECK_THAT(msg, Catch::Contains(needle));
    };
    bad(R"({"base_url":"api.anthropic.com"})", "base_url");
    bad(R"({"options":{"default_max_tokens":0}})", "options.default_max_tokens");
    bad(R"({"options":{"headers":{"x-api-key":"k"}}})", "options.headers.x-api-key");
    bad(R"({"options":{"colour":"red"}})", "options.colour");
}
