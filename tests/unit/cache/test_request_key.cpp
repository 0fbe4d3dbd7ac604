#include "bypass.hpp"
#include "cache_config.hpp"
#include "nexus/nexus.hpp"
#include "request_key.hpp"
#include "single_flight.hpp"
#include "storable.hpp"

#include <catch2/catch.hpp>

using namespace nexus::cache;

namespace {

std::string config_error(const std::string& json) {
    try {
        read_cache_config(json);
    } catch (const nexus::sdk::Error& e) {
        CHECK(e.status() == NX_ERR_INVALID);
        return e.what();
    }
    FAIL("config accepted: " << json);
    return {};
}

const char* kBase = R"({"model":"gpt-test","messages":[{"role":"user","content":"hi"}],"temperature":0.2})";

}  // namespace

TEST_CASE("normalize: sorted keys at every level, compact", "[key]") {
    CHECK(normalize_request(R"({"temperature":1,"model":"m","messages":[{"role":"user","content":"x"}]})") ==
          R"({"messages":[{"content":"x","role":"user"}],"model":"m","temperature":1})");
    CHECK(normalize_request(R"({ "messages" : [ ], "tools":[{"type":"function","function":{"parameters":{"b":1,"a":2},"name":"f"}}]})") ==
          R"({"messages":[],"tools":[{"function":{"name":"f","parameters":{"a":2,"b":1}},"type":"function"}]})");
}

TEST_CASE("normalize: user, metadata and delivery options are not part of the key", "[key]") {
    auto plain = normalize_request(kBase);
    REQUIRE(plain);
    CHECK(normalize_request(R"({"model":"gpt-test","messages":[{"role":"user","content":"hi"}],"temperature":0.2,
        "stream":true,"stream_options":{"include_usage":true},"user":"u-1","metadata":{"a":"b"},"store":true,
        "prompt_cache_key":"k","safety_identifier":"s"})") == plain);
    // ... but a nested "user" (a message role) stays, of course.
    CHECK(normalize_request(R"({"messages":[{"role":"user","content":"x","user":"nested"}]})")->find("nested") != std::string::npos);
}

TEST_CASE("normalize: whole numbers compare equal whatever their spelling", "[key]") {
    CHECK(normalize_request(R"({"messages":[],"temperature":1.0,"top_p":1e0})") ==
          normalize_request(R"({"messages":[],"temperature":1,"top_p":1})"));
    CHECK(normalize_request(R"({"messages":[],"temperature":0.7})") != normalize_request(R"({"messages":[],"temperature":0.75})"));
}

TEST_CASE("normalize: only chat requests have a key", "[key]") {
    CHECK_FALSE(normalize_request(R"({"model":"e","input":"text"})"));
    CHECK_FALSE(normalize_request(R"({"messages":"not a list"})"));
    CHECK_FALSE(normalize_request("[]"));
    CHECK_FALSE(normalize_request("{oops"));
}

TEST_CASE("request key: every answer-changing field, and the namespace, change it", "[key]") {
    auto base = request_key(kBase, "");
    REQUIRE(base);
    CHECK(base->rfind("chat::", 0) == 0);
    CHECK(base->size() == 6 + 64);
    CHECK(request_key(kBase, "") == base);
    CHECK(request_key(kBase, "team") != base);
    CHECK(request_key(kBase, "team")->rfind("chat:team:", 0) == 0);
    for (const char* variant : {
             R"({"model":"gpt-other","messages":[{"role":"user","content":"hi"}],"temperature":0.2})",
             R"({"model":"gpt-test","messages":[{"role":"user","content":"hi!"}],"temperature":0.2})",
             R"({"model":"gpt-test","messages":[{"role":"user","content":"hi"}],"temperature":0.3})",
             R"({"model":"gpt-test","messages":[{"role":"user","content":"hi"}],"temperature":0.2,"seed":1})",
             R"({"model":"gpt-test","messages":[{"role":"user","content":"hi"}],"temperature":0.2,"max_tokens":5})",
             R"({"model":"gpt-test","messages":[{"role":"user","content":"hi"}],"temperature":0.2,"stop":["x"]})",
             R"({"model":"gpt-test","messages":[{"role":"user","content":"hi"}],"temperature":0.2,"n":2})",
             R"({"model":"gpt-test","messages":[{"role":"user","content":"hi"}],"temperature":0.2,"tool_choice":"none"})",
             R"({"model":"gpt-test","messages":[{"role":"user","content":"hi"}],"temperature":0.2,"response_format":{"type":"json_object"}})",
             R"({"model":"gpt-test","messages":[{"role":"user","content":"hi"}],"temperature":0.2,"future_knob":true})",
         })
        CHECK(request_key(variant, "") != base);
}

