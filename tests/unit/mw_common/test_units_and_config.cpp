#include "common/invalid_error.hpp"
#include "config_reader.hpp"
#include "json_util.hpp"
#include "nexus/nexus.hpp"
#include "sha256.hpp"
#include "units.hpp"

#include <catch2/catch.hpp>

using nexus::mw::ConfigReader;
using test_support::error_of;

TEST_CASE("durations: units and bare seconds", "[units]") {
    using nexus::mw::parse_duration_ms;
    CHECK(parse_duration_ms("300s") == 300'000u);
    CHECK(parse_duration_ms("300") == 300'000u);
    CHECK(parse_duration_ms("150ms") == 150u);
    CHECK(parse_duration_ms("5m") == 300'000u);
    CHECK(parse_duration_ms("2h") == 7'200'000u);
    CHECK(parse_duration_ms("1d") == 86'400'000u);
    CHECK(parse_duration_ms("10 s") == 10'000u);
    for (const char* bad : {"", "s", "-1s", "1.5s", "5 ", "5 m s", "5M", "5sec", "99999999999999999999s"})
        CHECK_FALSE(parse_duration_ms(bad).has_value());
}

TEST_CASE("sizes: binary and decimal units, case-insensitive", "[units]") {
    using nexus::mw::parse_size_bytes;
    CHECK(parse_size_bytes("1MiB") == 1048576u);
    CHECK(parse_size_bytes("512KiB") == 524288u);
    CHECK(parse_size_bytes("1 mib") == 1048576u);
    CHECK(parse_size_bytes("2MB") == 2'000'000u);
    CHECK(parse_size_bytes("1GiB") == 1073741824u);
    CHECK(parse_size_bytes("100B") == 100u);
    CHECK(parse_size_bytes("4096") == 4096u);
    for (const char* bad : {"", "MiB", "1.5MiB", "1 ", "1XB", "-1"}) CHECK_FALSE(parse_size_bytes(bad).has_value());
}

TEST_CASE("config reader: field errors name the field, the expectation and what was found", "[config]") {
    ConfigReader c("demo", R"({"n": 0, "s": 5, "c": "maybe", "d": "soon", "z": "huge", "e": "", "long": "x"})");
    CHECK(error_of([&] { c.integer("n", 1, 10); }) == "demo: 'n': expected an integer from 1 to 10, found the number 0");
    CHECK(error_of([&] { c.string("s"); }) == "demo: 's': expected a non-empty string, found the number 5");
    CHECK(error_of([&] { c.string("e"); }) == "demo: 'e': expected a non-empty string, found a string \"\"");
    CHECK(c.string("e", true) == "");
    CHECK(error_of([&] { c.choice("c", {"yes", "no", "later"}); }) ==
          "demo: 'c': expected yes, no or later, found a string \"maybe\"");
    CHECK(error_of([&] { c.duration_ms("d", 1000); }) ==
          "demo: 'd': expected a duration such as 300s, 5m or a number of seconds, found a string \"soon\"");
    CHECK(error_of([&] { c.size_bytes("z", 1); }) ==
          "demo: 'z': expected a size such as 1MiB, 512KiB or a number of bytes, found a string \"huge\"");
    CHECK(error_of([&] { c.only({"n", "s"}); }) == "demo: unknown setting 'c' (known: n, s)");
    CHECK_FALSE(c.integer("absent", 1, 10).has_value());
}

TEST_CASE("config reader: minimums and whole-config errors", "[config]") {
    ConfigReader c("demo", R"({"t": "500ms", "b": 0, "ok": 30})");
    CHECK(error_of([&] { c.duration_ms("t", 1000); }) == "demo: 't': expected a duration of at least 1s, found a string \"500ms\"");
    CHECK(error_of([&] { c.size_bytes("b", 1); }) == "demo: 'b': expected a size of at least 1 bytes, found the number 0");
    CHECK(c.duration_ms("ok", 1000) == 30'000u);
    CHECK(error_of([] { ConfigReader("demo", "[1]"); }) == "demo: expected a mapping of settings, found a list");
    CHECK(error_of([] { ConfigReader("demo", "{"); }) == "demo: settings are not valid JSON");
    CHECK(ConfigReader("demo", "").root().IsObject());
}

TEST_CASE("describe cuts long strings", "[json]") {
    rapidjson::Document d;
    REQUIRE(nexus::mw::parse_json(d, R"(["0123456789012345678901234567890123456789abc", true, null, {}])"));
    CHECK(nexus::mw::describe(d[0]) == "a string \"0123456789012345678901234567890123456789...\"");
    CHECK(nexus::mw::describe(d[1]) == "true");
    CHECK(nexus::mw::describe(d[2]) == "null");
    CHECK(nexus::mw::describe(d[3]) == "a mapping");
}

TEST_CASE("sha256 and hex", "[sha256]") {
    // FIPS 180-2, appendix B.1.
    CHECK(nexus::mw::to_hex(nexus::mw::sha256("abc")) ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    nexus::mw::Digest d{};
    CHECK(nexus::mw::from_hex("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", d));
    CHECK(d == nexus::mw::sha256("abc"));
    CHECK_FALSE(nexus::mw::from_hex("ba78", d));
    CHECK_FALSE(nexus::mw::from_hex(std::string(64, 'g'), d));
}
