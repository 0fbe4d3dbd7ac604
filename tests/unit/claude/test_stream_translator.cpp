#include "stream_translator.hpp"
#include "test_support.hpp"

#include <map>

using nexus::claude::StreamTranslator;
using nexus::sdk::UpstreamError;
using claude_test::at;
using claude_test::compact;
using claude_test::parse;

namespace {

constexpr int64_t kCreated = 1735689600;

struct Event {
    std::string event, data;
};

// Splits SSE text into events the way the host's framer hands them over.
std::vector<Event> sse(std::string_view text) {
    std::vector<Event> out;
    Event cur;
    bool any = false;
    while (!text.empty()) {
        size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        if (line.empty()) {
            if (any) out.push_back(cur);
            cur = Event{};
            any = false;
        } else if (line.rfind("event: ", 0) == 0) {
            cur.event = line.substr(7);
            any = true;
        } else if (line.rfind("data: ", 0) == 0) {
            if (!cur.data.empty()) cur.data += "\n";
            cur.data += line.substr(6);
            any = true;
        }
    }
    if (any) out.push_back(cur);
    return out;
}

struct Run {
    StreamTranslator t{kCreated};
    std::vector<std::string> chunks;
    std::vector<nx_stream_result> results;

    nx_stream_result feed(const std::string& event, const std::string& data) {
        nx_stream_result r = t.on_event(event, data, [this](std::string_view c) { chunks.emplace_back(c); });
        results.push_back(r);
        return r;
    }
    void feed_all(std::string_view text) {
        for (const auto& e : sse(text)) feed(e.event, e.data);
    }
    std::string content() const {
        std::string s;
        for (const auto& c : chunks) {
            auto d = parse(c);
            if (const auto* v = rapidjson::Pointer("/choices/0/delta/content").Get(d); v && v->IsString()) s += v->GetString();
        }
        return s;
    }
    // Tool-call arguments concatenated per index, plus each index's id and name.
    std::map<int, std::string> arguments, ids, names;
    void collect_tools() {
        for (const auto& c : chunks) {
            auto d = parse(c);
            const auto* calls = rapidjson::Pointer("/choices/0/delta/tool_calls").Get(d);
            if (!calls) continue;
            for (const auto& call : calls->GetArray()) {
                int i = call["index"].GetInt();
                if (call.HasMember("id")) ids[i] = call["id"].GetString();
                if (call["function"].HasMember("name")) names[i] = call["function"]["name"].GetString();
                arguments[i] += call["function"]["arguments"].GetString();
            }
        }
    }
};

UpstreamError error_of(Run& run, const std::string& event, const std::string& data) {
    try {
        run.feed(event, data);
    } catch (const UpstreamError& e) {
        return e;
    }
    FAIL("no UpstreamError for: " << event << " " << data);
    throw;
}

// anthropic-sdk-typescript tests/lib/fixtures/basic_response.txt
const char* kBasic = R"(event: message_start
data: {"type":"message_start","message":{"id":"msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK","type":"message","role":"assistant","content":[],"model":"claude-3-opus-20240229","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":11,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"!"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":6}}

event: message_stop
data: {"type":"message_stop"}

)";

const std::string kHead = R"("id":"msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK","object":"chat.completion.chunk","created":1735689600,"model":"claude-3-opus-20240229")";

}  // namespace

TEST_CASE("stream: a text stream (SDK fixture) becomes canonical chunks", "[stream]") {
    Run run;
    run.feed_all(kBasic);
    REQUIRE(run.t.done());
    CHECK(run.results.back() == NX_STREAM_DONE);
    for (size_t i = 0; i + 1 < run.results.size(); ++i) CHECK(run.results[i] == NX_STREAM_CONTINUE);
    const std::vector<std::string> expected = {
        "{" + kHead + R"(,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]})",
        "{" + kHead + R"(,"choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}]})",
        "{" + kHead + R"(,"choices":[{"index":0,"delta":{"content":" there"},"logprobs":null,"finish_reason":null}]})",
        "{" + kHead + R"(,"choices":[{"index":0,"delta":{"content":"!"},"logprobs":null,"finish_reason":null}]})",
        "{" + kHead + R"(,"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop","native_finish_reason":"end_turn"}]})",
        "{" + kHead + R"(,"choices":[],"usage":{"prompt_tokens":11,"completion_tokens":6,"total_tokens":17,"prompt_tokens_details":{"cached_tokens":0},"cache_creation_input_tokens":0}})",
    };
    CHECK(run.chunks == expected);
    CHECK_NOTHROW(run.t.finish());
    // Nothing counts after message_stop.
    CHECK(run.feed("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"late"}})") == NX_STREAM_DONE);
    CHECK(run.chunks.size() == expected.size());
}

