#include "embeddings_request.hpp"
#include "request_builder.hpp"
#include "response_parser.hpp"
#include "test_support.hpp"

#include <cstring>
#include <optional>

using nexus::ollama::build_request;
using nexus::ollama::parse_config;
using nexus::ollama::parse_upstream_response;
using nexus::ollama::ProviderConfig;
using nexus::ollama::RequestInput;
using nexus::ollama::ResponseContext;
using nexus::ollama::translate_embeddings_request;
using nexus::ollama::UpstreamRequest;
using nexus::sdk::Error;
using ollama_test::Headers;
using ollama_test::json;
using ollama_test::parse;
using ollama_test::s;
using ollama_test::thrown;

namespace {

std::optional<std::string> header(const UpstreamRequest& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
        if (k == name) return v;
    return std::nullopt;
}

std::vector<float> decode_float32_base64(const std::string& b64) {
    static const std::string kTable = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string bytes;
    uint32_t acc = 0;
    int bits = 0;
    for (char c : b64) {
        if (c == '=') break;
        size_t v = kTable.find(c);
        REQUIRE(v != std::string::npos);
        acc = (acc << 6) | uint32_t(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            bytes.push_back(char((acc >> bits) & 0xff));
        }
    }
    REQUIRE(bytes.size() % 4 == 0);
    std::vector<float> out(bytes.size() / 4);
    for (size_t i = 0; i < out.size(); ++i) {
        uint32_t u = uint32_t(uint8_t(bytes[4 * i])) | uint32_t(uint8_t(bytes[4 * i + 1])) << 8 |
                     uint32_t(uint8_t(bytes[4 * i + 2])) << 16 | uint32_t(uint8_t(bytes[4 * i + 3])) << 24;
        std::memcpy(&out[i], &u, 4);
    }
    return out;
}

// docs/api.md, "Generate Embeddings (Multiple input)" (no usage fields there).
const std::string kMulti = R"({"model":"all-minilm","embeddings":[[0.010071029,-0.0017594862,0.05007221],[-0.0098027075,0.06042469,0.025257962]]})";

}  // namespace

TEST_CASE("ollama embeddings request: /api/embed with Ollama's fields", "[embeddings]") {
    ProviderConfig cfg = parse_config(R"({"options":{"num_ctx":512,"keep_alive":"30m"}})");
    RequestInput in{NX_OP_EMBEDDINGS, R"({"model":"e","input":["Why is the sky blue?","Why is the grass green?"],"dimensions":256,"encoding_format":"base64","user":"u","truncate":false})",
                    "all-minilm", "", "", false};
    UpstreamRequest r = build_request(cfg, in);
    CHECK(r.method == "POST");
    CHECK(r.url == "http://127.0.0.1:11434/api/embed");
    CHECK_FALSE(header(r, "Authorization"));
    CHECK(r.body ==
          R"({"model":"all-minilm","input":["Why is the sky blue?","Why is the grass green?"],"dimensions":256,"truncate":false,"options":{"num_ctx":512},"keep_alive":"30m"})");
    CHECK(translate_embeddings_request(R"({"model":"e","input":"x"})", "", {}) == R"({"model":"e","input":"x"})");
    CHECK(thrown<Error>([] { translate_embeddings_request(R"({"model":"e","input":[[1,2]]})", "", {}); }).status() == NX_ERR_UNSUPPORTED);
    CHECK(thrown<Error>([] { translate_embeddings_request(R"({"model":"e","input":"x","dimensions":-1})", "", {}); }).status() == NX_ERR_INVALID);
}

TEST_CASE("ollama requests: paths, auth only with a key, NDJSON for chat", "[embeddings]") {
    ProviderConfig cfg;
    RequestInput in{NX_OP_CHAT, R"({"model":"x","messages":[]})", "llama3.2", "https://ollama.com", "ollama-key-1234", true};
    UpstreamRequest r = build_request(cfg, in);
    CHECK(r.url == "https://ollama.com/api/chat");
    CHECK(header(r, "Authorization") == "Bearer ollama-key-1234");
    CHECK(header(r, "Accept") == "application/x-ndjson");
    CHECK(r.framing == NX_FRAMING_NDJSON);
    RequestInput tags{NX_OP_LIST_MODELS, "", "", "", "", false};
    r = build_request(cfg, tags);
    CHECK(r.method == "GET");
    CHECK(r.url == "http://127.0.0.1:11434/api/tags");
    CHECK(r.body.empty());
    CHECK(thrown<Error>([&] { build_request(cfg, RequestInput{nx_op(9), "", "", "", "", false}); }).status() == NX_ERR_UNSUPPORTED);
}

TEST_CASE("ollama embeddings response: 2-D embeddings become indexed items", "[embeddings]") {
    ResponseContext ctx;
    ctx.op = NX_OP_EMBEDDINGS;
    ctx.model = "all-minilm";
    auto d = parse(parse_upstream_response(ctx, 200, Headers{}.view(), kMulti));
    CHECK(s(d["object"]) == "list");
    REQUIRE(d["data"].Size() == 2);
    CHECK(s(d["data"][1]["object"]) == "embedding");
    CHECK(d["data"][1]["index"].GetInt() == 1);
    CHECK(d["data"][1]["embedding"][0].GetDouble() == -0.0098027075);
    CHECK(json(d["usage"]) == R"({"prompt_tokens":0,"total_tokens":0})");

    auto single = parse(parse_upstream_response(ctx, 200, Headers{}.view(),
        R"({"model":"all-minilm","embeddings":[[0.5,-2]],"total_duration":14143917,"load_duration":1019500,"prompt_eval_count":8})"));
    CHECK(single["data"].Size() == 1);
    CHECK(json(single["usage"]) == R"({"prompt_tokens":8,"total_tokens":8})");
}

TEST_CASE("ollama embeddings response: base64 decodes to the same floats", "[embeddings]") {
    ResponseContext ctx;
    ctx.op = NX_OP_EMBEDDINGS;
    ctx.embeddings_base64 = true;
    auto d = parse(parse_upstream_response(ctx, 200, Headers{}.view(), kMulti));
    auto v = decode_float32_base64(s(d["data"][0]["embedding"]));
    REQUIRE(v.size() == 3);
    CHECK(v[0] == 0.010071029f);
    CHECK(v[1] == -0.0017594862f);
    CHECK(v[2] == 0.05007221f);
    CHECK(s(parse(parse_upstream_response(ctx, 200, Headers{}.view(), R"({"embeddings":[[0.5,-0.25,1,0]]})"))["data"][0]["embedding"]) ==
          "AAAAPwAAgL4AAIA/AAAAAA==");
    for (const char* bad : {R"({"embeddings":[["x"]]})", R"({"embeddings":[1,2]})", R"({"embedding":[1,2]})"}) {
        INFO(bad);
        CHECK(thrown<nexus::sdk::UpstreamError>([&] { parse_upstream_response(ctx, 200, Headers{}.view(), bad); }).error_class() ==
              NX_EC_PROTOCOL);
    }
}
