#include "embedding_encoding.hpp"
#include "embeddings_request.hpp"
#include "response_parser.hpp"
#include "test_support.hpp"

#include <cstdint>
#include <cstring>

using nexus::mistral::base64_encode;
using nexus::mistral::parse_upstream_response;
using nexus::mistral::ResponseContext;
using nexus::mistral::translate_embeddings_request;
using nexus::mistral::wants_base64;
using nexus::sdk::Error;
using nexus::sdk::UpstreamError;
using mistral_test::Headers;
using mistral_test::parse;
using mistral_test::s;
using mistral_test::thrown;

namespace {

std::vector<float> decode_float32_base64(const std::string& b64) {
    auto val = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    std::string bytes;
    uint32_t acc = 0;
    int bits = 0;
    for (char c : b64) {
        if (c == '=') break;
        int v = val(c);
        REQUIRE(v >= 0);
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

// The shape of Mistral's embeddings response (API reference example), shortened vectors.
const std::string kResponse = R"({"id":"8d6a8e8ee0fa460c9360526480f636ee","object":"list","data":[
  {"object":"embedding","embedding":[-0.0165863037109375,0.07012939453125,0.031494140625,-1.5e-7],"index":0},
  {"object":"embedding","embedding":[0.5,-0.25,1,0],"index":1}],
  "model":"mistral-embed","usage":{"prompt_tokens":15,"total_tokens":15,"completion_tokens":0}})";

}  // namespace

TEST_CASE("embeddings request: dimensions renamed, encoding_format and user not sent", "[embeddings]") {
    auto d = parse(translate_embeddings_request(
        R"({"model":"e","input":["Embed this sentence.","As well as this one."],"encoding_format":"base64","dimensions":256,"user":"u"})",
        "codestral-embed"));
    CHECK(s(d["model"]) == "codestral-embed");
    CHECK(d["input"].Size() == 2);
    CHECK(d["output_dimension"].GetInt() == 256);
    for (const char* gone : {"dimensions", "encoding_format", "user"}) CHECK_FALSE(d.HasMember(gone));
}

TEST_CASE("embeddings request: bad input", "[embeddings]") {
    CHECK(thrown<Error>([] { translate_embeddings_request(R"({"model":"e","input":[1,2,3]})", ""); }).status() == NX_ERR_UNSUPPORTED);
    CHECK(thrown<Error>([] { translate_embeddings_request(R"({"model":"e","input":[[1,2]]})", ""); }).status() == NX_ERR_UNSUPPORTED);
    CHECK(thrown<Error>([] { translate_embeddings_request(R"({"model":"e","input":[]})", ""); }).status() == NX_ERR_INVALID);
    CHECK(thrown<Error>([] { translate_embeddings_request(R"({"model":"e"})", ""); }).status() == NX_ERR_INVALID);
    CHECK_THAT(thrown<Error>([] { translate_embeddings_request(R"({"model":"e","input":"x","dimensions":0})", ""); }).what(),
               Catch::Contains("dimensions"));
}

TEST_CASE("embeddings response: floats pass as OpenAI's list", "[embeddings]") {
    ResponseContext ctx;
    ctx.op = NX_OP_EMBEDDINGS;
    auto d = parse(parse_upstream_response(ctx, 200, Headers{}.view(), kResponse));
    CHECK(s(d["object"]) == "list");
    CHECK_FALSE(d.HasMember("id"));
    CHECK(s(d["model"]) == "mistral-embed");
    REQUIRE(d["data"].Size() == 2);
    CHECK(d["data"][0]["embedding"][1].GetDouble() == 0.07012939453125);
    CHECK(d["data"][1]["index"].GetInt() == 1);
    CHECK(d["usage"]["prompt_tokens"].GetInt() == 15);
    CHECK(d["usage"]["total_tokens"].GetInt() == 15);
    CHECK_FALSE(d["usage"].HasMember("completion_tokens"));
}

TEST_CASE("embeddings response: base64 is little-endian float32 that decodes to the same vector", "[embeddings]") {
    ResponseContext ctx;
    ctx.op = NX_OP_EMBEDDINGS;
    ctx.embeddings_base64 = true;
    auto d = parse(parse_upstream_response(ctx, 200, Headers{}.view(), kResponse));
    auto v0 = decode_float32_base64(s(d["data"][0]["embedding"]));
    REQUIRE(v0.size() == 4);
    CHECK(v0[0] == -0.0165863037109375f);
    CHECK(v0[1] == 0.07012939453125f);
    CHECK(v0[2] == 0.031494140625f);
    CHECK(v0[3] == static_cast<float>(-1.5e-7));
    // 0.5 = 0x3F000000, -0.25 = 0xBE800000, 1 = 0x3F800000, 0: bytes 00 00 00 3F 00 00 80 BE 00 00 80 3F 00 00 00 00
    CHECK(s(d["data"][1]["embedding"]) == "AAAAPwAAgL4AAIA/AAAAAA==");
}

TEST_CASE("embeddings: base64 helper and request sniffing", "[embeddings]") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foo") == "Zm9v");
    CHECK(base64_encode("foobar") == "Zm9vYmFy");
    CHECK(wants_base64(R"({"model":"m","input":"x","encoding_format":"base64"})"));
    CHECK_FALSE(wants_base64(R"({"model":"m","input":"base64","encoding_format":"float"})"));
    CHECK_FALSE(wants_base64(R"({"model":"m","input":"x"})"));
}

TEST_CASE("embeddings response: wrong shapes are protocol errors", "[embeddings]") {
    ResponseContext ctx;
    ctx.op = NX_OP_EMBEDDINGS;
    ctx.embeddings_base64 = true;
    for (const char* body : {R"({"object":"list"})", R"({"data":[{"embedding":"x"}]})", R"({"data":[{"embedding":[1,"a"]}]})", "nope"}) {
        INFO(body);
        CHECK(thrown<UpstreamError>([&] { parse_upstream_response(ctx, 200, Headers{}.view(), body); }).error_class() == NX_EC_PROTOCOL);
    }
}
