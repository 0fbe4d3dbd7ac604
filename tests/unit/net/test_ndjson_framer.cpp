#include "net/stream_framers.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using nexus::net::NdjsonFramer;

namespace {
std::vector<std::string> parse(const std::vector<std::string>& chunks, NdjsonFramer f = NdjsonFramer()) {
    std::vector<std::string> lines;
    auto sink = [&](std::string_view l) { lines.emplace_back(l); return true; };
    for (const auto& ch : chunks) REQUIRE(f.feed(ch, sink));
    REQUIRE(f.finish(sink));
    return lines;
}
std::vector<std::string> parse(const std::string& s) { return parse(std::vector<std::string>{s}); }

const std::string kOllamaStream =
    "{\"model\":\"llama3.2\",\"created_at\":\"2024-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"done\":false}\n"
    "{\"model\":\"llama3.2\",\"created_at\":\"2024-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":\"lo\"},\"done\":false}\n"
    "{\"model\":\"llama3.2\",\"created_at\":\"2024-01-01T00:00:01Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},"
    "\"done_reason\":\"stop\",\"done\":true,\"total_duration\":1000,\"prompt_eval_count\":5,\"eval_count\":2}\n";
}  // namespace

TEST_CASE("ndjson: one line per call, LF and CRLF") {
    REQUIRE(parse("{\"a\":1}\n{\"b\":2}\r\n{\"c\":3}\n") ==
            std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"});
}

TEST_CASE("ndjson: blank lines are skipped") {
    REQUIRE(parse("\n\r\n{\"a\":1}\n\n  \n\t\r\n{\"b\":2}\n\n") == std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"});
    REQUIRE(parse("\n\n\n").empty());
}

TEST_CASE("ndjson: a final unterminated line is delivered by finish") {
    NdjsonFramer f;
    std::vector<std::string> lines;
    auto sink = [&](std::string_view l) { lines.emplace_back(l); return true; };
    REQUIRE(f.feed("{\"a\":1}\n{\"b\"", sink));
    REQUIRE(lines == std::vector<std::string>{"{\"a\":1}"});
    REQUIRE(f.feed(":2}", sink));
    REQUIRE(lines.size() == 1);
    REQUIRE(f.finish(sink));
    REQUIRE(lines == std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"});
    REQUIRE(parse("{\"a\":1}\r") == std::vector<std::string>{"{\"a\":1}"});
}

TEST_CASE("ndjson: a stream split at every byte position yields the same lines") {
    auto whole = parse(kOllamaStream);
    REQUIRE(whole.size() == 3);
    std::string crlf;
    for (char c : kOllamaStream) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    for (const std::string& s : {kOllamaStream, crlf}) {
        for (size_t i = 0; i <= s.size(); ++i) {
            INFO("split at " << i);
            REQUIRE(parse(std::vector<std::string>{s.substr(0, i), s.substr(i)}) == whole);
        }
        std::vector<std::string> bytes;
        for (char c : s) bytes.emplace_back(1, c);
        REQUIRE(parse(bytes) == whole);
    }
}

TEST_CASE("ndjson: the sink can stop the framer") {
    NdjsonFramer f;
    int n = 0;
    auto stop = [&](std::string_view) { ++n; return false; };
    REQUIRE_FALSE(f.feed("1\n2\n", stop));
    CHECK(n == 1);
    CHECK_FALSE(f.overflowed());
    CHECK_FALSE(f.feed("3\n", stop));
    CHECK_FALSE(f.finish(stop));
    CHECK(n == 1);
}

TEST_CASE("ndjson: size limit per line") {
    auto sink = [](std::string_view) { return true; };
    SECTION("a long line in one chunk") {
        NdjsonFramer f(8);
        REQUIRE(f.feed("12345678\r\n", sink));  // the CR does not count
        REQUIRE_FALSE(f.feed("123456789\n", sink));
        CHECK(f.overflowed());
        CHECK_FALSE(f.feed("1\n", sink));
    }
    SECTION("an endless line across feeds") {
        NdjsonFramer f(8);
        REQUIRE(f.feed("12345", sink));
        REQUIRE_FALSE(f.feed("67890", sink));
        CHECK(f.overflowed());
    }
}
