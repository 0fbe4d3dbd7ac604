// `nexus audit verify` finds the first broken line of a log written by the audit code: an
// edited record, an inserted one, a deleted one, a truncated last line.
#include "audit_log.hpp"
#include "record.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace nexus::audit;
using namespace nexus::audit::test;

namespace {

std::vector<std::string> written_log(const TempDir& dir, int n) {
    LogOptions opts;
    opts.path = dir.file("audit.jsonl");
    {
        AuditLog log(opts, [] { return uint64_t(1735787045678); }, [](const std::string&) {});
        for (int i = 1; i <= n; ++i) {
            RecordInput r;
            r.time_ms = 1735787045678;
            r.request_id = "req_" + std::to_string(i);
            r.outcome = "ok";
            r.status = 200;
            r.prompt = CapturedText{{"hello " + std::to_string(i)}, false};
            log.append(open_record(r));
        }
    }
    return lines_of(read_file(opts.path));
}

Run verify_lines(const TempDir& dir, const std::string& text) {
    std::string p = dir.file("edited.jsonl");
    write_file(p, text);
    return verify({p});
}

}  // namespace

TEST_CASE("verify: the shared test vector and an intact log pass") {
    auto v = verify({std::string(NEXUS_SOURCE_DIR) + "/middleware/audit/testdata/chain_vector.jsonl"});
    CHECK(v.code == 0);
    CHECK(v.out == "ok: 3 records, last hash 3bc2645c01b812d47bdbe2f46046901f54473435a0a9ef1b4ee801f7ad824be8\n");
    TempDir dir;
    auto lines = written_log(dir, 5);
    CHECK(verify_lines(dir, join_lines(lines)).out.rfind("ok: 5 records", 0) == 0);
    CHECK(verify_lines(dir, "").out == "ok: 0 records\n");
}

TEST_CASE("verify: version 2 records, and a version 1 log continued by a newer gateway") {
    auto v2 = verify({std::string(NEXUS_SOURCE_DIR) + "/middleware/audit/testdata/chain_vector_v2.jsonl"});
    CHECK(v2.code == 0);
    CHECK(v2.out == "ok: 3 records, last hash 287158e7c6c6ca3ded1103c82669ad00aa636157a29e75029f9068038423357b\n");

    TempDir dir;
    LogOptions opts;
    opts.path = dir.file("audit.jsonl");
    write_file(opts.path, read_file(std::string(NEXUS_SOURCE_DIR) + "/middleware/audit/testdata/chain_vector.jsonl"));
    {
        AuditLog log(opts, [] { return uint64_t(1735787045678); }, [](const std::string&) {});
        RecordInput r;
        r.request_id = "req_after_upgrade";
        r.outcome = "ok";
        r.status = 200;
        r.attempts = std::vector<Attempt>(1);
        log.append(open_record(r));
    }
    auto lines = lines_of(read_file(opts.path));
    REQUIRE(lines.size() == 4);
    CHECK(lines[3].rfind("{\"v\":2,", 0) == 0);
    auto mixed = verify({opts.path});
    CHECK(mixed.code == 0);
    CHECK(mixed.out.rfind("ok: 4 records", 0) == 0);

    auto v3 = lines;
    v3[3].replace(0, 6, "{\"v\":3");
    CHECK(verify_lines(dir, join_lines(v3)).out.find("edited.jsonl:4: not a version 1 or 2 audit record") != std::string::npos);
}

TEST_CASE("verify: an edited record is a hash mismatch at its line") {
    TempDir dir;
    auto lines = written_log(dir, 5);
    auto edited = lines;
    edited[2].replace(edited[2].find("hello 3"), 7, "HELLO 3");
    auto v = verify_lines(dir, join_lines(edited));
    CHECK(v.code == 1);
    CHECK(v.out.find("edited.jsonl:3: hash mismatch: the record was changed after it was written\n") != std::string::npos);
    CHECK(v.out.find("FAILED after 2 good records") != std::string::npos);
    // Changing the stated hash itself is caught the same way.
    auto rehashed = lines;
    rehashed[1].replace(rehashed[1].size() - 10, 8, "00000000");
    CHECK(verify_lines(dir, join_lines(rehashed)).out.find("edited.jsonl:2: hash mismatch") != std::string::npos);
}

TEST_CASE("verify: an inserted record breaks the chain where it stands") {
    TempDir dir;
    auto lines = written_log(dir, 5);
    auto inserted = lines;
    inserted.insert(inserted.begin() + 3, lines[1]);  // a copy of a genuine record
    auto v = verify_lines(dir, join_lines(inserted));
    CHECK(v.code == 1);
    CHECK(v.out.find("edited.jsonl:4: \"prev\" does not match the hash of line 3 (a record was inserted or deleted") !=
          std::string::npos);
    auto first_again = lines;
    first_again.insert(first_again.begin() + 2, lines[0]);
    CHECK(verify_lines(dir, join_lines(first_again)).out.find("edited.jsonl:3: unexpected \"genesis\"") != std::string::npos);
}

TEST_CASE("verify: a deleted record is reported at the line after the gap") {
    TempDir dir;
    auto lines = written_log(dir, 5);
    auto deleted = lines;
    deleted.erase(deleted.begin() + 2);
    auto v = verify_lines(dir, join_lines(deleted));
    CHECK(v.code == 1);
    CHECK(v.out.find("edited.jsonl:3: \"prev\" does not match the hash of line 2") != std::string::npos);
    auto head_cut = lines;
    head_cut.erase(head_cut.begin());
    CHECK(verify_lines(dir, join_lines(head_cut)).out.find("edited.jsonl:1: the file's first record has no \"genesis\"") !=
          std::string::npos);
    auto tail_cut = lines;
    tail_cut.pop_back();  // the last record gone: only an anchor kept elsewhere can tell
    CHECK(verify_lines(dir, join_lines(tail_cut)).code == 0);
}

TEST_CASE("verify: a truncated last line, an empty line, a foreign line, a missing file") {
    TempDir dir;
    auto lines = written_log(dir, 3);
    std::string text = join_lines(lines);
    auto v = verify_lines(dir, text.substr(0, text.size() - 20));
    CHECK(v.code == 1);
    CHECK(v.out.find("edited.jsonl:3: truncated record: the file ends in the middle of a line") != std::string::npos);
    CHECK(verify_lines(dir, text.substr(0, text.size() - 1)).out.find(":3: truncated record") != std::string::npos);
    CHECK(verify_lines(dir, lines[0] + "\n\n" + lines[1] + "\n").out.find("edited.jsonl:2: empty line") != std::string::npos);
    CHECK(verify_lines(dir, lines[0] + "\n{\"hello\":1}\n").out.find("edited.jsonl:2: not an audit record") != std::string::npos);
    auto missing = verify({dir.file("nope.jsonl")});
    CHECK(missing.code == 1);
    CHECK(missing.out.find("nope.jsonl: cannot open the file") != std::string::npos);
}
