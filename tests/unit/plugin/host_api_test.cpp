// The host services table: real services work, NULL handles are tolerated, the runtime's
// services are unavailable until installed.
#include "plugin/abi_objects.hpp"
#include "plugin/host_api.hpp"
#include "plugin/loader.hpp"
#include "plugin_test_support.hpp"

#include <catch2/catch.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

using namespace nexus::plugin;
using namespace nexus::plugin::test;

namespace {

// Routes spdlog into a string for the lifetime of the object.
class CapturedLog {
public:
    CapturedLog() : previous_(spdlog::default_logger()) {
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
        auto logger = std::make_shared<spdlog::logger>("capture", sink);
        logger->set_pattern("%l %v");
        logger->set_level(spdlog::level::trace);
        spdlog::set_default_logger(logger);
    }
    ~CapturedLog() { spdlog::set_default_logger(previous_); }
    std::string text() const { return out_.str(); }

private:
    std::ostringstream out_;
    std::shared_ptr<spdlog::logger> previous_;
};

const nx_host_api& api() { return *host_api(); }

}  // namespace

TEST_CASE("the host table declares its size and ABI", "[host_api]") {
    CHECK(api().struct_size == sizeof(nx_host_api));
    CHECK(api().abi_major == NX_ABI_MAJOR);
    CHECK(api().abi_minor == NX_ABI_MINOR);
    CHECK(NX_HOST_HAS(&api(), reject));
    CHECK(host_api() == mutable_host_api());
}

TEST_CASE("log prefixes the plugin name and request id and keeps one line", "[host_api]") {
    CapturedLog log;
    nx_call call;
    call.plugin = "good_provider";
    call.request_id = "req-42";
    api().log(&call, NX_LOG_WARN, nx("hello\nforged line"));
    call.request_id = "";
    api().log(&call, NX_LOG_ERROR, nx("no request"));
    api().log(nullptr, NX_LOG_INFO, nx("no call"));
    api().log(nullptr, 99, nx_str{nullptr, 12});
    CHECK(log.text() == "warning [good_provider req-42] hello\\nforged line\n"
                        "error [good_provider] no request\n"
                        "info [plugin] no call\n"
                        "info [plugin] \n");
}

TEST_CASE("set_error and set_upstream_error fill the call", "[host_api]") {
    nx_call call;
    api().set_error(&call, nx("first"));
    api().set_error(&call, nx("second"));
    CHECK(call.error == "second");
    api().set_upstream_error(&call, NX_EC_OVERLOADED, 529, 2500, nx("overloaded"));
    CHECK(call.error_class == NX_EC_OVERLOADED);
    CHECK(call.upstream_status == 529);
    CHECK(call.retry_after_ms == 2500);
    CHECK(call.upstream_message == "overloaded");
    api().set_error(nullptr, nx("ignored"));
    api().set_upstream_error(nullptr, NX_EC_SERVER, 500, -1, nx("ignored"));
}

TEST_CASE("report_usage (v1.2) fills the call; a short or NULL struct is ignored", "[host_api]") {
    REQUIRE(NX_HOST_HAS(&api(), report_usage));
    nx_call call;
    CHECK_FALSE(call.usage_reported);
    nx_usage short_struct{sizeof(nx_usage) - 8, 0, 5, 6, 7};
    api().report_usage(&call, &short_struct);
    CHECK_FALSE(call.usage_reported);
    nx_usage u{sizeof(nx_usage), 0, 12, 7, -1};
    api().report_usage(&call, &u);
    CHECK(call.usage_reported);
    CHECK(call.prompt_tokens == 12);
    CHECK(call.completion_tokens == 7);
    CHECK(call.cached_tokens == -1);
    api().report_usage(&call, nullptr);
    api().report_usage(nullptr, &u);
    CHECK(call.prompt_tokens == 12);
}

TEST_CASE("buffers append and clear, and refuse NULL", "[host_api]") {
    nx_buf buf;
    CHECK(api().buf_append(&buf, "abc", 3) == NX_OK);
    CHECK(api().buf_append(&buf, "de", 2) == NX_OK);
    CHECK(api().buf_append(&buf, nullptr, 0) == NX_OK);
    CHECK(buf.data == "abcde");
    CHECK(api().buf_append(&buf, nullptr, 3) == NX_ERR_INVALID);
    CHECK(api().buf_append(nullptr, "x", 1) == NX_ERR_INVALID);
    api().buf_clear(&buf);
    CHECK(buf.data.empty());
    api().buf_clear(nullptr);
}

TEST_CASE("headers_add copies valid headers and refuses ones that would break the message", "[host_api]") {
    nx_headers h;
    CHECK(api().headers_add(&h, nx("x-api-key"), nx("v1")) == NX_OK);
    CHECK(api().headers_add(&h, nx("anthropic-version"), nx("")) == NX_OK);
    REQUIRE(h.items.size() == 2);
    CHECK(h.items[0] == std::pair<std::string, std::string>{"x-api-key", "v1"});
    CHECK(api().headers_add(&h, nx("bad name"), nx("v")) == NX_ERR_INVALID);
    CHECK(api().headers_add(&h, nx(""), nx("v")) == NX_ERR_INVALID);
    CHECK(api().headers_add(&h, nx("x-a"), nx("v\r\nx-injected: 1")) == NX_ERR_INVALID);
    CHECK(api().headers_add(&h, nx("x-a"), nx(std::string_view("v\0w", 3))) == NX_ERR_INVALID);
    CHECK(api().headers_add(&h, nx_str{nullptr, 3}, nx("v")) == NX_ERR_INVALID);
    CHECK(api().headers_add(nullptr, nx("x-a"), nx("v")) == NX_ERR_INVALID);
    CHECK(h.items.size() == 2);
}

