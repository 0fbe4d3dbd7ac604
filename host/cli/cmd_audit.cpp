// `nexus audit verify FILE [FILE...]`: checks the hash chain of audit logs (oldest file first).
#include "cli/audit_verify.hpp"
#include "cli/commands.hpp"

#include <cstdio>

namespace nexus::cli {

int cmd_audit_verify(const Args& args) {
    std::vector<std::string> files;
    for (const auto& a : args) {
        if (a == "-h" || a == "--help") {
            std::puts("usage: nexus audit verify FILE [FILE...]\n"
                      "  Verifies the hash chain of audit logs written by the `audit` middleware. Give rotated\n"
                      "  files oldest first, the active file last (e.g. audit.*.jsonl audit.jsonl).\n"
                      "  Exit 0: \"ok: N records\"; exit 1: the first broken line and why.");
            return 0;
        }
        if (!a.empty() && a[0] == '-') {
            std::fprintf(stderr, "nexus audit verify: unknown option '%s'\n", a.c_str());
            return 2;
        }
        files.push_back(a);
    }
    if (files.empty()) {
        std::fputs("usage: nexus audit verify FILE [FILE...]\n", stderr);
        return 2;
    }
    AuditVerifyResult r = verify_audit_files(files);
    if (!r.ok) {
        if (r.line) std::fprintf(stderr, "%s:%zu: %s\n", r.file.c_str(), r.line, r.problem.c_str());
        else std::fprintf(stderr, "%s: %s\n", r.file.c_str(), r.problem.c_str());
        std::fprintf(stderr, "FAILED after %zu good record%s\n", r.records, r.records == 1 ? "" : "s");
        return 1;
    }
    std::printf("ok: %zu record%s", r.records, r.records == 1 ? "" : "s");
    if (files.size() > 1) std::printf(" in %zu files", files.size());
    if (!r.last_hash.empty()) std::printf(", last hash %s", r.last_hash.c_str());
    std::printf("\n");
    return 0;
}

}  // namespace nexus::cli
