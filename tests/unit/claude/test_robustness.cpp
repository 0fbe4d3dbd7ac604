// Hostile bytes: truncated and bit-flipped versions of realistic inputs must end in a
// result or in the SDK's error types (which the boundary turns into a status), never in a
// crash, an assertion or another exception.
#include "native_body.hpp"
#include "response_parser.hpp"
#include "stream_translator.hpp"
#include "test_support.hpp"

#include <random>

namespace {

const std::string kChat = R"({"model":"smart","messages":[{"role":"system","content":[{"type":"text","text":"S","cache_control":{"type":"ephemeral"}}]},
  {"role":"user","content":[{"type":"text","text":"Look"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
  {"role":"assistant","content":null,"thinking_blocks":[{"type":"thinking","thinking":"t","signature":"s"}],
   "tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"f","arguments":"{\"a\":[1,{\"b\":null}]}"}}]},
  {"role":"tool","tool_call_id":"toolu_1","content":[{"type":"text","text":"r"}]}],
  "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"type":"array"}}}}}],
  "tool_choice":{"type":"function","function":{"name":"f"}},"parallel_tool_calls":false,"stop":["x"],"temperature":0.5,
  "max_tokens":100,"reasoning_effort":"high","response_format":{"type":"text"},"user":"u"})";

const std::string kMessage = R"({"id":"msg_1","type":"message","model":"m","stop_reason":"tool_use","stop_sequence":null,
  "content":[{"type":"thinking","thinking":"t","signature":"s"},{"type":"text","text":"hi"},{"type":"tool_use","id":"toolu_1","name":"f","input":{"a":1}}],
  "usage":{"input_tokens":1,"cache_read_input_tokens":2,"cache_creation_input_tokens":3,"output_tokens":4}})";

const std::vector<std::pair<std::string, std::string>> kEvents = {
    {"message_start", R"({"type":"message_start","message":{"id":"msg_1","model":"m","usage":{"input_tokens":1,"output_tokens":1}}})"},
    {"content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}})"},
    {"content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hm"}})"},
    {"content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sig"}})"},
    {"content_block_start", R"({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"f","input":{}}})"},
    {"content_block_delta", R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\":"}})"},
    {"content_block_stop", R"({"type":"content_block_stop","index":1})"},
    {"message_delta", R"({"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":9}})"},
    {"message_stop", R"({"type":"message_stop"})"},
};

std::string mutate(const std::string& in, std::mt19937& rng) {
    std::string s = in;
    switch (rng() % 3) {
        case 0:  // truncate
            s.resize(rng() % (s.size() + 1));
            break;
        case 1:  // flip a few bytes to structural characters
            for (int i = 0, n = 1 + int(rng() % 4); i < n && !s.empty(); ++i) s[rng() % s.size()] = "{}[]\":,0n\\x"[rng() % 11];
            break;
        default:  // delete a span
            if (!s.empty()) {
                size_t at = rng() % s.size();
                s.erase(at, rng() % 20);
            }
    }
    return s;
}

// Runs fn; true when it returned or threw one of the SDK's error types.
template <class Fn>
bool contained(Fn&& fn) {
    try {
        fn();
    } catch (const nexus::sdk::Error&) {
    } catch (const nexus::sdk::UpstreamError&) {
    } catch (...) {
        return false;
    }
    return true;
}

}  // namespace

TEST_CASE("robustness: mutated canonical requests", "[robustness]") {
    std::mt19937 rng(20250101);
    nexus::claude::ProviderConfig cfg;
    REQUIRE(contained([&] { nexus::claude::translate_chat(cfg, kChat, "m", true); }));
    for (int i = 0; i < 3000; ++i) {
        std::string body = mutate(kChat, rng);
        INFO(body);
        REQUIRE(contained([&] { nexus::claude::translate_chat(cfg, body, "m", i % 2 == 0); }));
        REQUIRE(contained([&] { nexus::claude::replace_model(body, "m"); }));
    }
}

TEST_CASE("robustness: mutated upstream responses and stream events", "[robustness]") {
    std::mt19937 rng(7);
    claude_test::Headers h{{"retry-after", "1"}};
    for (int i = 0; i < 3000; ++i) {
        std::string body = mutate(kMessage, rng);
        INFO(body);
        REQUIRE(contained([&] { nexus::claude::parse_upstream_response(NX_OP_CHAT, i % 5 == 0 ? 429 : 200, h.view(), body, "k", 0); }));
        REQUIRE(contained([&] { nexus::claude::parse_upstream_response(NX_OP_LIST_MODELS, 200, h.view(), body, "k", 0); }));
    }
    for (int run = 0; run < 500; ++run) {
        nexus::claude::StreamTranslator t(0);
        size_t emitted = 0;
        bool ok = true;
        for (size_t i = 0; i < kEvents.size() && ok; ++i) {
            std::string data = rng() % 3 == 0 ? mutate(kEvents[i].second, rng) : kEvents[i].second;
            bool threw = false;
            ok = contained([&] {
                try {
                    t.on_event(rng() % 4 == 0 ? std::string() : kEvents[i].first, data, [&](std::string_view c) {
                        ++emitted;
                        claude_test::parse(c);  // whatever is emitted is valid JSON
                    });
                } catch (...) {
                    threw = true;
                    throw;
                }
            });
            if (threw) break;  // the host ends the stream at the first error
        }
        REQUIRE(ok);
        REQUIRE(contained([&] { t.finish(); }));
    }
}
