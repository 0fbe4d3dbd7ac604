#include "capture.hpp"
#include "hash_chain.hpp"
#include "record.hpp"
#include "test_support.hpp"

#include "nexus/nexus.h"

#include <catch2/catch.hpp>

using namespace nexus::audit;
using namespace nexus::audit::test;

namespace {
// Made by independent implementations of FORMAT.md: version 1 (count of attempts) and the
// current version 2 (testdata/make_chain_vector_v2.py).
const std::string kVectorV1 = std::string(NEXUS_SOURCE_DIR) + "/middleware/audit/testdata/chain_vector.jsonl";
const std::string kVector = std::string(NEXUS_SOURCE_DIR) + "/middleware/audit/testdata/chain_vector_v2.jsonl";

Attempt attempt(std::string provider, std::string model, std::string outcome, int32_t status, double ms) {
    Attempt a;
    a.provider = std::move(provider);
    a.model = std::move(model);
    a.outcome = std::move(outcome);
    a.status = status;
    a.ms = ms;
    return a;
}

RecordInput vector_record_1() {
    RecordInput r;
    r.time_ms = 1735787045678;  // 2025-01-02T03:04:05.678Z
    r.request_id = "req_vector_1";
    r.key_id = "team-a";
    r.client_ip = "127.0.0.1";
    r.ingress = "openai";
    r.route = "gpt-test";
    r.model = "gpt-test";
    r.provider = "openai";
    r.upstream_model = "gpt-4o-mini";
    r.outcome = "ok";
    r.status = 200;
    r.prompt_tokens = 12;
    r.completion_tokens = 5;
    r.cached_tokens = 0;
    r.latency_us = 12500;
    r.upstream_latency_us = 10250;
    r.attempts = {attempt("openai", "gpt-4o-mini", "ok", 200, 10.25)};
    r.redactions = 1;
    r.prompt = CapturedText{{"mail [EMAIL]"}, false};
    r.response = CapturedText{{"You said: mail [EMAIL]"}, false};
    return r;
}
}  // namespace

TEST_CASE("RFC 3339 UTC time with milliseconds") {
    CHECK(rfc3339_ms(0) == "1970-01-01T00:00:00.000Z");
    CHECK(rfc3339_ms(1735787045678) == "2025-01-02T03:04:05.678Z");
    CHECK(rfc3339_ms(951782400007) == "2000-02-29T00:00:00.007Z");
}

RecordInput vector_record_2() {
    RecordInput r;
    r.time_ms = 1735787046001;
    r.request_id = "req_vector_2";
    r.client_ip = "::1";
    r.ingress = "anthropic";
    r.model = "openai/gpt-4o";
    r.provider = "openai";
    r.upstream_model = "gpt-4o";
    r.stream = true;
    r.outcome = "error";
    r.status = 429;
    r.error_class = NX_EC_RATE_LIMITED;
    r.cost_usd = 0.0012;
    r.latency_us = 3000;
    r.upstream_latency_us = 2750;
    r.attempts = {attempt("openai", "gpt-4o", "rate_limited", 429, 1.5), attempt("openai", "gpt-4o", "rate_limited", 429, 1.25)};
    return r;
}

TEST_CASE("the record's members, in the documented order, match the shared test vector") {
    auto lines = lines_of(read_file(kVector));
    REQUIRE(lines.size() == 3);
    std::string open = open_record(vector_record_1());
    CHECK(lines[0].rfind(open + ",\"genesis\":", 0) == 0);
    CHECK(lines[1].rfind(open_record(vector_record_2()) + ",\"prev\":", 0) == 0);
}

TEST_CASE("attempts: the host's list is read member by member; what is not there is null") {
    auto list = parse_attempts(
        R"([{"provider":"a","model":"m","outcome":"server","status":500,"ms":3.5},)"
        R"({"provider":"b","model":"n","outcome":"network","status":0,"ms":0.25,"extra":1},)"
        R"({"provider":7,"status":"x"},"junk"])");
    REQUIRE(list);
    REQUIRE(list->size() == 4);
    CHECK((*list)[0].provider == "a");
    CHECK((*list)[0].status == 500);
    CHECK((*list)[0].ms == 3.5);
    CHECK((*list)[1].outcome == "network");
    CHECK((*list)[1].status == 0);
    CHECK_FALSE((*list)[2].provider);
    CHECK((*list)[2].status == -1);
    CHECK((*list)[3].ms < 0);
    CHECK_FALSE(parse_attempts("{}"));
    CHECK_FALSE(parse_attempts("[1,"));
    CHECK(parse_attempts("[]")->empty());

    RecordInput r;
    r.attempts = std::move(*list);
    CHECK(open_record(r).find(
              R"("attempts":[{"provider":"a","model":"m","outcome":"server","status":500,"ms":3.5},)"
              R"({"provider":"b","model":"n","outcome":"network","status":0,"ms":0.25},)"
              R"({"provider":null,"model":null,"outcome":null,"status":null,"ms":null},)"
              R"({"provider":null,"model":null,"outcome":null,"status":null,"ms":null}],"cache_hit")") != std::string::npos);
    // An older host only gives the count: as many entries, all unknown.
    r.attempts = std::vector<Attempt>(2);
    CHECK(open_record(r).find(R"("attempts":[{"provider":null,"model":null,"outcome":null,"status":null,"ms":null},{)") !=
          std::string::npos);
    CHECK(open_record(RecordInput{}).find(R"("attempts":[],)") != std::string::npos);
}

