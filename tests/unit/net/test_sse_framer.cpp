#include "net/stream_framers.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using nexus::net::SseEvent;
using nexus::net::SseFramer;

namespace {

struct Ev {
    std::string event, data, id;
    bool operator==(const Ev& o) const { return event == o.event && data == o.data && id == o.id; }
};

std::ostream& operator<<(std::ostream& os, const Ev& e) {
    return os << "{event=" << e.event << " data=" << e.data << " id=" << e.id << "}";
}

struct Collector {
    std::vector<Ev> events;
    SseFramer::Sink sink() {
        return [this](const SseEvent& e) {
            events.push_back({std::string(e.event), std::string(e.data), std::string(e.id)});
            return true;
        };
    }
};

// Feeds `chunks` in order; returns the events and whether finish() reported a clean end.
std::vector<Ev> parse(const std::vector<std::string>& chunks, bool* clean = nullptr) {
    SseFramer f;
    Collector c;
    auto sink = c.sink();
    for (const auto& ch : chunks) REQUIRE(f.feed(ch, sink));
    bool ok = f.finish(sink);
    if (clean) *clean = ok;
    return c.events;
}

std::vector<Ev> parse(const std::string& s, bool* clean = nullptr) { return parse(std::vector<std::string>{s}, clean); }

const std::string kOpenAiStream =
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
    "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
    ": keep-alive\n\n"
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
    "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\\u00e9lo \\n wörld\"},\"finish_reason\":null}]}\n\n"
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
    "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
    "data: {\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12}}\n\n"
    "data: [DONE]\n\n";

const std::string kAnthropicStream =
    "event: message_start\n"
    "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
    "\"content\":[],\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n"
    "event: content_block_start\n"
    "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
    "event: ping\n"
    "data: {\"type\": \"ping\"}\n\n"
    "event: content_block_delta\n"
    "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n"
    "event: content_block_delta\n"
    "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"!\"}}\n\n"
    "event: content_block_stop\n"
    "data: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
    "event: message_delta\n"
    "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
    "\"usage\":{\"output_tokens\":15}}\n\n"
    "event: message_stop\n"
    "data: {\"type\":\"message_stop\"}\n\n";

std::string to_crlf(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '\n') out += "\r\n";
        else out += c;
    }
    return out;
}

std::string to_cr(const std::string& s) {
    std::string out = s;
    for (char& c : out)
        if (c == '\n') c = '\r';
    return out;
}

}  // namespace

TEST_CASE("sse: single event, one chunk") {
    auto ev = parse("data: hello\n\n");
    REQUIRE(ev == std::vector<Ev>{{"", "hello", ""}});
}

TEST_CASE("sse: multi-line data is joined with LF") {
    REQUIRE(parse("data: a\ndata: b\ndata:c\n\n") == std::vector<Ev>{{"", "a\nb\nc", ""}});
    REQUIRE(parse("data: a\ndata\ndata: c\n\n") == std::vector<Ev>{{"", "a\n\nc", ""}});
}

TEST_CASE("sse: LF, CR and CRLF line ends, mixed") {
    std::vector<Ev> want{{"", "x", ""}, {"e", "y", ""}};
    REQUIRE(parse("data: x\n\nevent: e\ndata: y\n\n") == want);
    REQUIRE(parse("data: x\r\revent: e\rdata: y\r\r") == want);
    REQUIRE(parse("data: x\r\n\r\nevent: e\r\ndata: y\r\n\r\n") == want);
    REQUIRE(parse("data: x\r\n\revent: e\ndata: y\r\r\n") == want);
}

TEST_CASE("sse: a CRLF split across two feeds is one line end") {
    REQUIRE(parse(std::vector<std::string>{"data: x\r", "\ndata: y\r", "\n\r", "\n"}) ==
            std::vector<Ev>{{"", "x\ny", ""}});
    // A CR ending a chunk followed by a non-LF starts the next line normally.
    REQUIRE(parse(std::vector<std::string>{"data: x\r", "\r"}) == std::vector<Ev>{{"", "x", ""}});
    // An empty feed between the CR and the LF must not lose the pairing.
    REQUIRE(parse(std::vector<std::string>{"data: x\r", "", "\n", "\r\n"}) == std::vector<Ev>{{"", "x", ""}});
}