TEST_CASE("storable: finished chat completions only", "[storable]") {
    CHECK(storable_completion(R"({"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"stop"}]})"));
    CHECK(storable_completion(R"({"object":"chat.completion","choices":[{"message":{},"finish_reason":"length"},{"message":{},"finish_reason":"tool_calls"}]})"));
    CHECK_FALSE(storable_completion(R"({"object":"chat.completion","choices":[{"message":{},"finish_reason":"error"}]})"));
    CHECK_FALSE(storable_completion(R"({"object":"chat.completion","choices":[{"message":{},"finish_reason":null}]})"));
    CHECK_FALSE(storable_completion(R"({"object":"chat.completion","choices":[{"finish_reason":"stop"}]})"));
    CHECK_FALSE(storable_completion(R"({"object":"chat.completion","choices":[]})"));
    CHECK_FALSE(storable_completion(R"({"object":"list","data":[]})"));
    CHECK_FALSE(storable_completion("not json"));
}

TEST_CASE("bypass: Cache-Control no-cache or x-nexus-cache bypass", "[bypass]") {
    CHECK(wants_bypass("no-cache", std::nullopt));
    CHECK(wants_bypass("max-age=0, No-Cache", std::nullopt));
    CHECK(wants_bypass("no-cache=\"set-cookie\"", std::nullopt));
    CHECK(wants_bypass(std::nullopt, "bypass"));
    CHECK(wants_bypass(std::nullopt, " BYPASS "));
    CHECK_FALSE(wants_bypass("max-age=60", std::nullopt));
    CHECK_FALSE(wants_bypass("no-cachex", std::nullopt));
    CHECK_FALSE(wants_bypass(std::nullopt, "hit"));
    CHECK_FALSE(wants_bypass(std::nullopt, std::nullopt));
}

TEST_CASE("config: defaults, units, errors", "[config]") {
    CacheConfig c = read_cache_config("{}");
    CHECK(c.ttl_ms == 300'000);
    CHECK(c.max_entry_bytes == 1048576);
    CHECK(c.ns.empty());
    c = read_cache_config(R"({"ttl":"10m","max_entry_bytes":"2MiB","namespace":"prod"})");
    CHECK(c.ttl_ms == 600'000);
    CHECK(c.max_entry_bytes == 2097152);
    CHECK(c.ns == "prod");
    c = read_cache_config(R"({"ttl":45,"max_entry_bytes":4096})");
    CHECK(c.ttl_ms == 45'000);
    CHECK(c.max_entry_bytes == 4096);
    CHECK(config_error(R"({"ttl":"forever"})") ==
          "cache: 'ttl': expected a duration such as 300s, 5m or a number of seconds, found a string \"forever\"");
    CHECK(config_error(R"({"ttl":"500ms"})") == "cache: 'ttl': expected a duration of at least 1s, found a string \"500ms\"");
    CHECK(config_error(R"({"max_entry_bytes":"big"})") ==
          "cache: 'max_entry_bytes': expected a size such as 1MiB, 512KiB or a number of bytes, found a string \"big\"");
    CHECK(config_error(R"({"namespace":7})") == "cache: 'namespace': expected a string, found the number 7");
    CHECK(config_error(R"({"tll":"5m"})") == "cache: unknown setting 'tll' (known: ttl, max_entry_bytes, namespace)");
}

TEST_CASE("single flight: one leader per key, waiters handed over once", "[single_flight]") {
    SingleFlight<int> f;
    CHECK(f.lead_or_wait("a", 1));
    CHECK_FALSE(f.lead_or_wait("a", 2));
    CHECK_FALSE(f.lead_or_wait("a", 3));
    CHECK(f.lead_or_wait("b", 4));
    CHECK(f.size() == 2);
    CHECK(f.land("a") == std::vector<int>{2, 3});
    CHECK(f.land("a").empty());
    CHECK(f.lead_or_wait("a", 5));  // a new flight after landing
    CHECK(f.land("b").empty());
    CHECK(f.size() == 1);
}
