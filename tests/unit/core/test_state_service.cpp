#include "core/bootstrap.hpp"
#include "core/state_service.hpp"
#include "plugin/abi_objects.hpp"
#include "plugin/host_api.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <string>

using namespace nexus;

namespace {

struct Reply {
    nx_status status = -1;
    bool found = false;
    std::string value;
    int64_t number = 0;
};

struct Wait {
    std::promise<Reply> promise;
    static void callback(void* user, nx_status status, int32_t found, nx_str value, int64_t number) {
        Reply r{status, found != 0, std::string(value.ptr, value.len), number};
        static_cast<Wait*>(user)->promise.set_value(std::move(r));
    }
    Reply get() {
        auto f = promise.get_future();
        REQUIRE(f.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
        return f.get();
    }
};

nx_call call_from(std::string_view plugin) {
    nx_call c;
    c.plugin = plugin;
    return c;
}

nx_str str(std::string_view s) { return nx_str{s.data(), s.size()}; }

}  // namespace

TEST_CASE("kv host functions: keys are namespaced per plugin") {
    core::install_host_services();
    const nx_host_api* api = plugin::mutable_host_api();
    auto a = call_from("alpha"), b = call_from("beta");

    Wait set_a;
    REQUIRE(api->kv_set(&a, str("k"), str("from alpha"), 0, Wait::callback, &set_a) == NX_OK);
    CHECK(set_a.get().status == NX_OK);

    Wait get_b;
    REQUIRE(api->kv_get(&b, str("k"), Wait::callback, &get_b) == NX_OK);
    auto rb = get_b.get();
    CHECK(rb.status == NX_OK);
    CHECK_FALSE(rb.found);

    Wait get_a;
    REQUIRE(api->kv_get(&a, str("k"), Wait::callback, &get_a) == NX_OK);
    auto ra = get_a.get();
    CHECK(ra.found);
    CHECK(ra.value == "from alpha");

    // The store sees the prefixed key.
    std::promise<state::KvResult> direct;
    core::kv_store().get("alpha:k", [&](state::KvResult r) { direct.set_value(std::move(r)); });
    CHECK(direct.get_future().get().value == "from alpha");

    Wait inc1, inc2;
    REQUIRE(api->kv_incr(&a, str("n"), 3, 1000, Wait::callback, &inc1) == NX_OK);
    CHECK(inc1.get().number == 3);
    REQUIRE(api->kv_incr(&b, str("n"), 1, 1000, Wait::callback, &inc2) == NX_OK);
    CHECK(inc2.get().number == 1);

    Wait set_text, bad_incr;
    api->kv_set(&a, str("t"), str("text"), 0, Wait::callback, &set_text);
    set_text.get();
    REQUIRE(api->kv_incr(&a, str("t"), 1, 0, Wait::callback, &bad_incr) == NX_OK);
    CHECK(bad_incr.get().status == NX_ERR);

    Wait del_a, get_again;
    REQUIRE(api->kv_del(&a, str("k"), Wait::callback, &del_a) == NX_OK);
    CHECK(del_a.get().found);
    api->kv_get(&a, str("k"), Wait::callback, &get_again);
    CHECK_FALSE(get_again.get().found);
}

TEST_CASE("kv host functions: bad arguments are refused at the call") {
    core::install_host_services();
    const nx_host_api* api = plugin::mutable_host_api();
    Wait never;
    auto anonymous = call_from("");
    CHECK(api->kv_get(&anonymous, str("k"), Wait::callback, &never) == NX_ERR_INVALID);
    CHECK(anonymous.error.find("plugin name") != std::string::npos);
    CHECK(api->kv_get(nullptr, str("k"), Wait::callback, &never) == NX_ERR_INVALID);
    auto c = call_from("p");
    CHECK(api->kv_set(&c, nx_str{nullptr, 3}, str("v"), 0, Wait::callback, &never) == NX_ERR_INVALID);
    CHECK(api->kv_set(&c, str("k"), str("v"), uint64_t(-1), Wait::callback, &never) == NX_ERR_INVALID);
    CHECK(c.error.find("ttl_ms") != std::string::npos);
    // A NULL callback is allowed: fire and forget.
    CHECK(api->kv_set(&c, str("k"), str("v"), 0, nullptr, nullptr) == NX_OK);
}