TEST_CASE("sse: comments and heartbeats are ignored") {
    REQUIRE(parse(": ping\n\n:\n\ndata: a\n: inside\ndata: b\n\n") == std::vector<Ev>{{"", "a\nb", ""}});
    REQUIRE(parse(":\n:\n:\n").empty());
}

TEST_CASE("sse: event and id fields") {
    auto ev = parse("event: delta\nid: 7\ndata: x\n\ndata: y\n\nid\ndata: z\n\n");
    REQUIRE(ev.size() == 3);
    CHECK(ev[0] == Ev{"delta", "x", "7"});
    CHECK(ev[1] == Ev{"", "y", "7"});  // the event type resets, the last event id persists
    CHECK(ev[2] == Ev{"", "z", ""});   // `id` with no value resets it
    // An id containing NUL is ignored (spec).
    using namespace std::string_literals;
    auto nul = parse("id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n"s);
    REQUIRE(nul.size() == 2);
    CHECK(nul[1].id == "1");
    // The last event: line wins.
    REQUIRE(parse("event: a\nevent: b\ndata: x\n\n") == std::vector<Ev>{{"b", "x", ""}});
}

TEST_CASE("sse: exactly one space after the colon is stripped") {
    REQUIRE(parse("data:x\n\n")[0].data == "x");
    REQUIRE(parse("data: x\n\n")[0].data == "x");
    REQUIRE(parse("data:  x\n\n")[0].data == " x");
    REQUIRE(parse("data:\tx\n\n")[0].data == "\tx");
    REQUIRE(parse("data: x \n\n")[0].data == "x ");
    REQUIRE(parse("data: a:b: c\n\n")[0].data == "a:b: c");
    REQUIRE(parse("event:  sp\ndata: x\n\n")[0].event == " sp");
}

TEST_CASE("sse: a field with no colon has an empty value") {
    REQUIRE(parse("data\n\n") == std::vector<Ev>{{"", "", ""}});
    REQUIRE(parse("data:\n\n") == std::vector<Ev>{{"", "", ""}});
    REQUIRE(parse("event\ndata: x\n\n") == std::vector<Ev>{{"", "x", ""}});
    // Field names are case-sensitive and must match exactly.
    REQUIRE(parse("Data: x\n\ndata : y\n\ndatax: z\n\n").empty());
}

TEST_CASE("sse: unknown fields and retry are ignored") {
    REQUIRE(parse("retry: 1000\nfoo: bar\ndata: x\n\n") == std::vector<Ev>{{"", "x", ""}});
}

TEST_CASE("sse: events without data are not dispatched") {
    REQUIRE(parse("event: ping\n\n").empty());
    REQUIRE(parse("id: 3\n\n").empty());
    // ... and the dropped event's type does not leak into the next one.
    REQUIRE(parse("event: ping\n\ndata: x\n\n") == std::vector<Ev>{{"", "x", ""}});
}

TEST_CASE("sse: a leading UTF-8 BOM is skipped, once") {
    REQUIRE(parse("\xEF\xBB\xBF" "data: x\n\n") == std::vector<Ev>{{"", "x", ""}});
    REQUIRE(parse(std::vector<std::string>{"\xEF", "\xBB", "\xBF" "da", "ta: x\n\n"}) == std::vector<Ev>{{"", "x", ""}});
    // A second BOM is part of the field name, which then is not "data".
    REQUIRE(parse("\xEF\xBB\xBF\xEF\xBB\xBF" "data: x\n\n").empty());
    // Bytes that only start like a BOM are kept.
    REQUIRE(parse(std::vector<std::string>{"\xEF\xBB", "x\ndata: y\n\n"}) == std::vector<Ev>{{"", "y", ""}});
    REQUIRE(parse(std::vector<std::string>{"\xEF", "\n", "data: y\n\n"}) == std::vector<Ev>{{"", "y", ""}});
    // A BOM-like sequence in data later in the stream is data.
    REQUIRE(parse("data: \xEF\xBB\xBF\n\n")[0].data == "\xEF\xBB\xBF");
}