TEST_CASE("emit_chunk hands the chunk to the sink", "[host_api]") {
    std::vector<std::string> got;
    nx_chunk_sink sink{[&](std::string_view c) {
        got.emplace_back(c);
        return got.size() < 2 ? NX_OK : NX_ERR;
    }};
    CHECK(api().emit_chunk(&sink, nx("{\"a\":1}")) == NX_OK);
    CHECK(api().emit_chunk(&sink, nx("{\"b\":2}")) == NX_ERR);  // the sink's own status comes back
    CHECK(got == std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"});

    nx_chunk_sink throwing{[](std::string_view) -> nx_status { throw std::runtime_error("client gone"); }};
    CHECK(api().emit_chunk(&throwing, nx("{}")) == NX_ERR);
    nx_chunk_sink empty;
    CHECK(api().emit_chunk(&empty, nx("{}")) == NX_ERR_INVALID);
    CHECK(api().emit_chunk(nullptr, nx("{}")) == NX_ERR_INVALID);
}

TEST_CASE("clocks", "[host_api]") {
    CHECK(api().now_unix_ms() > 1'700'000'000'000ull);  // after Nov 2023
    uint64_t a = api().monotonic_ns();
    uint64_t b = api().monotonic_ns();
    CHECK(b >= a);
}

TEST_CASE("runtime services are unavailable until installed and tolerate NULL", "[host_api]") {
    restore_default_host_api();
    nx_call call;
    auto never = [](void*, nx_status, int32_t, nx_str, int64_t) { FAIL("callback must not run"); };
    CHECK(api().kv_get(&call, nx("k"), never, nullptr) == NX_ERR_UNSUPPORTED);
    CHECK(call.error == "kv_get is not available in this context");
    CHECK(api().kv_set(&call, nx("k"), nx("v"), 0, never, nullptr) == NX_ERR_UNSUPPORTED);
    CHECK(call.error == "kv_set is not available in this context");
    CHECK(api().kv_incr(&call, nx("k"), 1, 0, never, nullptr) == NX_ERR_UNSUPPORTED);
    CHECK(api().kv_del(&call, nx("k"), never, nullptr) == NX_ERR_UNSUPPORTED);
    CHECK(call.error == "kv_del is not available in this context");
    CHECK(api().kv_get(nullptr, nx("k"), never, nullptr) == NX_ERR_INVALID);

    auto* ex = reinterpret_cast<nx_exchange*>(&call);  // any non-NULL handle: never dereferenced
    nx_str out{"stale", 5};
    nx_buf buf;
    CHECK(api().doc_json(ex, NX_DOC_REQUEST, &out) == NX_ERR_UNSUPPORTED);
    CHECK(out.ptr == nullptr);
    CHECK(out.len == 0);
    CHECK(api().doc_json(nullptr, NX_DOC_REQUEST, &out) == NX_ERR_INVALID);
    CHECK(api().doc_json(ex, NX_DOC_REQUEST, nullptr) == NX_ERR_INVALID);
    CHECK(api().doc_get(ex, NX_DOC_REQUEST, nx("/model"), &buf) == NX_ERR_UNSUPPORTED);
    CHECK(api().doc_get(nullptr, NX_DOC_REQUEST, nx("/model"), &buf) == NX_ERR_INVALID);
    CHECK(api().doc_set(ex, NX_DOC_REQUEST, nx("/model"), nx("\"x\"")) == NX_ERR_UNSUPPORTED);
    CHECK(api().text_count(ex, NX_DOC_REQUEST) == 0);
    CHECK(api().text_count(nullptr, NX_DOC_REQUEST) == 0);
    CHECK(api().text_get(ex, NX_DOC_REQUEST, 0, &out) == NX_ERR_UNSUPPORTED);
    CHECK(api().text_set(nullptr, NX_DOC_REQUEST, 0, nx("t")) == NX_ERR_INVALID);
    CHECK(api().request_header(ex, nx("authorization"), &out) == NX_ERR_UNSUPPORTED);
    CHECK(api().request_header(nullptr, nx("authorization"), nullptr) == NX_ERR_INVALID);
    CHECK(api().response_header_set(ex, nx("x"), nx("y")) == NX_ERR_UNSUPPORTED);
    CHECK(api().attr_get(ex, nx("model"), &out) == NX_ERR_UNSUPPORTED);
    CHECK(api().attr_set(nullptr, nx("a"), nx("b")) == NX_ERR_INVALID);
    CHECK(api().respond(ex, 200, nx("{}")) == NX_ERR_UNSUPPORTED);
    CHECK(api().reject(ex, 429, nx("rate_limit_error"), nx("slow")) == NX_ERR_UNSUPPORTED);
    CHECK(api().reject(nullptr, 429, nx("rate_limit_error"), nx("slow")) == NX_ERR_INVALID);
    api().resume(nullptr, NX_FILTER_CONTINUE);
    api().resume(ex, NX_FILTER_CONTINUE);
    api().counter_add(nx("nexus_test_total"), nx(""), 1.0);
    api().counter_add(nx_str{nullptr, 0}, nx_str{nullptr, 0}, 1.0);
}

namespace {
double g_counted = 0;
void counting_counter_add(nx_str, nx_str, double v) { g_counted += v; }
}  // namespace

TEST_CASE("services installed by the runtime are what plugins see", "[host_api]") {
    g_counted = 0;
    mutable_host_api()->counter_add = counting_counter_add;
    api().counter_add(nx("nexus_x_total"), nx(""), 2.5);
    CHECK(g_counted == 2.5);
    restore_default_host_api();
    api().counter_add(nx("nexus_x_total"), nx(""), 2.5);
    CHECK(g_counted == 2.5);
}