TEST_CASE("stream: text interleaved with two tool_use blocks split into many fragments", "[stream]") {
    const std::string args0 = R"({"location": "San Francisco, CA", "unit": "fahrenheit", "days": [1, 2, 3], "note": "a \"quoted\" {brace}"})";
    const std::string args1 = R"({"query":"weather \u00e9t\u00e9 Paris","limit":5,"nested":{"deep":[{"x":null},{"y":true}]}})";
    std::string events = R"(event: message_start
data: {"type":"message_start","message":{"id":"msg_019Q1hrJbZG26Fb9BQhrkHEr","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":377,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1,"service_tier":"standard"}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"I'll look that up."}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01NRLabsLyVHZPKxbKvkfSMn","name":"get_weather","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

)";
    auto add_fragments = [&](int index, const std::string& args) {
        for (size_t i = 0; i < args.size(); i += 7) {
            rapidjson::StringBuffer buf;
            nexus::claude::JsonWriter w(buf);
            std::string piece = args.substr(i, 7);
            w.String(piece.data(), rapidjson::SizeType(piece.size()));
            events += "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":" + std::to_string(index) +
                      ",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":" + buf.GetString() + "}}\n\n";
            if (i == 14) events += "event: ping\ndata: {\"type\": \"ping\"}\n\n";
        }
    };
    add_fragments(1, args0);
    events += "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n";
    events += R"(event: content_block_start
data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_02XYZ","name":"web_lookup","input":{}}}

)";
    add_fragments(2, args1);
    events += R"(event: content_block_stop
data: {"type":"content_block_stop","index":2}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}

event: message_stop
data: {"type":"message_stop"}

)";
    Run run;
    run.feed_all(events);
    REQUIRE(run.t.done());
    run.collect_tools();
    CHECK(run.content() == "I'll look that up.");
    REQUIRE(run.arguments.size() == 2);
    CHECK(run.ids[0] == "toolu_01NRLabsLyVHZPKxbKvkfSMn");
    CHECK(run.names[0] == "get_weather");
    CHECK(run.ids[1] == "toolu_02XYZ");
    CHECK(run.names[1] == "web_lookup");
    CHECK(run.arguments[0] == args0);
    CHECK(run.arguments[1] == args1);
    CHECK(compact(run.arguments[0]) == compact(args0));  // each parses to the original JSON
    CHECK(compact(run.arguments[1]) == compact(args1));

    // The head fragment of each call carries id, type, name and empty arguments; the empty
    // input_json_delta produced no chunk.
    auto head = parse(run.chunks[2]);
    CHECK(at(head, "/choices/0/delta") == compact(R"({"tool_calls":[{"index":0,"id":"toolu_01NRLabsLyVHZPKxbKvkfSMn","type":"function","function":{"name":"get_weather","arguments":""}}]})"));
    auto frag = parse(run.chunks[3]);
    CHECK(at(frag, "/choices/0/delta") == R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"locat"}}]})");
    auto fin = parse(run.chunks[run.chunks.size() - 2]);
    CHECK(at(fin, "/choices/0/finish_reason") == "\"tool_calls\"");
    CHECK(at(parse(run.chunks.back()), "/usage/completion_tokens") == "89");
    CHECK(at(parse(run.chunks.back()), "/usage/prompt_tokens") == "377");
    for (const auto& c : run.chunks) {
        auto d = parse(c);
        CHECK(at(d, "/id") == "\"msg_019Q1hrJbZG26Fb9BQhrkHEr\"");
        CHECK(at(d, "/object") == "\"chat.completion.chunk\"");
        CHECK(at(d, "/created") == "1735689600");
        CHECK(at(d, "/model") == "\"claude-sonnet-4-5-20250929\"");
    }
}

