#include "chat_request.hpp"
#include "test_support.hpp"
#include "tool_call_ids.hpp"

#include <algorithm>

using nexus::mistral::to_mistral_tool_call_id;
using nexus::mistral::translate_chat_request;
using nexus::sdk::Error;
using mistral_test::parse;
using mistral_test::s;
using mistral_test::thrown;

namespace {

// Most of the Chat Completions surface as an OpenAI SDK sends it
// (https://platform.openai.com/docs/api-reference/chat/create), with a tool round trip and
// images, plus members Mistral refuses with 422 "Extra inputs are not permitted".
const std::string kFullRequest = R"({
  "model": "smart",
  "messages": [
    {"role": "developer", "content": "You are terse."},
    {"role": "system", "content": [{"type": "text", "text": "Answer in English.", "cache_control": {"type": "ephemeral"}}]},
    {"role": "user", "name": "ada", "content": [
      {"type": "text", "text": "What's in this image?"},
      {"type": "image_url", "image_url": {"url": "https://upload.wikimedia.org/wikipedia/commons/d/dd/boardwalk.jpg", "detail": "low"}},
      {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
    ]},
    {"role": "assistant", "content": null, "refusal": null, "reasoning_content": "thinking...", "tool_calls": [
      {"id": "call_abc123", "type": "function", "function": {"name": "get_current_weather", "arguments": "{\"location\": \"Boston, MA\"}"}},
      {"id": "call_def456", "type": "function", "function": {"name": "get_time", "arguments": "{}"}}
    ]},
    {"role": "tool", "tool_call_id": "call_abc123", "content": "{\"temperature\": 22}"},
    {"role": "tool", "tool_call_id": "call_def456", "content": [{"type": "text", "text": "12:00"}]},
    {"role": "user", "content": "And tomorrow?"}
  ],
  "tools": [{"type": "function", "cache_control": {"type": "ephemeral"}, "function": {"name": "get_current_weather", "description": "Get the current weather in a given location",
    "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}, "strict": false}}],
  "tool_choice": {"type": "function", "function": {"name": "get_current_weather"}},
  "parallel_tool_calls": false,
  "response_format": {"type": "json_schema", "json_schema": {"name": "weather", "strict": true, "schema": {"type": "object", "properties": {"t": {"type": "number"}}}}},
  "temperature": 0.7, "top_p": 0.95, "max_tokens": 512, "max_completion_tokens": 600,
  "stop": ["\n\n", "END"], "seed": 42, "n": 2, "logprobs": true, "top_logprobs": 3,
  "presence_penalty": -2, "frequency_penalty": 0.5, "logit_bias": {"50256": -100},
  "user": "user-1234", "service_tier": "auto", "metadata": {"team": "a"}, "store": false,
  "reasoning_effort": "low", "stream": true, "stream_options": {"include_usage": true},
  "safe_prompt": true,
  "some_future_field": {"nested": [1, 2.5]}
})";

}  // namespace

TEST_CASE("chat request: top-level fields renamed, kept and dropped", "[chat_request]") {
    auto out = translate_chat_request(kFullRequest, "mistral-large-latest", false);
    auto d = parse(out.body);
    CHECK(s(d["model"]) == "mistral-large-latest");
    CHECK(d["max_tokens"].GetInt() == 600);  // max_completion_tokens wins over max_tokens
    CHECK_FALSE(d.HasMember("max_completion_tokens"));
    CHECK(d["random_seed"].GetInt() == 42);
    CHECK_FALSE(d.HasMember("seed"));
    CHECK(d["stream"].IsFalse());
    CHECK_FALSE(d.HasMember("stream_options"));
    CHECK(d["n"].GetInt() == 2);
    CHECK(d["temperature"].GetDouble() == Approx(0.7));
    CHECK(d["top_p"].GetDouble() == Approx(0.95));
    CHECK(d["stop"].Size() == 2);
    CHECK(d["presence_penalty"].GetInt() == -2);
    CHECK(d["frequency_penalty"].GetDouble() == Approx(0.5));
    CHECK(d["parallel_tool_calls"].IsFalse());
    CHECK(d["safe_prompt"].IsTrue());
    CHECK(s(d["response_format"]["type"]) == "json_schema");
    CHECK(s(d["response_format"]["json_schema"]["name"]) == "weather");
    CHECK(s(d["tool_choice"]["function"]["name"]) == "get_current_weather");
    for (const char* gone : {"user", "logprobs", "top_logprobs", "logit_bias", "service_tier", "metadata", "store",
                             "reasoning_effort", "some_future_field"}) {
        INFO(gone);
        CHECK_FALSE(d.HasMember(gone));
        CHECK(std::count(out.dropped.begin(), out.dropped.end(), gone) == 1);
    }
    CHECK(out.dropped.size() == 9);

    const auto& tool = d["tools"][0];
    CHECK_FALSE(tool.HasMember("cache_control"));
    CHECK(s(tool["function"]["name"]) == "get_current_weather");
    CHECK(tool["function"]["strict"].IsFalse());
    CHECK(tool["function"]["parameters"]["required"][0] == "location");
}

TEST_CASE("chat request: stream is always explicit", "[chat_request]") {
    auto d = parse(translate_chat_request(R"({"model":"m","messages":[{"role":"user","content":"hi"}]})", "", true).body);
    CHECK(d["stream"].IsTrue());
    CHECK(s(d["model"]) == "m");
    d = parse(translate_chat_request(R"({"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]})", "x", false).body);
    CHECK(d["stream"].IsFalse());
}

TEST_CASE("chat request: max_tokens alone and seed next to random_seed", "[chat_request]") {
    auto d = parse(translate_chat_request(
        R"({"model":"m","max_tokens":77,"seed":1,"random_seed":9,"messages":[{"role":"user","content":"hi"}]})", "m", false).body);
    CHECK(d["max_tokens"].GetInt() == 77);
    CHECK(d["random_seed"].GetInt() == 9);
}

TEST_CASE("chat request: null members are left out", "[chat_request]") {
    auto d = parse(translate_chat_request(
        R"({"model":"m","temperature":null,"presence_penalty":null,"stop":null,"tools":null,"max_tokens":null,"messages":[{"role":"user","content":"hi"}]})",
        "m", false).body);
    for (const char* k : {"temperature", "presence_penalty", "stop", "tools", "max_tokens"}) {
        INFO(k);
        CHECK_FALSE(d.HasMember(k));
    }
}

TEST_CASE("chat request: tool_choice forms", "[chat_request]") {
    auto choice = [](const std::string& tc) {
        auto d = parse(translate_chat_request(R"({"model":"m","tool_choice":)" + tc + R"(,"messages":[{"role":"user","content":"hi"}]})", "m", false).body);
        return mistral_test::json(d["tool_choice"]);
    };
    CHECK(choice(R"("required")") == R"("any")");
    CHECK(choice(R"("auto")") == R"("auto")");
    CHECK(choice(R"("none")") == R"("none")");
    CHECK(choice(R"({"type":"function","function":{"name":"f"}})") == R"({"type":"function","function":{"name":"f"}})");
    auto e = thrown<Error>([] {
        translate_chat_request(R"({"model":"m","tool_choice":{"type":"allowed_tools","allowed_tools":{}},"messages":[]})", "m", false);
    });
    CHECK(e.status() == NX_ERR_UNSUPPORTED);
}

TEST_CASE("chat request: messages keep only what Mistral accepts", "[chat_request]") {
    auto d = parse(translate_chat_request(kFullRequest, "m", false).body);
    const auto& m = d["messages"];
    REQUIRE(m.Size() == 7);

    CHECK(s(m[0]["role"]) == "system");  // developer
    CHECK(s(m[0]["content"]) == "You are terse.");
    CHECK(s(m[1]["role"]) == "system");
    CHECK(mistral_test::json(m[1]["content"]) == R"([{"type":"text","text":"Answer in English."}])");  // no cache_control

    const auto& user = m[2];
    CHECK_FALSE(user.HasMember("name"));
    REQUIRE(user["content"].Size() == 3);
    CHECK(mistral_test::json(user["content"][1]) ==
          R"({"type":"image_url","image_url":"https://upload.wikimedia.org/wikipedia/commons/d/dd/boardwalk.jpg"})");
    CHECK(mistral_test::json(user["content"][2]) == R"({"type":"image_url","image_url":"data:image/png;base64,iVBORw0KGgo="})");

    const auto& asst = m[3];
    CHECK(asst["content"].IsNull());
    for (const char* gone : {"refusal", "reasoning_content"}) CHECK_FALSE(asst.HasMember(gone));
    REQUIRE(asst["tool_calls"].Size() == 2);
    std::string id0 = s(asst["tool_calls"][0]["id"]), id1 = s(asst["tool_calls"][1]["id"]);
    CHECK(id0 == to_mistral_tool_call_id("call_abc123"));
    CHECK(id1 == to_mistral_tool_call_id("call_def456"));
    CHECK(id0 != id1);
    CHECK(s(asst["tool_calls"][0]["type"]) == "function");
    CHECK(s(asst["tool_calls"][0]["function"]["arguments"]) == R"({"location": "Boston, MA"})");

    // The tool results carry the same rewritten ids, and the name of the function they answer.
    CHECK(s(m[4]["tool_call_id"]) == id0);
    CHECK(s(m[4]["name"]) == "get_current_weather");
    CHECK(s(m[5]["tool_call_id"]) == id1);
    CHECK(s(m[5]["name"]) == "get_time");
    CHECK(mistral_test::json(m[5]["content"]) == R"([{"type":"text","text":"12:00"}])");
}

TEST_CASE("chat request: ids Mistral gave in an earlier reply go back unchanged", "[chat_request]") {
    const std::string body = R"({"model":"m","messages":[
      {"role":"user","content":"weather in Paris?"},
      {"role":"assistant","content":"","tool_calls":[{"id":"D681PevKs","type":"function","function":{"name":"get_weather","arguments":"{\"city\": \"Paris\"}"}}]},
      {"role":"tool","tool_call_id":"D681PevKs","content":"22C"}]})";
    auto d = parse(translate_chat_request(body, "m", false).body);
    CHECK(s(d["messages"][1]["tool_calls"][0]["id"]) == "D681PevKs");
    CHECK(s(d["messages"][1]["content"]) == "");
    CHECK(s(d["messages"][2]["tool_call_id"]) == "D681PevKs");
    CHECK(s(d["messages"][2]["name"]) == "get_weather");
}