TEST_CASE("sse: finish reports a stream cut mid-event and discards it") {
    bool clean = false;
    REQUIRE(parse("data: x\n\n", &clean).size() == 1);
    CHECK(clean);
    REQUIRE(parse("data: x\n\ndata: y\n", &clean).size() == 1);
    CHECK_FALSE(clean);
    REQUIRE(parse("data: x\n\ndata: partial", &clean).size() == 1);
    CHECK_FALSE(clean);
    REQUIRE(parse("data: x\n\nevent: e\n", &clean).size() == 1);
    CHECK_FALSE(clean);
    REQUIRE(parse("data: x\n\n: trailing comment", &clean).size() == 1);
    CHECK(clean);
    REQUIRE(parse("", &clean).empty());
    CHECK(clean);
}

TEST_CASE("sse: the sink can stop the framer") {
    SseFramer f;
    int calls = 0;
    auto stop_after_one = [&](const SseEvent&) { return ++calls < 1; };
    REQUIRE_FALSE(f.feed("data: a\n\ndata: b\n\n", stop_after_one));
    CHECK(calls == 1);
    CHECK_FALSE(f.overflowed());
    CHECK_FALSE(f.feed("data: c\n\n", stop_after_one));
    CHECK(calls == 1);
}

TEST_CASE("sse: size limit per event") {
    auto count = [](int& n) { return [&n](const SseEvent&) { ++n; return true; }; };
    SECTION("data lines accumulate past the limit") {
        SseFramer f(16);
        int n = 0;
        REQUIRE(f.feed("data: 0123456789\n\n", count(n)));  // 10 bytes fit
        CHECK(n == 1);
        REQUIRE_FALSE(f.feed("data: 0123456789\ndata: 0123456789\n\n", count(n)));
        CHECK(f.overflowed());
        CHECK(n == 1);
        CHECK_FALSE(f.feed("data: x\n\n", count(n)));  // sticky
    }
    SECTION("an endless line without a line end") {
        SseFramer f(64);
        int n = 0;
        bool ok = true;
        for (int i = 0; i < 100 && ok; ++i) ok = f.feed("data: aaaaaaaaaa", count(n));
        CHECK_FALSE(ok);
        CHECK(f.overflowed());
    }
    SECTION("an endless comment line split across feeds") {
        SseFramer f(64);
        int n = 0;
        REQUIRE(f.feed(":", count(n)));
        REQUIRE_FALSE(f.feed(std::string(100, 'x'), count(n)));
        CHECK(f.overflowed());
    }
    SECTION("many small events never overflow") {
        SseFramer f(16);
        int n = 0;
        for (int i = 0; i < 1000; ++i) REQUIRE(f.feed("data: 0123456789\n\n", count(n)));
        CHECK(n == 1000);
    }
}

TEST_CASE("sse: one data line from the chunk is delivered without being copied") {
    SseFramer f;
    std::string chunk = "data: payload\n\n";
    const char* seen = nullptr;
    REQUIRE(f.feed(chunk, [&](const SseEvent& e) { seen = e.data.data(); return true; }));
    CHECK(seen == chunk.data() + 6);
}

namespace {
void check_every_split(const std::string& stream, size_t want_events) {
    bool clean = false;
    auto whole = parse(stream, &clean);
    REQUIRE(clean);
    REQUIRE(whole.size() == want_events);
    for (size_t i = 0; i <= stream.size(); ++i) {
        INFO("split at " << i);
        REQUIRE(parse(std::vector<std::string>{stream.substr(0, i), stream.substr(i)}) == whole);
    }
    for (size_t i = 0; i + 1 < stream.size(); i += 31) {  // three chunks: every split of the rest
        for (size_t j = i; j <= stream.size(); ++j) {
            INFO("splits at " << i << "," << j);
            REQUIRE(parse(std::vector<std::string>{stream.substr(0, i), stream.substr(i, j - i), stream.substr(j)}) ==
                    whole);
        }
    }
    std::vector<std::string> bytes;
    for (char c : stream) bytes.emplace_back(1, c);
    REQUIRE(parse(bytes) == whole);
}
}  // namespace

