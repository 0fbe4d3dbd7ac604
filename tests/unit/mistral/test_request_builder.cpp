#include "provider_config.hpp"
#include "request_builder.hpp"
#include "test_support.hpp"

#include <optional>

using nexus::mistral::build_request;
using nexus::mistral::parse_config;
using nexus::mistral::ProviderConfig;
using nexus::mistral::RequestInput;
using nexus::mistral::UpstreamRequest;
using nexus::sdk::Error;
using mistral_test::parse;
using mistral_test::s;
using mistral_test::thrown;

namespace {

std::optional<std::string> header(const UpstreamRequest& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
        if (k == name) return v;
    return std::nullopt;
}

}  // namespace

TEST_CASE("request: chat goes to /chat/completions with a Bearer key, SSE framing", "[request]") {
    ProviderConfig cfg;
    RequestInput in{NX_OP_CHAT, R"({"model":"smart","user":"u1","messages":[{"role":"user","content":"hi"}]})",
                    "mistral-small-latest", "", "k3yk3yk3yk3yk3yk3yk3yk3yk3yk3yk3", true};
    UpstreamRequest r = build_request(cfg, in);
    CHECK(r.method == "POST");
    CHECK(r.url == "https://api.mistral.ai/v1/chat/completions");
    CHECK(header(r, "Authorization") == "Bearer k3yk3yk3yk3yk3yk3yk3yk3yk3yk3yk3");
    CHECK(header(r, "Content-Type") == "application/json");
    CHECK(header(r, "Accept") == "text/event-stream");
    CHECK(r.framing == NX_FRAMING_SSE);
    CHECK(r.dropped == std::vector<std::string>{"user"});
    auto d = parse(r.body);
    CHECK(s(d["model"]) == "mistral-small-latest");
    CHECK(d["stream"].IsTrue());
}

TEST_CASE("request: base_url from the host or the config, no double slash", "[request]") {
    ProviderConfig cfg = parse_config(R"({"plugin":"mistral","base_url":"http://127.0.0.1:9/v1/","timeouts":{"connect":"1s"}})");
    CHECK(cfg.base_url == "http://127.0.0.1:9/v1");
    RequestInput in{NX_OP_LIST_MODELS, "", "", "", "", false};
    UpstreamRequest r = build_request(cfg, in);
    CHECK(r.method == "GET");
    CHECK(r.url == "http://127.0.0.1:9/v1/models");
    CHECK(r.body.empty());
    CHECK_FALSE(header(r, "Authorization"));
    CHECK_FALSE(header(r, "Content-Type"));
    in.base_url = "https://eu.example/v1/";
    CHECK(build_request(cfg, in).url == "https://eu.example/v1/models");
}

TEST_CASE("request: embeddings go to /embeddings", "[request]") {
    RequestInput in{NX_OP_EMBEDDINGS, R"({"model":"e","input":"hello"})", "mistral-embed", "", "key-123456789", false};
    UpstreamRequest r = build_request(ProviderConfig{}, in);
    CHECK(r.url == "https://api.mistral.ai/v1/embeddings");
    CHECK(r.body == R"({"model":"mistral-embed","input":"hello"})");
}

TEST_CASE("request: bad config is refused naming the field", "[request]") {
    CHECK_THAT(thrown<Error>([] { parse_config(R"({"base_url":"ftp://x"})"); }).what(), Catch::Contains("base_url"));
    CHECK_THAT(thrown<Error>([] { parse_config(R"({"base_url":7})"); }).what(), Catch::Contains("base_url"));
    CHECK_THAT(thrown<Error>([] { parse_config(R"({"options":{"region":"eu"}})"); }).what(), Catch::Contains("options.region"));
    CHECK(parse_config("").base_url == "https://api.mistral.ai/v1");
    CHECK(parse_config(R"({"options":{}})").base_url == "https://api.mistral.ai/v1");
}

TEST_CASE("request: unknown operation", "[request]") {
    RequestInput in{nx_op(42), "", "", "", "", false};
    CHECK(thrown<Error>([&] { build_request(ProviderConfig{}, in); }).status() == NX_ERR_UNSUPPORTED);
}
