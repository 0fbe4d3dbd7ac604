#include "state/kv_store.hpp"
#include "state/redis_url.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace nexus::state;

namespace {
std::string error_of(const std::string& url) {
    try {
        parse_redis_url(url);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    FAIL("no error for " << url);
    return {};
}
}  // namespace

TEST_CASE("redis url: the usual forms") {
    auto a = parse_redis_url("redis://127.0.0.1:6390");
    CHECK(a.host == "127.0.0.1");
    CHECK(a.port == 6390);
    CHECK(a.password.empty());
    CHECK(a.db == 0);
    CHECK(a.endpoint() == "127.0.0.1:6390");

    auto b = parse_redis_url("redis://cache.internal");
    CHECK(b.host == "cache.internal");
    CHECK(b.port == 6379);

    auto c = parse_redis_url("redis://:s3cret@localhost:7000/2");
    CHECK(c.user.empty());
    CHECK(c.password == "s3cret");
    CHECK(c.host == "localhost");
    CHECK(c.port == 7000);
    CHECK(c.db == 2);

    auto d = parse_redis_url("redis://app:p%40ss%2Fw:rd@[::1]:6380/0");
    CHECK(d.user == "app");
    CHECK(d.password == "p@ss/w:rd");
    CHECK(d.host == "::1");
    CHECK(d.endpoint() == "[::1]:6380");

    auto e = parse_redis_url("redis://:pa@ss/x@h:1");  // the last '@' ends the credentials
    CHECK(e.password == "pa@ss/x");
    CHECK(e.host == "h");
    CHECK(e.port == 1);
}

TEST_CASE("redis url: mistakes are named, and the password never shows") {
    CHECK(error_of("http://h:1").find("the scheme must be redis://") != std::string::npos);
    CHECK(error_of("rediss://h:1").find("TLS") != std::string::npos);
    CHECK(error_of("redis://").find("no host") != std::string::npos);
    CHECK(error_of("redis://h:").find("empty port") != std::string::npos);
    CHECK(error_of("redis://h:0").find("port must be a number from 1 to 65535") != std::string::npos);
    CHECK(error_of("redis://h:70000").find("port") != std::string::npos);
    CHECK(error_of("redis://h:12ab").find("port") != std::string::npos);
    CHECK(error_of("redis://h/x").find("database") != std::string::npos);
    CHECK(error_of("redis://h/-1").find("database") != std::string::npos);
    CHECK(error_of("redis://h?timeout=1").find("query") != std::string::npos);
    CHECK(error_of("redis://[::1:6379").find("unclosed") != std::string::npos);
    CHECK(error_of("redis://pw@h").find("':' before the password") != std::string::npos);

    std::string msg = error_of("redis://:hunter2@h:99999");
    CHECK(msg.find("hunter2") == std::string::npos);
    CHECK(msg.find("redis://:***@h:99999") != std::string::npos);
    msg = error_of("redis://u:%zz@h");
    CHECK(msg.find("percent-escape in the password") != std::string::npos);
    CHECK(msg.find("%zz") == std::string::npos);
}

TEST_CASE("redis url: masking") {
    CHECK(mask_redis_url("redis://:pw@h:1/2") == "redis://:***@h:1/2");
    CHECK(mask_redis_url("redis://user:pw@h") == "redis://user:***@h");
    CHECK(mask_redis_url("redis://h:1") == "redis://h:1");
    CHECK(mask_redis_url("redis://user@h:1") == "redis://user@h:1");
}

TEST_CASE("redis store: a malformed URL throws at creation, without the password") {
    RedisStoreOptions o;
    o.url = "redis://:topsecret@host:notaport";
    try {
        make_redis_store(o);
        FAIL("no exception");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()).find("port") != std::string::npos);
        CHECK(std::string(e.what()).find("topsecret") == std::string::npos);
    }
    o.url = "redis://127.0.0.1:1";
    o.pool_size = 0;
    CHECK_THROWS_AS(make_redis_store(o), std::invalid_argument);
}
