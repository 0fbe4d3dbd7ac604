#include "retry_hint.hpp"
#include "test_support.hpp"

using nexus::openai::parse_duration_ms;
using nexus::openai::parse_http_date_ms;
using nexus::openai::retry_after_ms;
using openai_test::Headers;

TEST_CASE("Go-style durations from x-ratelimit-reset-*", "[retry]") {
    CHECK(parse_duration_ms("1s") == 1000);
    CHECK(parse_duration_ms("6m0s") == 360000);
    CHECK(parse_duration_ms("20ms") == 20);
    CHECK(parse_duration_ms("2.018s") == 2018);
    CHECK(parse_duration_ms("1h2m3.5s") == 3723500);
    CHECK(parse_duration_ms("0s") == 0);
    CHECK(parse_duration_ms("0") == 0);
    CHECK(parse_duration_ms("150us") == 1);  // rounded up: never "retry at once" for a real wait
    CHECK(parse_duration_ms("500\xC2\xB5s") == 1);
    CHECK(parse_duration_ms(" 7s ") == 7000);
    CHECK_FALSE(parse_duration_ms(""));
    CHECK_FALSE(parse_duration_ms("s"));
    CHECK_FALSE(parse_duration_ms("5"));
    CHECK_FALSE(parse_duration_ms("5d"));
    CHECK_FALSE(parse_duration_ms("-1s"));
    CHECK_FALSE(parse_duration_ms("1.2.3s"));
}

TEST_CASE("HTTP dates in all three RFC 9110 forms", "[retry]") {
    const int64_t expected = 784111777000;  // 1994-11-06T08:49:37Z
    CHECK(parse_http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT") == expected);
    CHECK(parse_http_date_ms("Sunday, 06-Nov-94 08:49:37 GMT") == expected);
    CHECK(parse_http_date_ms("Sun Nov  6 08:49:37 1994") == expected);
    CHECK(parse_http_date_ms("Thu, 01 Jan 1970 00:00:00 GMT") == 0);
    CHECK(parse_http_date_ms("Tue, 29 Feb 2028 23:59:59 GMT") == 1835481599000);
    CHECK_FALSE(parse_http_date_ms("tomorrow"));
    CHECK_FALSE(parse_http_date_ms("Sun, 06 Nov 1994 08:49:37 +0200"));
    CHECK_FALSE(parse_http_date_ms("Sun, 32 Nov 1994 08:49:37 GMT"));
    CHECK_FALSE(parse_http_date_ms("Sun, 06 Nov 1994 25:49:37 GMT"));
    CHECK_FALSE(parse_http_date_ms("Sun, 06 Foo 1994 08:49:37 GMT"));
    CHECK_FALSE(parse_http_date_ms(""));
}

TEST_CASE("retry-after precedence", "[retry]") {
    const int64_t now = 784111777000;
    CHECK(retry_after_ms(Headers{}.view(), 429, "", now) == -1);
    CHECK(retry_after_ms(Headers{{"retry-after-ms", "250.5"}}.view(), 429, "", now) == 251);
    CHECK(retry_after_ms(Headers{{"retry-after-ms", "x"}, {"retry-after", "2"}}.view(), 503, "", now) == 2000);
    CHECK(retry_after_ms(Headers{{"retry-after", "1.5"}}.view(), 503, "", now) == 1500);
    CHECK(retry_after_ms(Headers{{"retry-after", "Sun, 06 Nov 1994 08:49:47 GMT"}}.view(), 429, "", now) == 10000);
    CHECK(retry_after_ms(Headers{{"x-ratelimit-reset-tokens", "1s"}}.view(), 429, "tokens", now) == 1000);
    CHECK(retry_after_ms(Headers{{"x-ratelimit-reset-tokens", "1s"}}.view(), 429, "requests", now) == 1000);
    CHECK(retry_after_ms(Headers{{"x-ratelimit-reset-tokens", "1s"}}.view(), 503, "", now) == -1);
}
