#include "config/units.hpp"

#include <catch2/catch.hpp>

using namespace nexus::config;
using std::chrono::milliseconds;

TEST_CASE("durations: units and bare seconds") {
    CHECK(parse_duration("300s") == milliseconds(300'000));
    CHECK(parse_duration("150ms") == milliseconds(150));
    CHECK(parse_duration("2m") == milliseconds(120'000));
    CHECK(parse_duration("1h") == milliseconds(3'600'000));
    CHECK(parse_duration("45") == milliseconds(45'000));
    CHECK(parse_duration("0") == milliseconds(0));
}

TEST_CASE("durations: rejected forms") {
    for (const char* bad : {"", "s", "-1s", "1.5s", "10 s", "10sec", "5d", "ms", "99999999999999h", "1s2"})
        CHECK_FALSE(parse_duration(bad).has_value());
}

TEST_CASE("durations: formatted with the largest exact unit") {
    CHECK(format_duration(milliseconds(7'200'000)) == "2h");
    CHECK(format_duration(milliseconds(90'000)) == "90s");
    CHECK(format_duration(milliseconds(120'000)) == "2m");
    CHECK(format_duration(milliseconds(1500)) == "1500ms");
    CHECK(format_duration(milliseconds(0)) == "0s");
}

TEST_CASE("sizes: binary and decimal units, bare bytes") {
    CHECK(parse_size("8MiB") == size_t(8) << 20);
    CHECK(parse_size("512KiB") == size_t(512) << 10);
    CHECK(parse_size("1MB") == size_t(1'000'000));
    CHECK(parse_size("2GiB") == size_t(2) << 30);
    CHECK(parse_size("4096") == size_t(4096));
    CHECK(parse_size("10B") == size_t(10));
    CHECK(parse_size("3 kb") == size_t(3000));
    CHECK(parse_size("1mib") == size_t(1) << 20);
}

TEST_CASE("sizes: rejected forms") {
    for (const char* bad : {"", "MiB", "-1", "1.5MiB", "8 ", "8  MiB", "8XB", "99999999999TiB", "8MiBs"})
        CHECK_FALSE(parse_size(bad).has_value());
}

TEST_CASE("sizes: formatted with the largest exact binary unit") {
    CHECK(format_size(size_t(8) << 20) == "8MiB");
    CHECK(format_size(size_t(16) << 10) == "16KiB");
    CHECK(format_size(size_t(3) << 30) == "3GiB");
    CHECK(format_size(1000) == "1000");
    CHECK(parse_size(format_size(1'000'000)) == size_t(1'000'000));
}

TEST_CASE("listen addresses") {
    auto a = parse_listen("127.0.0.1:8080");
    REQUIRE(a);
    CHECK(a->host == "127.0.0.1");
    CHECK(a->port == 8080);
    auto v6 = parse_listen("[::1]:9000");
    REQUIRE(v6);
    CHECK(v6->host == "::1");
    CHECK(v6->port == 9000);
    auto any = parse_listen(":8080");
    REQUIRE(any);
    CHECK(any->host == "0.0.0.0");
    CHECK(any->port == 8080);
    auto named = parse_listen("localhost:0");
    REQUIRE(named);
    CHECK(named->host == "localhost");
    CHECK(named->port == 0);
    for (const char* bad : {"", "127.0.0.1", "8080", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:80a", "::1:8080",
                            "[::1]", "[::1]8080", "[zz]:80", "my host:80", "[:80"})
        CHECK_FALSE(parse_listen(bad).has_value());
    CHECK(format_listen("::1", 9000) == "[::1]:9000");
    CHECK(format_listen("0.0.0.0", 80) == "0.0.0.0:80");
}

TEST_CASE("http URLs") {
    for (const char* good : {"http://127.0.0.1:11434", "https://api.openai.com/v1", "HTTPS://example.com",
                             "http://[::1]:8080/x", "https://user:pw@host.example/path?q=1", "http://h"})
        CHECK(is_http_url(good));
    for (const char* bad : {"", "api.openai.com", "ftp://host", "http://", "http://:80", "http://host:port",
                            "http://host:99999", "https:///path", "http//host"})
        CHECK_FALSE(is_http_url(bad));
}

TEST_CASE("passwords in URLs are masked") {
    CHECK(mask_url_password("redis://:hunter2@127.0.0.1:6379/0") == "redis://:****@127.0.0.1:6379/0");
    CHECK(mask_url_password("redis://admin:hunter2@host") == "redis://admin:****@host");
    CHECK(mask_url_password("https://user@host/a:b@c") == "https://user@host/a:b@c");
    CHECK(mask_url_password("redis://127.0.0.1:6379") == "redis://127.0.0.1:6379");
    CHECK(mask_url_password("not a url: a@b") == "not a url: a@b");
}