TEST_CASE("stream: output_tokens is cumulative, the last value wins", "[stream]") {
    Run run;
    run.feed("message_start", R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-opus-4-1","usage":{"input_tokens":2679,"cache_creation_input_tokens":100,"cache_read_input_tokens":2000,"output_tokens":3}}})");
    run.feed("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})");
    run.feed("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}})");
    run.feed("message_delta", R"({"type":"message_delta","delta":{"stop_reason":null,"stop_sequence":null},"usage":{"output_tokens":40}})");
    run.feed("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":100,"input_tokens":null,"cache_creation_input_tokens":null,"cache_read_input_tokens":null}})");
    CHECK(run.feed("message_stop", R"({"type":"message_stop"})") == NX_STREAM_DONE);
    CHECK(run.t.usage().output_tokens == 100);
    CHECK(at(parse(run.chunks.back()), "/usage") == compact(R"({"prompt_tokens":4779,"completion_tokens":100,"total_tokens":4879,
        "prompt_tokens_details":{"cached_tokens":2000},"cache_creation_input_tokens":100})"));
    int finishes = 0;
    for (const auto& c : run.chunks) {
        auto d = parse(c);
        if (at(d, "/choices/0/finish_reason") == "\"length\"") ++finishes;
    }
    CHECK(finishes == 1);
}

TEST_CASE("stream: thinking deltas and the signature", "[stream]") {
    // The extended-thinking streaming example of the docs.
    Run run;
    run.feed_all(R"(event: message_start
data: {"type": "message_start", "message": {"id": "msg_01...", "type": "message", "role": "assistant", "content": [], "model": "claude-sonnet-4-5", "stop_reason": null, "stop_sequence": null}}

event: content_block_start
data: {"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": ""}}

event: content_block_delta
data: {"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\n\n1071 = 2 × 462 + 147"}}

event: content_block_delta
data: {"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "\n462 = 3 × 147 + 21"}}

event: content_block_delta
data: {"type": "content_block_delta", "index": 0, "delta": {"type": "signature_delta", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds..."}}

event: content_block_stop
data: {"type": "content_block_stop", "index": 0}

event: content_block_start
data: {"type": "content_block_start", "index": 1, "content_block": {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4a"}}

event: content_block_stop
data: {"type": "content_block_stop", "index": 1}

event: content_block_start
data: {"type": "content_block_start", "index": 2, "content_block": {"type": "text", "text": ""}}

event: content_block_delta
data: {"type": "content_block_delta", "index": 2, "delta": {"type": "text_delta", "text": "The greatest common divisor of 1071 and 462 is **21**."}}

event: content_block_delta
data: {"type": "content_block_delta", "index": 2, "delta": {"type": "citations_delta", "citation": {"type": "char_location", "cited_text": "x"}}}

event: content_block_stop
data: {"type": "content_block_stop", "index": 2}

event: message_delta
data: {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}}

event: message_stop
data: {"type": "message_stop"}

)");
    REQUIRE(run.t.done());
    std::vector<std::string> deltas;
    for (const auto& c : run.chunks) deltas.push_back(at(parse(c), "/choices/0/delta"));
    REQUIRE(deltas.size() == 8);
    CHECK(deltas[1] == compact(R"({"reasoning_content":"I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\n\n1071 = 2 × 462 + 147"})"));
    CHECK(deltas[2] == compact(R"({"reasoning_content":"\n462 = 3 × 147 + 21"})"));
    CHECK(deltas[3] == R"({"thinking_signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds..."})");
    CHECK(deltas[4] == R"({"thinking_blocks":[{"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4a"}]})");
    CHECK(deltas[5] == compact(R"({"content":"The greatest common divisor of 1071 and 462 is **21**."})"));
    CHECK(deltas[6] == "{}");
    CHECK(at(parse(run.chunks.back()), "/usage/completion_tokens") == "0");
}

TEST_CASE("stream: a mid-stream error event is classified", "[stream]") {
    Run run;
    run.feed("message_start", R"({"type":"message_start","message":{"id":"msg_1","model":"m","usage":{"input_tokens":1,"output_tokens":1}}})");
    run.feed("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})");
    run.feed("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Partial"}})");
    UpstreamError e = error_of(run, "error", R"({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})");
    CHECK(e.error_class() == NX_EC_OVERLOADED);
    CHECK(std::string(e.what()) == "Overloaded");
    CHECK(run.chunks.size() == 2);

    Run rl;
    CHECK(error_of(rl, "error", R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"}})").error_class() == NX_EC_RATE_LIMITED);
    Run api;
    CHECK(error_of(api, "", R"({"type":"error","error":{"type":"api_error","message":"Internal server error"}})").error_class() == NX_EC_SERVER);
    Run odd;
    CHECK(error_of(odd, "error", "not json").error_class() == NX_EC_SERVER);
    Run novel;
    CHECK(error_of(novel, "error", R"({"type":"error","error":{"type":"brand_new_error","message":"?"}})").error_class() == NX_EC_SERVER);
}

