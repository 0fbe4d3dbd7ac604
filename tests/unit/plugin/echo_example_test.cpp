// The SDK's documented example (sdk/examples/echo_provider) does what its README says.
#include "plugin/abi_objects.hpp"
#include "plugin/loader.hpp"
#include "plugin_test_support.hpp"

#include <catch2/catch.hpp>

using namespace nexus::plugin;
using namespace nexus::plugin::test;

namespace {

struct Echo {
    std::shared_ptr<const LoadedPlugin> plugin;
    void* instance = nullptr;
    nx_call call;
    std::string body = R"({"model":"echo-1","messages":[{"role":"user","content":"first"},)"
                       R"({"role":"assistant","content":"ok"},)"
                       R"({"role":"user","content":[{"type":"text","text":"say "},{"type":"text","text":"\"hi\""}]}]})";
    nx_provider_request req{sizeof(nx_provider_request), NX_OP_CHAT, nx(body), nx("echo-1"),
                            nx("http://127.0.0.1:9/v1"), nx(""), nullptr, 0, 0, 0, {}, {}};

    Echo() {
        LoadError error;
        plugin = load_plugin(test_plugin("echo"), &error);
        INFO(error.message);
        REQUIRE(plugin);
        REQUIRE(plugin->provider->create(&call, nx("{}"), &instance) == NX_OK);
    }
    ~Echo() { plugin->provider->destroy(instance); }

    nx_status parse(int32_t status, std::string_view response, nx_buf& out, const nx_header* headers = nullptr,
                    size_t header_count = 0) {
        nx_http_response_in resp{sizeof resp, status, headers, header_count, nx(response)};
        return plugin->provider->parse_response(&call, instance, &req, &resp, &out);
    }
};

}  // namespace

TEST_CASE("echo example: metadata", "[example]") {
    Echo echo;
    CHECK(echo.plugin->name == "echo");
    CHECK(echo.plugin->kind == NX_KIND_PROVIDER);
    CHECK(echo.plugin->capabilities == NX_CAP_CHAT);
}

TEST_CASE("echo example: prepare posts the canonical body to base_url/chat/completions", "[example]") {
    Echo echo;
    nx_buf method, url, body;
    nx_headers headers;
    nx_http_request_out out{sizeof out, NX_FRAMING_NONE, &method, &url, &headers, &body};
    REQUIRE(echo.plugin->provider->prepare(&echo.call, echo.instance, &echo.req, &out) == NX_OK);
    CHECK(method.data == "POST");
    CHECK(url.data == "http://127.0.0.1:9/v1/chat/completions");
    CHECK(body.data == echo.body);
    REQUIRE(headers.items.size() == 1);  // no api key: no authorization header
    CHECK(headers.items[0].first == "content-type");

    echo.req.op = NX_OP_EMBEDDINGS;
    CHECK(echo.plugin->provider->prepare(&echo.call, echo.instance, &echo.req, &out) == NX_ERR_UNSUPPORTED);
    CHECK(echo.call.error == "echo: only chat completions are supported");
}

TEST_CASE("echo example: a 2xx body passes through, an empty one is answered with the last user message", "[example]") {
    Echo echo;
    nx_buf passed;
    REQUIRE(echo.parse(200, R"({"object":"chat.completion","id":"up"})", passed) == NX_OK);
    CHECK(passed.data == R"({"object":"chat.completion","id":"up"})");

    nx_buf echoed;
    REQUIRE(echo.parse(204, "", echoed) == NX_OK);
    CHECK_THAT(echoed.data, Catch::StartsWith(R"({"id":"chatcmpl-echo","object":"chat.completion","created":)"));
    CHECK_THAT(echoed.data, Catch::EndsWith(R"("model":"echo-1","choices":[{"index":0,"message":{"role":"assistant",)"
                                            R"("content":"say \"hi\""},"finish_reason":"stop"}]})"));
}

TEST_CASE("echo example: upstream failures are classified", "[example]") {
    Echo echo;
    nx_header retry{nx("Retry-After"), nx("3")};
    nx_buf out;
    CHECK(echo.parse(429, "{}", out, &retry, 1) == NX_ERR_UPSTREAM);
    CHECK(echo.call.error_class == NX_EC_RATE_LIMITED);
    CHECK(echo.call.retry_after_ms == 3000);
    CHECK(echo.call.upstream_message == "echo: upstream answered HTTP 429");
    CHECK(echo.parse(401, "{}", out) == NX_ERR_UPSTREAM);
    CHECK(echo.call.error_class == NX_EC_AUTHENTICATION);
    CHECK(echo.parse(529, "{}", out) == NX_ERR_UPSTREAM);
    CHECK(echo.call.error_class == NX_EC_OVERLOADED);
    CHECK(out.data.empty());

    echo.body = "not json";
    echo.req.body = nx(echo.body);
    CHECK(echo.parse(204, "", out) == NX_ERR_INVALID);
    CHECK(echo.call.error == "echo: the request has no 'messages' array");
}
