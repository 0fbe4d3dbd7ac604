#include "error_classifier.hpp"
#include "response_parser.hpp"
#include "test_support.hpp"

using nexus::ollama::parse_upstream_response;
using nexus::ollama::ResponseContext;
using nexus::sdk::UpstreamError;
using ollama_test::Headers;
using ollama_test::thrown;

namespace {

UpstreamError http_error(int status, const std::string& body, const Headers& h = {}, const std::string& key = "") {
    ResponseContext ctx;
    ctx.op = NX_OP_CHAT;
    ctx.model = "llama9";
    ctx.api_key = key;
    return thrown<UpstreamError>([&] { parse_upstream_response(ctx, status, h.view(), body); });
}

}  // namespace

TEST_CASE("ollama errors: {\"error\"} bodies by status", "[errors]") {
    auto e = http_error(404, R"({"error":"model 'llama9' not found, try pulling it first"})");
    CHECK(e.error_class() == NX_EC_NOT_FOUND);
    CHECK(e.upstream_status() == 404);
    CHECK_THAT(e.what(), Catch::StartsWith("model 'llama9' not found, try pulling it first") && Catch::Contains("nexus models pull llama9"));

    e = http_error(400, R"({"error":"invalid options: foo"})");
    CHECK(e.error_class() == NX_EC_INVALID_REQUEST);
    CHECK(std::string(e.what()) == "invalid options: foo");

    e = http_error(400, R"({"error":"prompt is too long for the model's context length"})");
    CHECK(e.error_class() == NX_EC_CONTEXT_LENGTH);

    e = http_error(500, R"({"error":"llama runner process has terminated: signal: killed"})");
    CHECK(e.error_class() == NX_EC_SERVER);
    CHECK(e.retry_after_ms() == -1);

    e = http_error(503, R"({"error":"server busy, please try again.  maximum pending requests exceeded"})", Headers{{"Retry-After", "2"}});
    CHECK(e.error_class() == NX_EC_OVERLOADED);
    CHECK(e.retry_after_ms() == 2000);

    e = http_error(429, R"({"error":"too many requests"})", Headers{{"retry-after", "1"}});
    CHECK(e.error_class() == NX_EC_RATE_LIMITED);
    CHECK(e.retry_after_ms() == 1000);

    e = http_error(401, R"({"error":"unauthorized"})");
    CHECK(e.error_class() == NX_EC_AUTHENTICATION);

    e = http_error(502, "Bad Gateway");
    CHECK(e.error_class() == NX_EC_SERVER);
    CHECK(std::string(e.what()) == "Ollama returned HTTP 502: Bad Gateway");
}

TEST_CASE("ollama errors: the key is masked", "[errors]") {
    auto e = http_error(401, R"({"error":"invalid key 0123456789abcdef.XYZ"})", {}, "0123456789abcdef.XYZ");
    CHECK(std::string(e.what()) == "invalid key ***");
}
