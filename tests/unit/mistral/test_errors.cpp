#include "error_classifier.hpp"
#include "response_parser.hpp"
#include "retry_hint.hpp"
#include "test_support.hpp"

using nexus::mistral::classify_http_error;
using nexus::mistral::parse_imf_fixdate_ms;
using nexus::mistral::parse_upstream_response;
using nexus::mistral::ResponseContext;
using nexus::mistral::retry_after_ms;
using nexus::sdk::UpstreamError;
using mistral_test::Headers;
using mistral_test::thrown;

namespace {

const int64_t kNow = 784111777000;  // Sun, 06 Nov 1994 08:49:37 GMT

UpstreamError http_error(int status, const std::string& body, const Headers& h = {}, const std::string& key = "") {
    return classify_http_error(status, h.view(), body, key, kNow);
}

}  // namespace

TEST_CASE("errors: the 422 validation shapes all read as 'loc: msg'", "[errors]") {
    // As quoted in public bug reports (eca#231, mistral-go#2, php-mistral#76, platform-docs#7).
    const std::string object_form =
        R"({"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","max_completion_tokens"],"msg":"Extra inputs are not permitted","input":32000}]},"type":"invalid_request_error","param":null,"code":null})";
    const std::string two_items =
        R"({"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","messages",0,"user","name"],"msg":"Extra inputs are not permitted","input":""},{"type":"extra_forbidden","loc":["body","messages",0,"user","tool_calls"],"msg":"Extra inputs are not permitted","input":null}]},"type":"invalid_request_error","param":null,"code":null})";
    const std::string string_form =
        R"({"object":"error","message":"{\"detail\":[{\"type\":\"extra_forbidden\",\"loc\":[\"body\",\"frequency_penalty\"],\"msg\":\"Extra inputs are not permitted\",\"input\":0.0}]}","type":"internal_error_proxy","param":null,"code":"1000"})";
    const std::string detail_form =
        R"({"object":"Error","detail":[{"type":"extra_forbidden","loc":["body","tools"],"msg":"Extra inputs are not permitted","input":[]}],"message":[{"type":"extra_forbidden","loc":["body","tools"],"msg":"Extra inputs are not permitted","input":[]}],"type":"invalid_request_error","code":3001})";

    auto e = http_error(422, object_form);
    CHECK(e.error_class() == NX_EC_INVALID_REQUEST);
    CHECK(e.upstream_status() == 422);
    CHECK(e.retry_after_ms() == -1);
    CHECK(std::string(e.what()) == "body.max_completion_tokens: Extra inputs are not permitted");
    CHECK(std::string(http_error(422, two_items).what()) ==
          "body.messages.0.user.name: Extra inputs are not permitted; body.messages.0.user.tool_calls: Extra inputs are not permitted");
    CHECK(std::string(http_error(422, string_form).what()) == "body.frequency_penalty: Extra inputs are not permitted");
    CHECK(std::string(http_error(422, detail_form).what()) == "body.tools: Extra inputs are not permitted");
}

TEST_CASE("errors: 429 with Retry-After is rate limited; a spent monthly budget is quota", "[errors]") {
    const std::string body = R"({"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300","raw_status_code":429})";
    auto e = http_error(429, body, Headers{{"Retry-After", "1"}, {"x-ratelimit-remaining-req-minute", "0"}});
    CHECK(e.error_class() == NX_EC_RATE_LIMITED);
    CHECK(e.retry_after_ms() == 1000);
    CHECK(std::string(e.what()) == "Rate limit exceeded");

    e = http_error(429, R"({"message":"Requests rate limit exceeded"})", Headers{{"x-ratelimit-reset-req-minute", "12"}});
    CHECK(e.error_class() == NX_EC_RATE_LIMITED);
    CHECK(e.retry_after_ms() == 12000);
    CHECK(std::string(e.what()) == "Requests rate limit exceeded");

    e = http_error(429, body, Headers{{"retry-after", "30"}, {"x-ratelimit-remaining-tokens-month", "0"}});
    CHECK(e.error_class() == NX_EC_QUOTA_EXHAUSTED);
    CHECK(e.retry_after_ms() == -1);

    CHECK(http_error(429, body).retry_after_ms() == -1);
}

