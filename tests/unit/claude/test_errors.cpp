#include "error_classifier.hpp"
#include "response_parser.hpp"
#include "retry_hint.hpp"
#include "test_support.hpp"
#include "time_util.hpp"

using nexus::claude::parse_upstream_response;
using nexus::claude::retry_after_ms;
using nexus::sdk::UpstreamError;
using claude_test::Headers;

namespace {

constexpr int64_t kNow = 1735689600000;  // 2025-01-01T00:00:00Z

std::string anthropic_error(const char* type, const char* message) {
    return std::string(R"({"type":"error","error":{"type":")") + type + R"(","message":")" + message +
           R"("},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"})";
}

UpstreamError error_for(int status, const std::string& body, const Headers& h = Headers{},
                        std::string_view key = "sk-ant-api03-abcdefghijklmnop") {
    try {
        parse_upstream_response(NX_OP_CHAT, status, h.view(), body, key, kNow);
    } catch (const UpstreamError& e) {
        return e;
    }
    FAIL("no UpstreamError for HTTP " << status);
    throw;
}

}  // namespace

TEST_CASE("errors: every documented status is classified", "[errors]") {
    struct Case {
        int status;
        const char* type;
        const char* message;
        nx_error_class cls;
    };
    const Case cases[] = {
        {400, "invalid_request_error", "messages: roles must alternate between \\\"user\\\" and \\\"assistant\\\"", NX_EC_INVALID_REQUEST},
        {400, "invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum", NX_EC_CONTEXT_LENGTH},
        {400, "invalid_request_error", "input length and `max_tokens` exceed context limit: 197202 + 21333 > 200000, decrease input length or `max_tokens` and try again", NX_EC_CONTEXT_LENGTH},
        {400, "invalid_request_error", "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.", NX_EC_QUOTA_EXHAUSTED},
        {401, "authentication_error", "invalid x-api-key", NX_EC_AUTHENTICATION},
        {402, "billing_error", "Payment required", NX_EC_QUOTA_EXHAUSTED},
        {403, "permission_error", "Your API key does not have permission to use the specified resource.", NX_EC_PERMISSION},
        {404, "not_found_error", "model: claude-3-opus-latest", NX_EC_NOT_FOUND},
        {409, "conflict_error", "Conflict", NX_EC_SERVER},
        {413, "request_too_large", "Request exceeds the maximum allowed number of bytes.", NX_EC_INVALID_REQUEST},
        {429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", NX_EC_RATE_LIMITED},
        {500, "api_error", "Internal server error", NX_EC_SERVER},
        {504, "timeout_error", "Request timeout", NX_EC_TIMEOUT},
        {529, "overloaded_error", "Overloaded", NX_EC_OVERLOADED},
    };
    for (const auto& c : cases) {
        INFO(c.status << " " << c.message);
        UpstreamError e = error_for(c.status, anthropic_error(c.type, c.message));
        CHECK(e.error_class() == c.cls);
        CHECK(e.upstream_status() == c.status);
        CHECK(e.retry_after_ms() == -1);
    }
    CHECK(std::string(error_for(529, anthropic_error("overloaded_error", "Overloaded")).what()) == "Overloaded");
}

TEST_CASE("errors: 429 with retry-after is a retryable rate limit", "[errors]") {
    Headers h{{"retry-after", "1"}, {"anthropic-ratelimit-requests-limit", "50"}, {"anthropic-ratelimit-requests-remaining", "0"},
              {"anthropic-ratelimit-requests-reset", "2025-01-01T00:00:30Z"}};
    UpstreamError e = error_for(429, anthropic_error("rate_limit_error", "This request would exceed the rate limit for your organization of 50 requests per minute."), h);
    CHECK(e.error_class() == NX_EC_RATE_LIMITED);
    CHECK(e.retry_after_ms() == 1000);
}

TEST_CASE("errors: a spend-limit 429 without retry-after is quota exhausted", "[errors]") {
    const std::string body = R"({"type":"error","error":{"type":"rate_limit_error","message":"You have reached your organization's monthly spend limit.",
        "details":{"error_code":"enforced_spend_limit_reached"}},"request_id":"req_1"})";
    UpstreamError e = error_for(429, body);
    CHECK(e.error_class() == NX_EC_QUOTA_EXHAUSTED);
    CHECK(e.retry_after_ms() == -1);
    UpstreamError by_message = error_for(429, anthropic_error("rate_limit_error", "Your workspace has reached its spend limit."));
    CHECK(by_message.error_class() == NX_EC_QUOTA_EXHAUSTED);
}

