#include "chat_request.hpp"
#include "provider_config.hpp"
#include "test_support.hpp"

#include <algorithm>

using nexus::ollama::parse_config;
using nexus::ollama::ProviderConfig;
using nexus::ollama::translate_chat_request;
using nexus::sdk::Error;
using ollama_test::json;
using ollama_test::parse;
using ollama_test::s;
using ollama_test::thrown;

namespace {

rapidjson::Document translate(const std::string& body, bool stream = false, const ProviderConfig& cfg = {}) {
    return parse(translate_chat_request(body, "llama3.2", stream, cfg).body);
}

const std::string kPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

}  // namespace

TEST_CASE("ollama chat request: stream always explicit, model replaced", "[chat_request]") {
    auto d = translate(R"({"model":"local","messages":[{"role":"user","content":"why is the sky blue?"}]})");
    CHECK(s(d["model"]) == "llama3.2");
    REQUIRE(d.HasMember("stream"));
    CHECK(d["stream"].IsFalse());  // Ollama would stream if it were left out
    CHECK(translate(R"({"model":"x","stream":false,"messages":[]})", true)["stream"].IsTrue());
    CHECK_FALSE(d.HasMember("options"));
    CHECK(json(d["messages"]) == R"([{"role":"user","content":"why is the sky blue?"}])");
}

TEST_CASE("ollama chat request: sampling fields move into options", "[chat_request]") {
    auto d = translate(R"({"model":"x","messages":[{"role":"user","content":"hi"}],
      "temperature":0.2,"top_p":0.9,"top_k":40,"seed":101,"presence_penalty":1.5,"frequency_penalty":1.0,
      "stop":"user:","max_tokens":100,"max_completion_tokens":50,"num_ctx":4096,"keep_alive":"10m",
      "user":"u","logprobs":true,"n":1,"stream_options":{"include_usage":true}})");
    const auto& o = d["options"];
    CHECK(o["temperature"].GetDouble() == Approx(0.2));
    CHECK(o["top_p"].GetDouble() == Approx(0.9));
    CHECK(o["top_k"].GetInt() == 40);
    CHECK(o["seed"].GetInt() == 101);
    CHECK(o["presence_penalty"].GetDouble() == Approx(1.5));
    CHECK(o["frequency_penalty"].GetDouble() == Approx(1.0));
    CHECK(json(o["stop"]) == R"(["user:"])");
    CHECK(o["num_predict"].GetInt() == 50);  // max_completion_tokens wins
    CHECK(o["num_ctx"].GetInt() == 4096);
    CHECK(s(d["keep_alive"]) == "10m");
    for (const char* k : {"temperature", "user", "logprobs", "n", "stream_options", "max_tokens", "top_k", "seed", "stop"}) {
        INFO(k);
        CHECK_FALSE(d.HasMember(k));
    }
    auto out = translate_chat_request(R"({"model":"x","messages":[],"user":"u","logprobs":true})", "m", false, {});
    CHECK(out.dropped == std::vector<std::string>{"user", "logprobs"});
}

TEST_CASE("ollama chat request: provider options fill in what the request does not say", "[chat_request]") {
    ProviderConfig cfg = parse_config(R"({"plugin":"ollama","base_url":"http://gpu-box:11434/","options":{"num_ctx":8192,"keep_alive":-1}})");
    CHECK(cfg.base_url == "http://gpu-box:11434");
    auto d = translate(R"({"model":"x","messages":[],"max_tokens":5})", false, cfg);
    CHECK(d["options"]["num_ctx"].GetInt() == 8192);
    CHECK(d["options"]["num_predict"].GetInt() == 5);
    CHECK(d["keep_alive"].GetInt() == -1);
    d = translate(R"({"model":"x","messages":[],"num_ctx":2048,"keep_alive":"1h"})", false, cfg);
    CHECK(d["options"]["num_ctx"].GetInt() == 2048);
    CHECK(s(d["keep_alive"]) == "1h");
    d = translate(R"({"model":"x","messages":[],"options":{"num_ctx":1024,"repeat_penalty":1.1,"temperature":1},"temperature":0})", false, cfg);
    CHECK(d["options"]["num_ctx"].GetInt() == 1024);  // an explicit request option wins over the config
    CHECK(d["options"]["repeat_penalty"].GetDouble() == Approx(1.1));
    CHECK(d["options"]["temperature"].GetInt() == 0);  // the OpenAI field wins over the raw option

    CHECK_THAT(thrown<Error>([] { parse_config(R"({"options":{"num_ctx":0}})"); }).what(), Catch::Contains("options.num_ctx"));
    CHECK_THAT(thrown<Error>([] { parse_config(R"({"options":{"keep_alive":true}})"); }).what(), Catch::Contains("options.keep_alive"));
    CHECK_THAT(thrown<Error>([] { parse_config(R"({"options":{"mirostat":1}})"); }).what(), Catch::Contains("options.mirostat"));
    CHECK_THAT(thrown<Error>([] { parse_config(R"({"base_url":"localhost:11434"})"); }).what(), Catch::Contains("base_url"));
}

TEST_CASE("ollama chat request: content flattened, images inline", "[chat_request]") {
    auto d = translate(R"({"model":"x","messages":[
      {"role":"developer","content":[{"type":"text","text":"Be brief."},{"type":"text","text":"Use English."}]},
      {"role":"user","name":"ada","content":[{"type":"text","text":"what is in this image?"},
        {"type":"image_url","image_url":{"url":"data:image/png;base64,)" + kPng + R"(","detail":"low"}},
        {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}}]},
      {"role":"assistant","content":null}]})");
    const auto& m = d["messages"];
    CHECK(s(m[0]["role"]) == "system");
    CHECK(s(m[0]["content"]) == "Be brief.\nUse English.");
    CHECK(s(m[1]["content"]) == "what is in this image?");
    REQUIRE(m[1]["images"].Size() == 2);
    CHECK(s(m[1]["images"][0]) == kPng);
    CHECK(s(m[1]["images"][1]) == "/9j/4AAQ");
    CHECK_FALSE(m[1].HasMember("name"));
    CHECK(s(m[2]["content"]) == "");
}