TEST_CASE("chat request: object arguments and prefix", "[chat_request]") {
    const std::string body = R"({"model":"m","messages":[
      {"role":"user","content":"x"},
      {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":{"a":1}}}]},
      {"role":"tool","tool_call_id":"call_1","content":null},
      {"role":"assistant","content":"Sure:","prefix":true}]})";
    auto d = parse(translate_chat_request(body, "m", false).body);
    CHECK(s(d["messages"][1]["tool_calls"][0]["function"]["arguments"]) == R"({"a":1})");
    CHECK(s(d["messages"][2]["content"]) == "");
    CHECK(d["messages"][3]["prefix"].IsTrue());
}

TEST_CASE("chat request: what Mistral cannot take is refused with the place named", "[chat_request]") {
    struct Case {
        const char* body;
        nx_status status;
        const char* mentions;
    };
    const Case cases[] = {
        {R"({"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"hi"},{"type":"input_audio","input_audio":{"data":"AAA","format":"wav"}}]}]})",
         NX_ERR_UNSUPPORTED, "messages[0].content[1]"},
        {R"({"model":"m","messages":[{"role":"user","content":"a"},{"role":"function","name":"f","content":"x"}]})", NX_ERR_UNSUPPORTED, "messages[1]"},
        {R"({"model":"m","messages":[{"role":"system","content":[{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}]})",
         NX_ERR_UNSUPPORTED, "messages[0].content[0]"},
        {R"({"model":"m","messages":[{"role":"tool","content":"x"}]})", NX_ERR_INVALID, "messages[0].tool_call_id"},
        {R"({"model":"m","messages":[{"role":"wizard","content":"x"}]})", NX_ERR_INVALID, "wizard"},
        {R"({"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]})", NX_ERR_INVALID, "image_url.url"},
        {R"({"model":"m","messages":[{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f"}}]}]})", NX_ERR_INVALID, "tool_calls[0].id"},
        {R"({"model":"m","messages":"hi"})", NX_ERR_INVALID, "messages"},
        {R"({"model":"m"})", NX_ERR_INVALID, "messages"},
        {R"({"messages":[]})", NX_ERR_INVALID, "model"},
        {R"({"model":"m","messages":[],"tools":[{"type":"web_search"}]})", NX_ERR_UNSUPPORTED, "tools[0]"},
        {R"({"model":"m",)", NX_ERR_INVALID, "offset"},
        {R"([1])", NX_ERR_INVALID, "object"},
    };
    for (const auto& c : cases) {
        INFO(c.body);
        auto e = thrown<Error>([&] { translate_chat_request(c.body, "", false); });
        CHECK(e.status() == c.status);
        CHECK_THAT(e.what(), Catch::Contains(c.mentions));
    }
}
