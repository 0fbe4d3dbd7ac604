#include "state/resp_parser.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <random>
#include <string>
#include <vector>

using nexus::state::append_resp_command;
using nexus::state::RespLimits;
using nexus::state::RespParser;
using nexus::state::RespValue;
using Type = RespValue::Type;
using namespace std::string_literals;
using namespace std::string_view_literals;

namespace {

std::vector<RespValue> parse_whole(std::string_view bytes, RespLimits limits = {}) {
    RespParser p(limits);
    std::vector<RespValue> out;
    REQUIRE(p.feed(bytes, out));
    CHECK(p.idle());
    return out;
}

// Feeds `bytes` cut at the given points.
std::vector<RespValue> parse_split(std::string_view bytes, const std::vector<size_t>& cuts) {
    RespParser p;
    std::vector<RespValue> out;
    size_t at = 0;
    for (size_t c : cuts) {
        REQUIRE(p.feed(bytes.substr(at, c - at), out));
        at = c;
    }
    REQUIRE(p.feed(bytes.substr(at), out));
    CHECK(p.idle());
    return out;
}

std::string encode(const RespValue& v) {
    switch (v.type) {
        case Type::simple: return "+" + v.str + "\r\n";
        case Type::error: return "-" + v.str + "\r\n";
        case Type::integer: return ":" + std::to_string(v.integer) + "\r\n";
        case Type::bulk: return "$" + std::to_string(v.str.size()) + "\r\n" + v.str + "\r\n";
        case Type::null: return "$-1\r\n";
        case Type::array: {
            std::string s = "*" + std::to_string(v.elements.size()) + "\r\n";
            for (const auto& e : v.elements) s += encode(e);
            return s;
        }
    }
    return {};
}

RespValue array(std::vector<RespValue> elements) { return RespValue{Type::array, {}, 0, std::move(elements)}; }

const std::string kStream =
    "+OK\r\n"
    "-ERR value is not an integer or out of range\r\n"
    ":0\r\n:-42\r\n:9223372036854775807\r\n"
    "$5\r\nhello\r\n"
    "$0\r\n\r\n"
    "$-1\r\n"
    "$9\r\na\r\n$3\r\n\0b\r\n"  // a bulk string that looks like RESP, with a NUL
    "*-1\r\n"
    "*0\r\n"
    "*3\r\n:1\r\n*2\r\n$1\r\nx\r\n$-1\r\n+PONG\r\n"s;

std::vector<RespValue> expected_stream() {
    return {RespValue::simple_string("OK"),
            RespValue::error_string("ERR value is not an integer or out of range"),
            RespValue::number(0),
            RespValue::number(-42),
            RespValue::number(INT64_MAX),
            RespValue::bulk_string("hello"),
            RespValue::bulk_string(""),
            RespValue{},
            RespValue::bulk_string("a\r\n$3\r\n\0b"s),
            RespValue{},
            array({}),
            array({RespValue::number(1), array({RespValue::bulk_string("x"), RespValue{}}), RespValue::simple_string("PONG")})};
}

std::string fail_with(std::string_view bytes, RespLimits limits = {}) {
    RespParser p(limits);
    std::vector<RespValue> out;
    CHECK_FALSE(p.feed(bytes, out));
    CHECK(p.failed());
    CHECK_FALSE(p.feed("+OK\r\n", out));  // a failed parser stays failed
    return p.error();
}

}  // namespace

TEST_CASE("resp: every reply type, whole") {
    const std::string& stream = kStream;
    CHECK(parse_whole(stream) == expected_stream());

    SECTION("fed byte by byte") {
        std::vector<size_t> cuts;
        for (size_t i = 1; i < stream.size(); ++i) cuts.push_back(i);
        CHECK(parse_split(stream, cuts) == expected_stream());
    }
    SECTION("cut once at every position") {
        for (size_t i = 0; i <= stream.size(); ++i) {
            INFO("cut at " << i);
            CHECK(parse_split(stream, {i}) == expected_stream());
        }
    }
    SECTION("cut twice at every pair of positions") {
        for (size_t i = 0; i <= stream.size(); i += 3)
            for (size_t j = i; j <= stream.size(); ++j) {
                INFO("cuts at " << i << ", " << j);
                REQUIRE(parse_split(stream, {i, j}) == expected_stream());
            }
    }
}

TEST_CASE("resp: replies come out as soon as they are complete") {
    RespParser p;
    std::vector<RespValue> out;
    REQUIRE(p.feed("+OK\r\n$3\r\nab", out));
    REQUIRE(out.size() == 1);
    CHECK_FALSE(p.idle());
    REQUIRE(p.feed("c\r", out));
    CHECK(out.size() == 1);
    REQUIRE(p.feed("\n", out));
    REQUIRE(out.size() == 2);
    CHECK(out[1].str == "abc");
    CHECK(p.idle());
}

TEST_CASE("resp: malformed input is refused with the byte offset") {
    CHECK(fail_with("!oops\r\n") == "malformed RESP at byte 0: expected a reply type (+ - : $ *), found '!'");
    CHECK(fail_with("+OK\r\n\x01").find("at byte 5") != std::string::npos);
    CHECK(fail_with("+OK\n").find("CRLF") != std::string::npos);
    CHECK(fail_with(":12a\r\n").find("integer reply is not a number") != std::string::npos);
    CHECK(fail_with(":\r\n").find("integer reply is not a number") != std::string::npos);
    CHECK(fail_with(":99999999999999999999\r\n").find("not a number") != std::string::npos);
    CHECK(fail_with("$-2\r\n").find("bulk length") != std::string::npos);
    CHECK(fail_with("$x\r\n").find("bulk length") != std::string::npos);
    CHECK(fail_with("$3\r\nabcd\r\n").find("not followed by CRLF") != std::string::npos);
    CHECK(fail_with("$3\r\nabc\rX").find("not followed by CRLF") != std::string::npos);
    CHECK(fail_with("*-5\r\n").find("array length") != std::string::npos);
}

