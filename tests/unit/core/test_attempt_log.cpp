#include "core/attempt_log.hpp"

#include <catch2/catch.hpp>

using nexus::core::AttemptLog;
using namespace std::chrono_literals;

TEST_CASE("attempt log: each attempt with its outcome, upstream status and duration, as compact JSON") {
    AttemptLog log;
    CHECK(log.json() == "[]");
    auto t0 = AttemptLog::Clock::now();
    log.begin("openai", "gpt-4o", t0);
    log.end("rate_limited", 429, t0 + 12345us);
    log.end("ok", 200, t0 + 99ms);  // no attempt open: ignored
    log.begin("backup \"b\"", "m", t0 + 20ms);
    log.end("network", 0, t0 + 20ms + 7us);
    log.begin("openai", "gpt-4o-mini", t0 + 30ms);
    log.end("ok", 200, t0 + 1030ms);
    CHECK(log.size() == 3);
    CHECK(log.json() ==
          R"([{"provider":"openai","model":"gpt-4o","outcome":"rate_limited","status":429,"ms":12.345},)"
          R"({"provider":"backup \"b\"","model":"m","outcome":"network","status":0,"ms":0.007},)"
          R"({"provider":"openai","model":"gpt-4o-mini","outcome":"ok","status":200,"ms":1000.000}])");
}

TEST_CASE("attempt log: an attempt still open reads as unfinished, timed until now") {
    AttemptLog log;
    auto t0 = AttemptLog::Clock::now();
    log.begin("p", "m", t0);
    CHECK(log.json(t0 + 2500us) == R"([{"provider":"p","model":"m","outcome":"unfinished","status":0,"ms":2.500}])");
}