TEST_CASE("stream: a stream cut before message_stop is a protocol error", "[stream]") {
    Run run;
    std::string cut(kBasic);
    run.feed_all(cut.substr(0, cut.find("event: message_delta")));
    CHECK_FALSE(run.t.done());
    try {
        run.t.finish();
        FAIL("finish() accepted a truncated stream");
    } catch (const UpstreamError& e) {
        CHECK(e.error_class() == NX_EC_PROTOCOL);
        CHECK_THAT(e.what(), Catch::Contains("stream ended before message_stop"));
    }
    Run empty;
    CHECK_THROWS_AS(empty.t.finish(), UpstreamError);
}

TEST_CASE("stream: unknown events are skipped, broken ones refused", "[stream]") {
    Run run;
    CHECK(run.feed("future_event", R"({"type":"future_event","x":1})") == NX_STREAM_CONTINUE);
    CHECK(run.chunks.empty());
    // Without an event name the JSON type decides.
    run.feed("", R"({"type":"message_start","message":{"id":"msg_x","model":"m"}})");
    CHECK(run.chunks.size() == 1);
    run.feed("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}})");
    run.feed("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"query\":\"x\"}"}})");
    run.feed("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"brand_new_delta","x":1}})");
    CHECK(run.chunks.size() == 1);  // nothing canonical in a server tool's input

    Run early;
    CHECK(error_of(early, "content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}})").error_class() == NX_EC_PROTOCOL);
    Run bad;
    CHECK(error_of(bad, "message_start", "{not json").error_class() == NX_EC_PROTOCOL);
    Run noindex;
    noindex.feed("message_start", R"({"type":"message_start","message":{"id":"msg_x","model":"m"}})");
    CHECK(error_of(noindex, "content_block_start", R"({"type":"content_block_start","content_block":{"type":"text","text":""}})").error_class() == NX_EC_PROTOCOL);
}

TEST_CASE("stream: the JSON-mode tool streams as content; whole inputs in block_start", "[stream]") {
    Run run;
    run.feed("message_start", R"({"type":"message_start","message":{"id":"msg_j","model":"m","usage":{"input_tokens":3,"output_tokens":1}}})");
    run.feed("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_j","name":"nexus_json_output","input":{}}})");
    run.feed("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"name\": \"A"}})");
    run.feed("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"da\"}"}})");
    run.feed("content_block_stop", R"({"type":"content_block_stop","index":0})");
    run.feed("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}})");
    run.feed("message_stop", R"({"type":"message_stop"})");
    CHECK(run.content() == R"({"name": "Ada"})");
    run.collect_tools();
    CHECK(run.arguments.empty());
    CHECK(at(parse(run.chunks[run.chunks.size() - 2]), "/choices/0/finish_reason") == "\"stop\"");

    // An Anthropic-compatible server that sends the whole input up front and no deltas.
    Run compat;
    compat.feed("message_start", R"({"type":"message_start","message":{"id":"msg_c","model":"m"}})");
    compat.feed("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_c","name":"f","input":{"city":"Paris"}}})");
    compat.feed("content_block_stop", R"({"type":"content_block_stop","index":0})");
    compat.collect_tools();
    CHECK(compat.arguments[0] == R"({"city":"Paris"})");
}

TEST_CASE("stream: a missing message_delta still ends with a finish chunk", "[stream]") {
    Run run;
    run.feed("message_start", R"({"type":"message_start","message":{"id":"msg_1","model":"m"}})");
    run.feed("message_stop", R"({"type":"message_stop"})");
    REQUIRE(run.chunks.size() == 3);
    CHECK(at(parse(run.chunks[1]), "/choices/0/finish_reason") == "\"stop\"");
    CHECK(at(parse(run.chunks[1]), "/choices/0/native_finish_reason") == "<missing>");
}