TEST_CASE("sse: an OpenAI stream split at every byte position yields the same events") {
    auto whole = parse(kOpenAiStream);
    REQUIRE(whole.size() == 5);
    CHECK(whole.back() == Ev{"", "[DONE]", ""});
    CHECK(whole[1].data.find("w\xC3\xB6rld") != std::string::npos);
    check_every_split(kOpenAiStream, 5);
    check_every_split(to_crlf(kOpenAiStream), 5);
    check_every_split(to_cr(kOpenAiStream), 5);
    REQUIRE(parse(to_crlf(kOpenAiStream)) == whole);
}

TEST_CASE("sse: an Anthropic stream split at every byte position yields the same events") {
    auto whole = parse(kAnthropicStream);
    REQUIRE(whole.size() == 8);
    CHECK(whole[0].event == "message_start");
    CHECK(whole[2] == Ev{"ping", "{\"type\": \"ping\"}", ""});
    CHECK(whole[7] == Ev{"message_stop", "{\"type\":\"message_stop\"}", ""});
    check_every_split(kAnthropicStream, 8);
    check_every_split(to_crlf(kAnthropicStream), 8);
    REQUIRE(parse(to_crlf(kAnthropicStream)) == whole);
    REQUIRE(parse("\xEF\xBB\xBF" + kAnthropicStream) == whole);
}

namespace {
// A direct, unoptimised transcription of the spec's algorithm over a whole stream, to check
// the incremental framer against.
std::vector<Ev> reference_parse(std::string s) {
    if (s.rfind("\xEF\xBB\xBF", 0) == 0) s.erase(0, 3);
    std::vector<Ev> out;
    std::string event, data, id;
    bool has_data = false;
    size_t pos = 0;
    while (true) {
        size_t end = s.find_first_of("\r\n", pos);
        if (end == std::string::npos) break;  // an unterminated last line is discarded
        std::string l = s.substr(pos, end - pos);
        pos = end + 1;
        if (s[end] == '\r' && pos < s.size() && s[pos] == '\n') ++pos;
        if (l.empty()) {
            if (has_data) out.push_back({event, data, id});
            event.clear();
            data.clear();
            has_data = false;
            continue;
        }
        if (l[0] == ':') continue;
        std::string name = l, value;
        if (auto c = l.find(':'); c != std::string::npos) {
            name = l.substr(0, c);
            value = l.substr(c + 1);
            if (!value.empty() && value[0] == ' ') value.erase(0, 1);
        }
        if (name == "data") {
            if (has_data) data += '\n';
            data += value;
            has_data = true;
        } else if (name == "event") {
            event = value;
        } else if (name == "id" && value.find('\0') == std::string::npos) {
            id = value;
        }
    }
    return out;
}
}  // namespace

TEST_CASE("sse: random bytes in random chunks parse as the spec says, in any chunking") {
    // Tiny alphabet so that field names, colons, spaces and line ends collide often.
    const std::string alphabet[] = {"data", "event", "id", ":", " ", "\r", "\n", "x", "\xEF\xBB\xBF", std::string(1, '\0')};
    std::mt19937 rng(12345);
    for (int round = 0; round < 5000; ++round) {
        std::string s;
        int pieces = int(rng() % 40);
        for (int i = 0; i < pieces; ++i) s += alphabet[rng() % std::size(alphabet)];
        bool clean_whole = false, clean_chunked = false;
        auto whole = parse(s, &clean_whole);
        REQUIRE(whole == reference_parse(s));
        std::vector<std::string> chunks;
        for (size_t pos = 0; pos < s.size();) {
            size_t len = std::min(s.size() - pos, size_t(rng() % 5));
            chunks.push_back(s.substr(pos, len));
            pos += len;
        }
        INFO("round " << round);
        REQUIRE(parse(chunks, &clean_chunked) == whole);
        REQUIRE(clean_chunked == clean_whole);
    }
}

TEST_CASE("sse: the framer is reusable after finish") {
    SseFramer f;
    Collector c;
    auto sink = c.sink();
    REQUIRE(f.feed("id: 1\ndata: a\n\ndata: cut", sink));
    REQUIRE_FALSE(f.finish(sink));
    REQUIRE(f.feed("\xEF\xBB\xBF" "data: b\n\n", sink));
    REQUIRE(f.finish(sink));
    REQUIRE(c.events == std::vector<Ev>{{"", "a", "1"}, {"", "b", ""}});
}