TEST_CASE("resp: limits are checked before anything is allocated") {
    RespLimits small;
    small.max_bulk = 16;
    small.max_line = 8;
    small.max_elements = 4;
    small.max_depth = 2;
    CHECK(parse_whole("$16\r\n0123456789abcdef\r\n", small).size() == 1);
    CHECK(fail_with("$17\r\n", small).find("bulk string of 17 bytes exceeds the limit of 16") != std::string::npos);
    CHECK(fail_with("$9223372036854775807\r\n").find("exceeds the limit") != std::string::npos);
    CHECK(fail_with("+123456789\r\n", small).find("line longer than 8 bytes") != std::string::npos);
    CHECK(fail_with(std::string(100, '+'), small).find("line longer") != std::string::npos);  // no CRLF ever
    CHECK(parse_whole("*4\r\n:1\r\n:2\r\n:3\r\n:4\r\n", small).size() == 1);
    CHECK(fail_with("*5\r\n", small).find("more than 4 array elements") != std::string::npos);
    CHECK(fail_with("*2\r\n*2\r\n:1\r\n:2\r\n*1\r\n", small).find("more than 4") != std::string::npos);  // nested count
    CHECK(fail_with("*1\r\n*1\r\n*1\r\n", small).find("nested deeper than 2") != std::string::npos);
    // The element budget is per reply: two replies of 4 are fine.
    CHECK(parse_whole("*4\r\n:1\r\n:2\r\n:3\r\n:4\r\n*4\r\n:1\r\n:2\r\n:3\r\n:4\r\n", small).size() == 2);
}

TEST_CASE("resp: reset forgets a partial reply and an error") {
    RespParser p;
    std::vector<RespValue> out;
    REQUIRE(p.feed("$5\r\nab", out));
    p.reset();
    REQUIRE(p.feed("+OK\r\n", out));
    REQUIRE(out.size() == 1);
    CHECK(out[0].str == "OK");
    CHECK_FALSE(p.feed("?", out));
    p.reset();
    CHECK(p.feed(":1\r\n", out));
}

TEST_CASE("resp: random replies survive random chunking") {
    std::mt19937 rng(12345);
    auto random_string = [&](size_t max) {
        std::string s(rng() % (max + 1), '\0');
        for (auto& c : s) c = char(rng() % 256);
        return s;
    };
    auto printable = [&](size_t max) {
        std::string s(rng() % (max + 1), 'a');
        for (auto& c : s) c = char('!' + rng() % 90);
        return s;
    };
    std::function<RespValue(int)> random_value = [&](int depth) -> RespValue {
        switch (rng() % (depth < 3 ? 6 : 5)) {
            case 0: return RespValue::simple_string(printable(20));
            case 1: return RespValue::error_string(printable(20));
            case 2: return RespValue::number(int64_t(rng()) - int64_t(rng()) * 3);
            case 3: return RespValue::bulk_string(random_string(300));
            case 4: return RespValue{};
            default: {
                std::vector<RespValue> e;
                for (size_t i = rng() % 5; i > 0; --i) e.push_back(random_value(depth + 1));
                return array(std::move(e));
            }
        }
    };
    for (int round = 0; round < 200; ++round) {
        std::vector<RespValue> values;
        std::string bytes;
        for (size_t i = 1 + rng() % 8; i > 0; --i) {
            values.push_back(random_value(0));
            bytes += encode(values.back());
        }
        std::vector<size_t> cuts;
        for (size_t at = 0; at < bytes.size();) {
            at += 1 + rng() % 40;
            if (at < bytes.size()) cuts.push_back(at);
        }
        INFO("round " << round);
        REQUIRE(parse_split(bytes, cuts) == values);
    }
}

TEST_CASE("resp: random garbage never crashes and either parses or fails") {
    std::mt19937 rng(777);
    const std::string alphabet = "+-:$*\r\n0123456789-x";
    for (int round = 0; round < 5000; ++round) {
        std::string bytes(rng() % 64, ' ');
        for (auto& c : bytes) c = alphabet[rng() % alphabet.size()];
        RespParser p;
        std::vector<RespValue> out;
        for (size_t i = 0; i < bytes.size(); ++i)
            if (!p.feed(bytes.substr(i, 1), out)) break;
        if (p.failed()) CHECK(p.error().rfind("malformed RESP at byte ", 0) == 0);
    }
}

TEST_CASE("resp: commands are arrays of bulk strings, binary-safe") {
    std::string out;
    append_resp_command(out, {"SET", "k\0"sv, "a\r\nb", "PX", "100"});
    const std::string set = "*5\r\n$3\r\nSET\r\n$2\r\nk\0\r\n$4\r\na\r\nb\r\n$2\r\nPX\r\n$3\r\n100\r\n"s;
    CHECK(out == set);
    append_resp_command(out, {"PING"});
    append_resp_command(out, {"GET", ""});
    CHECK(out.substr(set.size()) == "*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$0\r\n\r\n");
    // What the commands encode is what the parser reads back as an array of bulk strings.
    auto back = parse_whole(out);
    REQUIRE(back.size() == 3);
    CHECK(back[0] == array({RespValue::bulk_string("SET"), RespValue::bulk_string("k\0"s), RespValue::bulk_string("a\r\nb"),
                            RespValue::bulk_string("PX"), RespValue::bulk_string("100")}));
}
