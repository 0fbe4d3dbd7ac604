// Verification of audit logs written by the `audit` middleware, reimplemented from the
// documented format (middleware/audit/FORMAT.md) so that the CLI links no plugin code.
#pragma once

#include <string>
#include <vector>

namespace nexus::cli {

struct AuditVerifyResult {
    bool ok = false;
    size_t records = 0;      // records verified (all of them when ok)
    std::string file;        // where verification stopped (when !ok)
    size_t line = 0;         // 1-based line in `file`; 0: the file as a whole
    std::string problem;     // what is wrong there
    std::string last_hash;   // the chain's last hash (when ok)
};

// Verifies `files` as one chain, in the order given (oldest first). Stops at the first problem.
AuditVerifyResult verify_audit_files(const std::vector<std::string>& files);

}  // namespace nexus::cli
