#include "limits_config.hpp"
#include "nexus/nexus.hpp"
#include "tokens.hpp"
#include "verdict.hpp"
#include "window.hpp"

#include <catch2/catch.hpp>

using namespace nexus::ratelimit;

namespace {

std::string config_error(const std::string& json) {
    try {
        read_limits(json);
    } catch (const nexus::sdk::Error& e) {
        CHECK(e.status() == NX_ERR_INVALID);
        return e.what();
    }
    FAIL("config accepted: " << json);
    return {};
}

std::string header(const Verdict& v, const std::string& name) {
    for (const auto& [k, val] : v.headers)
        if (k == name) return val;
    return "<absent>";
}

const Subject kTeamA{"key_id", "team-a", "virtual key 'team-a'"};

}  // namespace

TEST_CASE("config: defaults and fields", "[config]") {
    Limits l = read_limits(R"({"rpm": 600})");
    CHECK(l.rpm == 600);
    CHECK(l.tpm == 0);
    CHECK(l.key == Dimension::virtual_key);
    CHECK(l.window_ms == 60'000);
    CHECK_FALSE(l.fail_open);

    l = read_limits(R"({"tpm": 200000, "key": "client_ip", "window": "5m", "on_store_error": "fail_open"})");
    CHECK(l.rpm == 0);
    CHECK(l.tpm == 200000);
    CHECK(l.key == Dimension::client_ip);
    CHECK(l.window_ms == 300'000);
    CHECK(l.fail_open);
    CHECK(read_limits(R"({"rpm": 1, "key": "model", "window": 10})").window_ms == 10'000);
    CHECK(read_limits(R"({"rpm": 1, "key": "route"})").key == Dimension::route);
}

TEST_CASE("config: errors name the field", "[config]") {
    CHECK(config_error("{}") == "ratelimit: set 'rpm' (requests per window), 'tpm' (tokens per window) or both");
    CHECK(config_error(R"({"rpm": 0})") == "ratelimit: 'rpm': expected an integer from 1 to 1125899906842624, found the number 0");
    CHECK(config_error(R"({"rpm": "ten"})") ==
          "ratelimit: 'rpm': expected an integer from 1 to 1125899906842624, found a string \"ten\"");
    CHECK(config_error(R"({"rpm": 1.5})") ==
          "ratelimit: 'rpm': expected an integer from 1 to 1125899906842624, found the number 1.5");
    CHECK(config_error(R"({"rpm": 5, "key": "user"})") ==
          "ratelimit: 'key': expected virtual_key, model, route or client_ip, found a string \"user\"");
    CHECK(config_error(R"({"rpm": 5, "window": "1500ms"})") ==
          "ratelimit: 'window': expected a whole number of seconds, found a string \"1500ms\"");
    CHECK(config_error(R"({"rpm": 5, "window": "0s"})") ==
          "ratelimit: 'window': expected a duration of at least 1s, found a string \"0s\"");
    CHECK(config_error(R"({"rpm": 5, "window": "a minute"})") ==
          "ratelimit: 'window': expected a duration such as 300s, 5m or a number of seconds, found a string \"a minute\"");
    CHECK(config_error(R"({"rpm": 5, "on_store_error": "ignore"})") ==
          "ratelimit: 'on_store_error': expected fail_open or fail_closed, found a string \"ignore\"");
    CHECK(config_error(R"({"rmp": 5})") ==
          "ratelimit: unknown setting 'rmp' (known: rpm, tpm, key, window, on_store_error)");
    CHECK(config_error("[]") == "ratelimit: expected a mapping of settings, found a list");
}

TEST_CASE("window: fixed, aligned to unix time", "[window]") {
    Window w = window_at(125'500, 60'000);
    CHECK(w.start_ms == 120'000);
    CHECK(w.end_ms == 180'000);
    CHECK(seconds_left(w, 125'500) == 55);  // 54.5s, rounded up
    CHECK(seconds_left(w, 179'999) == 1);
    CHECK(seconds_left(w, 120'000) == 60);
    CHECK(seconds_left(w, 180'000) == 1);  // never 0: Retry-After 0 would invite a hot loop
    Window next = window_at(180'000, 60'000);
    CHECK(next.start_ms == 180'000);
    Window hour = window_at(1'700'000'123'456, 3'600'000);
    CHECK(hour.start_ms == 1'699'999'200'000);
}

TEST_CASE("subject: virtual key falls back to the client address", "[window]") {
    Subject s = subject_for(Dimension::virtual_key, "team-a", "gpt-test", "gpt-test", "10.0.0.7");
    CHECK(s.dimension == "key_id");
    CHECK(s.value == "team-a");
    CHECK(s.description == "virtual key 'team-a'");
    s = subject_for(Dimension::virtual_key, "", "gpt-test", "gpt-test", "10.0.0.7");
    CHECK(s.dimension == "client_ip");
    CHECK(s.value == "10.0.0.7");
    CHECK(s.description == "client 10.0.0.7");
    CHECK(subject_for(Dimension::model, "k", "gpt-test", "r", "ip").description == "model 'gpt-test'");
    CHECK(subject_for(Dimension::route, "k", "m", "smart", "ip").value == "smart");
    CHECK(subject_for(Dimension::client_ip, "k", "m", "r", "::1").value == "::1");
}

TEST_CASE("counter keys: window and subject, nothing host-specific", "[window]") {
    Window w = window_at(125'500, 60'000);
    CHECK(counter_key("req", w, kTeamA) == "rl:req:60:120:key_id:team-a");
    CHECK(counter_key("tok", w, Subject{"client_ip", "::1", ""}) == "rl:tok:60:120:client_ip:::1");
}

TEST_CASE("verdict: requests within and over the limit", "[verdict]") {
    Limits l;
    l.rpm = 3;
    Window w = window_at(125'500, 60'000);
    Verdict ok = decide(l, Counts{3, std::nullopt, 0}, w, 125'500, kTeamA);
    CHECK(ok.allowed);
    CHECK(header(ok, "x-ratelimit-limit-requests") == "3");
    CHECK(header(ok, "x-ratelimit-remaining-requests") == "0");
    CHECK(header(ok, "x-ratelimit-reset-requests") == "55s");
    CHECK(header(ok, "Retry-After") == "<absent>");
    CHECK(header(ok, "x-ratelimit-limit-tokens") == "<absent>");

    Verdict no = decide(l, Counts{4, std::nullopt, 0}, w, 125'500, kTeamA);
    CHECK_FALSE(no.allowed);
    CHECK(no.message == "Rate limit reached for virtual key 'team-a': 3 requests per 60s. Retry in 55s.");
    CHECK(header(no, "Retry-After") == "55");
    CHECK(header(no, "x-ratelimit-remaining-requests") == "0");
}

TEST_CASE("verdict: tokens, and a request larger than the whole limit", "[verdict]") {
    Limits l;
    l.rpm = 100;
    l.tpm = 1000;
    Window w = window_at(0, 60'000);
    Verdict ok = decide(l, Counts{1, 400, 400}, w, 30'000, kTeamA);
    CHECK(ok.allowed);
    CHECK(header(ok, "x-ratelimit-remaining-requests") == "99");
    CHECK(header(ok, "x-ratelimit-limit-tokens") == "1000");
    CHECK(header(ok, "x-ratelimit-remaining-tokens") == "600");
    CHECK(header(ok, "x-ratelimit-reset-tokens") == "30s");

    Verdict over = decide(l, Counts{2, 1200, 400}, w, 30'000, kTeamA);
    CHECK_FALSE(over.allowed);
    CHECK(over.message == "Rate limit reached for virtual key 'team-a': 1000 tokens per 60s. Retry in 30s.");
    CHECK(header(over, "x-ratelimit-remaining-tokens") == "0");
    CHECK(header(over, "Retry-After") == "30");

    Verdict huge = decide(l, Counts{1, 5000, 5000}, w, 30'000, kTeamA);
    CHECK_FALSE(huge.allowed);
    CHECK(huge.message == "Request too large for virtual key 'team-a': about 5000 tokens, over the limit of 1000 tokens per 60s.");

    Verdict both = decide(l, Counts{101, 5000, 400}, w, 30'000, kTeamA);
    CHECK(both.message.find("100 requests per 60s") != std::string::npos);  // the request limit is named first
}

TEST_CASE("tokens: estimate, settlement, reservation attr", "[tokens]") {
    CHECK(estimate_tokens(0) == 1);
    CHECK(estimate_tokens(4) == 1);
    CHECK(estimate_tokens(5) == 2);
    CHECK(estimate_tokens(4000) == 1000);

    CHECK(settle_delta(100, Outcome{false, 1, 80, 50}) == 30);
    CHECK(settle_delta(100, Outcome{false, 1, 80, -1}) == -20);
    CHECK(settle_delta(100, Outcome{false, 2, -1, -1}) == 0);   // usage unknown: the estimate stands
    CHECK(settle_delta(100, Outcome{false, 0, -1, -1}) == -100);  // never reached an upstream
    CHECK(settle_delta(100, Outcome{true, 0, 80, 50}) == -100);   // served from a cache

    CHECK(reservation_attr(42, "rl:tok:60:120:key_id:a b") == "42 rl:tok:60:120:key_id:a b");
    auto r = parse_reservation("42 rl:tok:60:120:key_id:a b");
    REQUIRE(r);
    CHECK(r->tokens == 42);
    CHECK(r->key == "rl:tok:60:120:key_id:a b");
    CHECK_FALSE(parse_reservation("x rl:tok"));
    CHECK_FALSE(parse_reservation("42"));
    CHECK_FALSE(parse_reservation("42 "));
}