TEST_CASE("unknowns are null, cost only when known, errors by class name") {
    RecordInput r;
    r.time_ms = 1;
    r.outcome = "error";
    r.status = 429;
    r.error_class = NX_EC_RATE_LIMITED;
    std::string open = open_record(r);
    CHECK(open.find(R"("key_id":null)") != std::string::npos);
    CHECK(open.find(R"("provider":null,"upstream_model":null)") != std::string::npos);
    CHECK(open.find(R"("error_class":"rate_limited")") != std::string::npos);
    CHECK(open.find(R"("prompt_tokens":null,"completion_tokens":null,"cached_tokens":null)") != std::string::npos);
    CHECK(open.find("cost_usd") == std::string::npos);
    CHECK(open.find("prompt\":") == std::string::npos);  // no capture unless asked
    r.cost_usd = 0.25;
    CHECK(open_record(r).find(R"("cost_usd":0.25)") != std::string::npos);
    CHECK(open.back() != '}');
}

TEST_CASE("captured text is bounded, cut on a character boundary, and flagged") {
    TextCapture cap(10);
    cap.append(0, "abc");
    cap.append(1, "def\xc3\xa9xyz");  // 8 bytes, 7 fit
    cap.append(1, "more");
    CHECK(cap.text().parts == std::vector<std::string>{"abc", "def\xc3\xa9xy"});
    CHECK(cap.text().truncated);

    TextCapture utf8(5);
    utf8.append(0, "abcd\xc3\xa9");  // the 'é' would straddle the limit: it is left out whole
    CHECK(utf8.text().parts[0] == "abcd");
    CHECK(utf8.text().truncated);

    TextCapture exact(4);
    exact.append(0, "ab\xc3\xa9");
    CHECK(exact.text().parts[0] == "ab\xc3\xa9");
    CHECK_FALSE(exact.text().truncated);

    RecordInput r;
    r.prompt = cap.text();
    CHECK(open_record(r).find(R"("prompt":["abc","def\u00e9xy"],"prompt_truncated":true)") == std::string::npos);
    CHECK(open_record(r).find("\"prompt\":[\"abc\",\"def\xc3\xa9xy\"],\"prompt_truncated\":true") != std::string::npos);
}

TEST_CASE("seal: the shared test vectors are reproduced byte for byte") {
    for (auto [file, last] : {std::pair{kVectorV1, "3bc2645c01b812d47bdbe2f46046901f54473435a0a9ef1b4ee801f7ad824be8"},
                              std::pair{kVector, "287158e7c6c6ca3ded1103c82669ad00aa636157a29e75029f9068038423357b"}}) {
        INFO(file);
        auto lines = lines_of(read_file(file));
        REQUIRE(lines.size() == 3);
        std::string prev = kZeroHash;
        for (size_t i = 0; i < lines.size(); ++i) {
            // The open record is the line up to the chain members.
            std::string marker = i == 0 ? ",\"genesis\":" : ",\"prev\":";
            std::string open = lines[i].substr(0, lines[i].find(marker));
            std::string hash;
            CHECK(seal(open, prev, i == 0, &hash) == lines[i] + "\n");
            CHECK(stated_hash(lines[i]) == hash);
            prev = hash;
        }
        CHECK(prev == last);
    }
}

TEST_CASE("stated_hash refuses lines without a well-formed hash") {
    CHECK(stated_hash("{}") == "");
    CHECK(stated_hash(R"({"v":1,"hash":"abc"})") == "");
    CHECK(stated_hash(R"({"v":1,"hash":")" + std::string(64, 'G') + "\"}") == "");
    CHECK(stated_hash(R"({"v":1,"hash":")" + std::string(64, 'a') + "\"}") == std::string(64, 'a'));
}
