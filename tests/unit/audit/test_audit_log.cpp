// The log file: chain across appends, reopen and rotation; size and time rotation; pruning;
// recovery from a torn last line; refusal of a file that is not an audit log.
#include "audit_log.hpp"
#include "hash_chain.hpp"
#include "record.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <rapidjson/document.h>

using namespace nexus::audit;
using namespace nexus::audit::test;

namespace {

struct FakeClock {
    uint64_t now = 1735787045678;  // 2025-01-02T03:04:05.678Z
    Clock fn() {
        return [this] { return now; };
    }
};

std::string record(int i) {
    RecordInput r;
    r.time_ms = 1735787045678 + uint64_t(i);
    r.request_id = "req_" + std::to_string(i);
    r.outcome = "ok";
    r.status = 200;
    return open_record(r);
}

std::string field(const std::string& line, const char* name) {
    rapidjson::Document d;
    d.Parse(line.c_str());
    auto it = d.FindMember(name);
    return it != d.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

std::vector<std::string> notices;
Notice collect() {
    notices.clear();
    return [](const std::string& m) { notices.push_back(m); };
}

}  // namespace

TEST_CASE("records chain, and a reopened log continues the chain") {
    TempDir dir;
    FakeClock clock;
    std::string path = dir.file("audit.jsonl");
    LogOptions opts;
    opts.path = path;
    {
        AuditLog log(opts, clock.fn(), collect());
        log.append(record(1));
        log.append(record(2));
    }
    {
        AuditLog log(opts, clock.fn(), collect());
        log.append(record(3));
        CHECK(log.last_hash() == stated_hash(lines_of(read_file(path)).back()));
    }
    auto lines = lines_of(read_file(path));
    REQUIRE(lines.size() == 3);
    CHECK(field(lines[0], "genesis") == kZeroHash);
    CHECK(field(lines[0], "prev") == kZeroHash);
    CHECK(field(lines[1], "genesis") == "");
    CHECK(field(lines[1], "prev") == stated_hash(lines[0]));
    CHECK(field(lines[2], "prev") == stated_hash(lines[1]));
    CHECK(field(lines[2], "request_id") == "req_3");
    CHECK(notices.empty());
    auto v = verify({path});
    CHECK(v.code == 0);
    CHECK(v.out.rfind("ok: 3 records", 0) == 0);
}

TEST_CASE("size rotation: the new file's genesis is the old file's last hash, old files are pruned") {
    TempDir dir;
    FakeClock clock;
    LogOptions opts;
    opts.path = dir.file("audit.jsonl");
    opts.max_bytes = 4096;
    opts.max_files = 3;
    std::vector<std::string> all_hashes;
    {
        AuditLog log(opts, clock.fn(), collect());
        for (int i = 0; i < 60; ++i) {
            clock.now += 1;  // distinct rotated names
            log.append(record(i));
        }
    }
    auto files = chain_files(dir.path, "audit.jsonl");
    REQUIRE(files.size() == 4);  // three rotated + the active one
    for (const auto& f : files) CHECK(std::filesystem::file_size(f) <= 4096);
    for (size_t i = 1; i < files.size(); ++i) {
        auto prev_lines = lines_of(read_file(files[i - 1]));
        auto lines = lines_of(read_file(files[i]));
        REQUIRE_FALSE(lines.empty());
        CHECK(field(lines[0], "genesis") == stated_hash(prev_lines.back()));
    }
    CHECK(std::filesystem::path(files[0]).filename().string().size() == std::string("audit.20250102T030405679Z.jsonl").size());
    auto v = verify(files);
    CHECK(v.code == 0);
    CHECK(v.out.find(" in 4 files") != std::string::npos);
    // Without the oldest kept file's predecessor the rest still verifies: it starts from its genesis.
    CHECK(verify({files[1], files[2], files[3]}).code == 0);
    // A file left out in the middle breaks the chain.
    auto gap = verify({files[0], files[2], files[3]});
    CHECK(gap.code == 1);
    CHECK(gap.out.find(files[2] + ":1: the chain does not continue from " + files[0]) == 0);
}

TEST_CASE("time rotation at each multiple of the period") {
    TempDir dir;
    FakeClock clock;
    clock.now = 1735776000000 + 3600 * 1000 - 10;  // 2025-01-02T00:59:59.990Z
    LogOptions opts;
    opts.path = dir.file("audit.jsonl");
    opts.every_ms = 3600 * 1000;
    opts.max_files = 0;
    AuditLog log(opts, clock.fn(), collect());
    log.append(record(1));
    clock.now += 5;
    log.append(record(2));  // same hour
    clock.now += 10;
    log.append(record(3));  // 01:00:00.005: a new file
    clock.now += 3600 * 1000;
    log.append(record(4));  // 02:00:00.005: another
    auto files = chain_files(dir.path, "audit.jsonl");
    REQUIRE(files.size() == 3);
    CHECK(lines_of(read_file(files[0])).size() == 2);
    CHECK(lines_of(read_file(files[1])).size() == 1);
    CHECK(lines_of(read_file(files[2])).size() == 1);
    CHECK(std::filesystem::path(files[0]).filename() == "audit.20250102T010000005Z.jsonl");
    CHECK(verify(files).code == 0);
}

TEST_CASE("a torn last line is kept in a rotated file and the chain goes on") {
    TempDir dir;
    FakeClock clock;
    LogOptions opts;
    opts.path = dir.file("audit.jsonl");
    {
        AuditLog log(opts, clock.fn(), collect());
        log.append(record(1));
        log.append(record(2));
    }
    std::string text = read_file(opts.path);
    std::string good_hash = stated_hash(lines_of(text)[1]);
    write_file(opts.path, text + "{\"v\":1,\"time\":\"2025-01");  // a crash mid-write
    {
        AuditLog log(opts, clock.fn(), collect());
        REQUIRE(notices.size() == 1);
        CHECK(notices[0].find("ends with an incomplete record") != std::string::npos);
        log.append(record(3));
    }
    auto files = chain_files(dir.path, "audit.jsonl");
    REQUIRE(files.size() == 2);
    CHECK(field(lines_of(read_file(files[1]))[0], "genesis") == good_hash);
    auto v = verify(files);
    CHECK(v.code == 1);
    CHECK(v.out.find(files[0] + ":3: truncated record") == 0);
    CHECK(verify({files[1]}).code == 0);
}

TEST_CASE("a path holding something else is refused, not appended to") {
    TempDir dir;
    FakeClock clock;
    LogOptions opts;
    opts.path = dir.file("notes.txt");
    write_file(opts.path, "my shopping list\n");
    try {
        AuditLog log(opts, clock.fn(), collect());
        FAIL("opened");
    } catch (const std::runtime_error& e) {
        CHECK(std::string(e.what()) == opts.path + " exists and its last line is not an audit record; choose another path");
    }
    CHECK(read_file(opts.path) == "my shopping list\n");
    opts.path = dir.file("missing/dir/audit.jsonl");
    CHECK_THROWS_WITH(AuditLog(opts, clock.fn(), collect()),
                      Catch::StartsWith("cannot open " + opts.path + ": No such file or directory"));
    opts.path = dir.path.string();
    CHECK_THROWS(AuditLog(opts, clock.fn(), collect()));
}