TEST_CASE("errors: status classes", "[errors]") {
    struct Case {
        int status;
        const char* body;
        nx_error_class cls;
        const char* message;
    };
    const Case cases[] = {
        {401, R"({"detail":"Unauthorized"})", NX_EC_AUTHENTICATION, "Unauthorized"},
        {401, R"({"message":"Unauthorized","request_id":"1b5c1a0e"})", NX_EC_AUTHENTICATION, "Unauthorized"},
        {403, R"({"object":"error","message":"Forbidden","type":"forbidden"})", NX_EC_PERMISSION, "Forbidden"},
        {404, R"({"object":"error","message":"Invalid model: mistral-huge","type":"invalid_model","param":null,"code":"1500"})", NX_EC_NOT_FOUND,
         "Invalid model: mistral-huge"},
        {400, R"({"object":"error","message":"Tool call id was call_98660886 but must be a-z, A-Z, 0-9, with a length of 9.","type":"invalid_function_call","param":null,"code":"3280"})",
         NX_EC_INVALID_REQUEST, "Tool call id was call_98660886"},
        {400, R"({"object":"error","message":"Prompt contains 40000 tokens and 0 draft tokens, too large for model with 32768 maximum context length","type":"invalid_request_error","param":null,"code":null})",
         NX_EC_CONTEXT_LENGTH, "too large for model"},
        {500, R"({"object":"error","message":"Internal server error","type":"internal_server_error","param":null,"code":"3000"})", NX_EC_SERVER,
         "Internal server error"},
        {502, "<html><body>Bad gateway</body></html>", NX_EC_SERVER, "Mistral returned HTTP 502: <html><body>Bad gateway"},
        {503, R"({"object":"error","message":"Service unavailable.","type":"service_unavailable"})", NX_EC_OVERLOADED, "Service unavailable."},
        {504, "", NX_EC_TIMEOUT, "Mistral returned HTTP 504"},
        {418, "{}", NX_EC_INVALID_REQUEST, "Mistral returned HTTP 418: {}"},
    };
    for (const auto& c : cases) {
        INFO(c.status << " " << c.body);
        auto e = http_error(c.status, c.body);
        CHECK(e.error_class() == c.cls);
        CHECK(e.upstream_status() == c.status);
        CHECK_THAT(e.what(), Catch::Contains(c.message));
    }
}

TEST_CASE("errors: the API key never appears in a message", "[errors]") {
    const std::string key = "qN7h6rEWlmjs5iL67Y4rtladP3P76C2t";
    auto e = http_error(401, R"({"message":"Invalid key qN7h6rEWlmjs5iL67Y4rtladP3P76C2t"})", {}, key);
    CHECK(std::string(e.what()) == "Invalid key ***");
}

TEST_CASE("errors: parse_response classifies non-2xx", "[errors]") {
    ResponseContext ctx;
    ctx.op = NX_OP_CHAT;
    ctx.now_unix_ms = kNow;
    auto e = thrown<UpstreamError>([&] {
        parse_upstream_response(ctx, 429, Headers{{"retry-after", "Sun, 06 Nov 1994 08:49:39 GMT"}}.view(), R"({"message":"slow down"})");
    });
    CHECK(e.error_class() == NX_EC_RATE_LIMITED);
    CHECK(e.retry_after_ms() == 2000);
}

TEST_CASE("retry hint: header forms", "[errors]") {
    CHECK(retry_after_ms(Headers{{"retry-after-ms", "250.5"}, {"retry-after", "9"}}.view(), 429, kNow) == 251);
    CHECK(retry_after_ms(Headers{{"retry-after", "0.5"}}.view(), 503, kNow) == 500);
    CHECK(retry_after_ms(Headers{{"retry-after", "soon"}}.view(), 429, kNow) == -1);
    CHECK(retry_after_ms(Headers{{"retry-after", "Sun, 06 Nov 1994 08:49:30 GMT"}}.view(), 429, kNow) == 0);  // in the past
    CHECK(retry_after_ms(Headers{{"x-ratelimit-reset-tokens-minute", "7"}}.view(), 500, kNow) == -1);         // only for 429
    CHECK(parse_imf_fixdate_ms("Sun, 06 Nov 1994 08:49:37 GMT") == kNow);
    CHECK_FALSE(parse_imf_fixdate_ms("Sunday, 06-Nov-94 08:49:37 GMT"));
    CHECK_FALSE(parse_imf_fixdate_ms("Sun, 06 Foo 1994 08:49:37 GMT"));
}