TEST_CASE("ollama chat request: an http image URL is refused, naming the message", "[chat_request]") {
    auto e = thrown<Error>([] {
        translate(R"({"model":"x","messages":[{"role":"user","content":"a"},{"role":"user","content":[{"type":"text","text":"look"},{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]})");
    });
    CHECK(e.status() == NX_ERR_UNSUPPORTED);
    CHECK_THAT(e.what(), Catch::Contains("messages[1].content[1]") && Catch::Contains("data: URL"));
    CHECK(thrown<Error>([] {
              translate(R"({"model":"x","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/svg+xml,<svg/>"}}]}]})");
          }).status() == NX_ERR_UNSUPPORTED);
    CHECK(thrown<Error>([] {
              translate(R"({"model":"x","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"x","format":"wav"}}]}]})");
          }).status() == NX_ERR_UNSUPPORTED);
}

TEST_CASE("ollama chat request: a tool round trip", "[chat_request]") {
    auto d = translate(R"({"model":"x","messages":[
      {"role":"user","content":"What is the weather today in Paris?"},
      {"role":"assistant","content":null,"reasoning_content":"Need the tool.","tool_calls":[
        {"id":"call_a1","type":"function","function":{"name":"get_current_weather","arguments":"{\"location\":\"Paris, FR\",\"format\":\"celsius\"}"}},
        {"id":"call_b2","type":"function","function":{"name":"get_time","arguments":""}}]},
      {"role":"tool","tool_call_id":"call_a1","content":"22"},
      {"role":"tool","tool_call_id":"call_b2","content":[{"type":"text","text":"12:00"}]},
      {"role":"tool","tool_call_id":"call_unknown","content":"?"}],
      "tools":[{"type":"function","function":{"name":"get_current_weather","description":"Get the current weather for a location",
        "parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]},"strict":true}}],
      "tool_choice":"auto"})");
    const auto& m = d["messages"];
    const auto& asst = m[1];
    CHECK(s(asst["content"]) == "");
    CHECK(s(asst["thinking"]) == "Need the tool.");
    REQUIRE(asst["tool_calls"].Size() == 2);
    CHECK(json(asst["tool_calls"][0]) == R"({"function":{"name":"get_current_weather","arguments":{"location":"Paris, FR","format":"celsius"}}})");
    CHECK(json(asst["tool_calls"][1]["function"]["arguments"]) == "{}");
    CHECK(json(m[2]) == R"({"role":"tool","content":"22","tool_name":"get_current_weather"})");
    CHECK(json(m[3]) == R"({"role":"tool","content":"12:00","tool_name":"get_time"})");
    CHECK_FALSE(m[4].HasMember("tool_name"));
    REQUIRE(d["tools"].Size() == 1);
    CHECK_FALSE(d["tools"][0]["function"].HasMember("strict"));
    CHECK(s(d["tools"][0]["function"]["name"]) == "get_current_weather");
    CHECK_FALSE(d.HasMember("tool_choice"));

    auto none = translate(R"({"model":"x","messages":[],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"none"})");
    CHECK_FALSE(none.HasMember("tools"));
    auto bad = thrown<Error>([] {
        translate(R"({"model":"x","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"[1,2"}}]}]})");
    });
    CHECK(bad.status() == NX_ERR_INVALID);
    CHECK_THAT(bad.what(), Catch::Contains("messages[0].tool_calls[0].function.arguments"));
}

TEST_CASE("ollama chat request: response_format becomes format", "[chat_request]") {
    CHECK(s(translate(R"({"model":"x","messages":[],"response_format":{"type":"json_object"}})")["format"]) == "json");
    auto d = translate(R"({"model":"x","messages":[],"response_format":{"type":"json_schema","json_schema":{"name":"p","strict":true,
      "schema":{"type":"object","properties":{"age":{"type":"integer"},"available":{"type":"boolean"}},"required":["age","available"]}}}})");
    CHECK(json(d["format"]) == R"({"type":"object","properties":{"age":{"type":"integer"},"available":{"type":"boolean"}},"required":["age","available"]})");
    CHECK_FALSE(translate(R"({"model":"x","messages":[],"response_format":{"type":"text"}})").HasMember("format"));
}

TEST_CASE("ollama chat request: refusals", "[chat_request]") {
    CHECK(thrown<Error>([] { translate(R"({"model":"x","messages":[],"n":3})"); }).status() == NX_ERR_UNSUPPORTED);
    CHECK(thrown<Error>([] { translate(R"({"model":"x"})"); }).status() == NX_ERR_INVALID);
    CHECK(thrown<Error>([] { translate(R"({"model":"x","messages":[{"role":"function","content":"x"}]})"); }).status() == NX_ERR_UNSUPPORTED);
    CHECK_THAT(thrown<Error>([] { translate(R"({"model":"x","messages":[],"stop":5})"); }).what(), Catch::Contains("stop"));
    CHECK_THAT(thrown<Error>([] { translate(R"({"model":"x","messages":[],"temperature":"hot"})"); }).what(), Catch::Contains("temperature"));
    CHECK(thrown<Error>([] { translate_chat_request("{", "m", false, {}); }).status() == NX_ERR_INVALID);
}