TEST_CASE("errors: retry hints from the reset headers", "[errors]") {
    // No retry-after: the exhausted limit's reset time, relative to now.
    Headers tokens{{"anthropic-ratelimit-requests-remaining", "12"}, {"anthropic-ratelimit-requests-reset", "2025-01-01T00:00:05Z"},
                   {"anthropic-ratelimit-input-tokens-remaining", "0"}, {"anthropic-ratelimit-input-tokens-reset", "2025-01-01T00:00:42.5Z"},
                   {"anthropic-ratelimit-output-tokens-remaining", "0"}, {"anthropic-ratelimit-output-tokens-reset", "2025-01-01T01:00:12+01:00"}};
    UpstreamError e = error_for(429, anthropic_error("rate_limit_error", "Output tokens per minute exceeded"), tokens);
    CHECK(e.error_class() == NX_EC_RATE_LIMITED);
    CHECK(e.retry_after_ms() == 42500);

    Headers none_exhausted{{"anthropic-ratelimit-requests-reset", "2025-01-01T00:00:03Z"}, {"anthropic-ratelimit-tokens-reset", "2025-01-01T00:00:09Z"}};
    CHECK(retry_after_ms(none_exhausted.view(), 429, kNow) == 9000);
    CHECK(retry_after_ms(none_exhausted.view(), 500, kNow) == -1);  // reset headers ride on every response
    Headers past{{"anthropic-ratelimit-requests-remaining", "0"}, {"anthropic-ratelimit-requests-reset", "2024-12-31T23:59:00Z"}};
    CHECK(retry_after_ms(past.view(), 429, kNow) == 0);
    Headers ms{{"retry-after-ms", "250"}, {"retry-after", "3"}};
    CHECK(retry_after_ms(ms.view(), 529, kNow) == 250);
    Headers date{{"retry-after", "Wed, 01 Jan 2025 00:00:07 GMT"}};
    CHECK(retry_after_ms(date.view(), 503, kNow) == 7000);
    Headers junk{{"retry-after", "soon"}, {"anthropic-ratelimit-requests-reset", "tomorrow"}};
    CHECK(retry_after_ms(junk.view(), 429, kNow) == -1);
    Headers overloaded{{"retry-after", "10"}};
    UpstreamError o = error_for(529, anthropic_error("overloaded_error", "Overloaded"), overloaded);
    CHECK(o.error_class() == NX_EC_OVERLOADED);
    CHECK(o.retry_after_ms() == 10000);
}

TEST_CASE("errors: non-JSON bodies and secrets", "[errors]") {
    UpstreamError html = error_for(502, "<html><body>502 Bad Gateway</body></html>");
    CHECK(html.error_class() == NX_EC_SERVER);
    CHECK(std::string(html.what()) == "upstream returned HTTP 502: <html><body>502 Bad Gateway</body></html>");
    UpstreamError gateway_timeout = error_for(504, "");
    CHECK(gateway_timeout.error_class() == NX_EC_TIMEOUT);
    UpstreamError other = error_for(418, "");
    CHECK(other.error_class() == NX_EC_INVALID_REQUEST);

    UpstreamError leak = error_for(401, anthropic_error("authentication_error", "invalid x-api-key sk-ant-api03-abcdefghijklmnop and sk-ant-admin01-zzzz"));
    std::string msg = leak.what();
    CHECK(msg.find("abcdefghijklmnop") == std::string::npos);
    CHECK(msg.find("zzzz") == std::string::npos);
    CHECK(msg == "invalid x-api-key *** and sk-ant-***");
}

TEST_CASE("time: RFC 3339 and IMF-fixdate", "[errors]") {
    using nexus::claude::parse_imf_fixdate_ms;
    using nexus::claude::parse_rfc3339_ms;
    CHECK(parse_rfc3339_ms("2025-01-01T00:00:00Z") == kNow);
    CHECK(parse_rfc3339_ms("2025-01-01T00:00:00.123456Z") == kNow + 123);
    CHECK(parse_rfc3339_ms("2025-01-01T02:00:00+02:00") == kNow);
    CHECK(parse_rfc3339_ms("2024-12-31T19:00:00-05:00") == kNow);
    CHECK(!parse_rfc3339_ms("2025-01-01"));
    CHECK(!parse_rfc3339_ms("2025-01-01T00:00:00"));
    CHECK(!parse_rfc3339_ms("2025-13-01T00:00:00Z"));
    CHECK(parse_imf_fixdate_ms("Wed, 01 Jan 2025 00:00:00 GMT") == kNow);
    CHECK(!parse_imf_fixdate_ms("Wednesday, 01-Jan-25 00:00:00 GMT"));
}
