#include "core/request_id.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <thread>

using nexus::core::make_request_id;

TEST_CASE("request id: generated ids are req_ and 24 lowercase hex digits, and do not repeat") {
    std::set<std::string> seen;
    for (int i = 0; i < 20000; ++i) {
        std::string id = make_request_id({});
        REQUIRE(id.size() == 28);
        REQUIRE(id.rfind("req_", 0) == 0);
        REQUIRE(id.find_first_not_of("0123456789abcdef", 4) == std::string::npos);
        REQUIRE(seen.insert(id).second);
    }
}

TEST_CASE("request id: two threads draw from different streams") {
    std::string a, b;
    std::thread t1([&] { a = make_request_id({}); });
    std::thread t2([&] { b = make_request_id({}); });
    t1.join();
    t2.join();
    CHECK(a != b);
}

TEST_CASE("request id: the client's x-request-id is kept when printable and at most 128 bytes") {
    CHECK(make_request_id({{"X-Request-Id", "trace-42"}}) == "trace-42");
    CHECK(make_request_id({{"x-request-id", std::string(129, 'a')}}).rfind("req_", 0) == 0);
    CHECK(make_request_id({{"x-request-id", "has space"}}).rfind("req_", 0) == 0);
    CHECK(make_request_id({{"x-request-id", ""}}).rfind("req_", 0) == 0);
}
