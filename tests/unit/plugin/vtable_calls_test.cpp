// Calling plugins through their vtables with host-owned buffers, the way the gateway does.
#include "plugin/abi_objects.hpp"
#include "plugin/loader.hpp"
#include "plugin_test_support.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace nexus::plugin;
using namespace nexus::plugin::test;

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

std::shared_ptr<const LoadedPlugin> must_load(const std::string& name) {
    LoadError error;
    auto plugin = load_plugin(test_plugin(name), &error);
    INFO(error.message);
    REQUIRE(plugin != nullptr);
    return plugin;
}

// One provider instance plus the host-owned request/response buffers of one call.
struct ProviderCall {
    std::shared_ptr<const LoadedPlugin> plugin;
    void* instance = nullptr;
    nx_call call;
    nx_buf method, url, body;
    nx_headers headers;
    nx_http_request_out out{sizeof(nx_http_request_out), -1, &method, &url, &headers, &body};
    std::string canonical = R"({"model":"m","messages":[{"role":"user","content":"hi"}]})";
    nx_provider_request req{sizeof(nx_provider_request), NX_OP_CHAT, nx(canonical), nx("gpt-test"),
                            nx("http://upstream.test/v1"), nx("sk-test-123"), nullptr, 0, 0, 0, {}, {}};

    explicit ProviderCall(const std::string& name, std::string_view config = "{}") : plugin(must_load(name)) {
        call.plugin = plugin->name;
        call.request_id = "req-1";
        REQUIRE(plugin->provider->create(&call, nx(config), &instance) == NX_OK);
    }
    ~ProviderCall() { plugin->provider->destroy(instance); }

    nx_status prepare() { return plugin->provider->prepare(&call, instance, &req, &out); }
    nx_status parse(int32_t status, std::string_view response_body, nx_buf& result) {
        nx_http_response_in resp{sizeof(nx_http_response_in), status, nullptr, 0, nx(response_body)};
        return plugin->provider->parse_response(&call, instance, &req, &resp, &result);
    }
};

}  // namespace

TEST_CASE("a provider writes the upstream request into host-owned buffers", "[vtable]") {
    ProviderCall pc("good_provider");
    REQUIRE(pc.prepare() == NX_OK);
    CHECK(pc.method.data == "POST");
    CHECK(pc.url.data == "http://upstream.test/v1/chat/completions");
    CHECK(pc.headers.items == Headers{{"content-type", "application/json"},
                                      {"authorization", "Bearer sk-test-123"},
                                      {"x-upstream-model", "gpt-test"}});
    CHECK(pc.body.data == pc.canonical);
    CHECK(pc.out.framing == NX_FRAMING_NONE);
    CHECK(pc.call.error.empty());

    pc.req.stream = 1;
    pc.method.data.clear();
    pc.url.data.clear();
    pc.body.data.clear();
    pc.headers.items.clear();
    REQUIRE(pc.prepare() == NX_OK);
    CHECK(pc.out.framing == NX_FRAMING_SSE);
    CHECK(pc.method.data == "POST");  // assign() replaced, not appended
}

TEST_CASE("a provider passes a 2xx body through and classifies upstream errors", "[vtable]") {
    ProviderCall pc("good_provider");
    nx_buf ok;
    REQUIRE(pc.parse(200, R"({"object":"chat.completion"})", ok) == NX_OK);
    CHECK(ok.data == R"({"object":"chat.completion"})");

    nx_buf limited;
    REQUIRE(pc.parse(429, R"({"error":{}})", limited) == NX_ERR_UPSTREAM);
    CHECK(pc.call.error_class == NX_EC_RATE_LIMITED);
    CHECK(pc.call.upstream_status == 429);
    CHECK(pc.call.retry_after_ms == 1000);
    CHECK(pc.call.upstream_message == "good_provider: slow down");
    CHECK(limited.data.empty());
}

TEST_CASE("a provider's create refuses a bad config with its message", "[vtable]") {
    auto plugin = must_load("good_provider");
    nx_call call;
    void* instance = nullptr;
    CHECK(plugin->provider->create(&call, nx(R"({"refuse":true})"), &instance) == NX_ERR_INVALID);
    CHECK(call.error == "good_provider: config field 'refuse' is not allowed");
    CHECK(instance == nullptr);
}

TEST_CASE("the frozen v1.0 provider works through the current host table", "[vtable][abi]") {
    ProviderCall pc("frozen_v1");
    REQUIRE(pc.prepare() == NX_OK);
    CHECK(pc.method.data == "POST");
    CHECK(pc.url.data == "http://upstream.test/v1/frozen");
    CHECK(pc.headers.items == Headers{{"x-frozen-abi", "1.0"}});
    CHECK(pc.body.data == pc.canonical);

    nx_buf failed;
    CHECK(pc.parse(502, "bad gateway", failed) == NX_ERR_UPSTREAM);
    CHECK(pc.call.error_class == NX_EC_SERVER);
    CHECK(pc.call.upstream_status == 502);
    CHECK(pc.call.upstream_message == "frozen_v1: upstream failed");
}

TEST_CASE("a provider hook that throws is contained by the wrapper", "[vtable][throws]") {
    ProviderCall pc("throws_provider");
    CHECK(pc.prepare() == NX_ERR);
    CHECK(pc.call.error == "throws_provider: prepare exploded");

    nx_buf out;
    pc.call.error.clear();
    CHECK(pc.parse(200, "{}", out) == NX_ERR);
    CHECK(pc.call.error == "unknown exception");

    // The instance is still usable after the exceptions.
    pc.call.error.clear();
    CHECK(pc.prepare() == NX_ERR);
    CHECK(pc.call.error == "throws_provider: prepare exploded");
}

TEST_CASE("a middleware hook that throws rejects the request instead of crashing", "[vtable][throws]") {
    auto plugin = must_load("throws_middleware");
    nx_call call;
    call.plugin = plugin->name;
    void* instance = nullptr;
    REQUIRE(plugin->middleware->create(&call, nx("{}"), &instance) == NX_OK);

    CHECK(plugin->middleware->on_request(&call, instance, nullptr) == NX_FILTER_REJECT);
    CHECK(call.error == "throws_middleware: on_request exploded");

    call.error.clear();
    CHECK(plugin->middleware->on_chunk(&call, instance, nullptr) == NX_CHUNK_ABORT);
    CHECK(call.error == "throws_middleware: bad chunk");

    call.error.clear();
    CHECK(plugin->middleware->on_response(&call, instance, nullptr) == NX_FILTER_CONTINUE);
    CHECK(call.error.empty());
    plugin->middleware->destroy(instance);
}
