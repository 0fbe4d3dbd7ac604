#include "provider_config.hpp"
#include "test_support.hpp"

using nexus::openai::parse_config;
using nexus::openai::ProviderConfig;

namespace {

std::string config_error(const std::string& json) {
    try {
        parse_config(json);
    } catch (const nexus::sdk::Error& e) {
        CHECK(e.status() == NX_ERR_INVALID);
        return e.what();
    }
    FAIL("config accepted: " << json);
    return {};
}

}  // namespace

TEST_CASE("config: defaults", "[config]") {
    for (const char* json : {"", "{}", R"({"plugin":"openai","keys":["x"],"timeout":"30s"})"}) {
        ProviderConfig c = parse_config(json);
        CHECK(c.base_url == "https://api.openai.com/v1");
        CHECK(c.organization.empty());
        CHECK(c.project.empty());
        CHECK(c.extra_headers.empty());
    }
}

TEST_CASE("config: base_url and options", "[config]") {
    ProviderConfig c = parse_config(R"({"plugin":"openai","base_url":"http://127.0.0.1:8080/v1/",
        "options":{"organization":"org-1","project":"proj_2","headers":{"X-Trace":"on","OpenAI-Beta":"assistants=v2"}}})");
    CHECK(c.base_url == "http://127.0.0.1:8080/v1");
    CHECK(c.organization == "org-1");
    CHECK(c.project == "proj_2");
    REQUIRE(c.extra_headers.size() == 2);
    CHECK(c.extra_headers[0] == std::pair<std::string, std::string>("X-Trace", "on"));
}

TEST_CASE("config: bad values name the field", "[config]") {
    CHECK_THAT(config_error(R"({"base_url":"ftp://x"})"), Catch::Contains("base_url must start with http://"));
    CHECK_THAT(config_error(R"({"base_url":42})"), Catch::Contains("base_url must be a string"));
    CHECK_THAT(config_error(R"({"options":[]})"), Catch::Contains("options must be a map"));
    CHECK_THAT(config_error(R"({"options":{"orgnization":"x"}})"), Catch::Contains("options.orgnization: unknown option"));
    CHECK_THAT(config_error(R"({"options":{"project":7}})"), Catch::Contains("options.project must be a string"));
    CHECK_THAT(config_error(R"({"options":{"headers":{"Bad Name":"x"}}})"), Catch::Contains("options.headers.Bad Name: not a valid"));
    CHECK_THAT(config_error(R"({"options":{"headers":{"X-A":"a\r\nInjected: 1"}}})"), Catch::Contains("line breaks"));
    CHECK_THAT(config_error(R"({"options":{"headers":{"authorization":"Bearer x"}}})"), Catch::Contains("set by Nexus"));
    CHECK_THAT(config_error("{not json"), Catch::Contains("invalid JSON at offset"));
}
