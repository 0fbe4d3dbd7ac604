// The audit log's hash chain (FORMAT.md, "Integrity"): each record line ends with
// `"prev":"<hash of the record before>"` (plus `"genesis"` on a file's first record) and
// `"hash":"<sha256 of the line without its hash member>"`.
#pragma once

#include <string>
#include <string_view>

namespace nexus::audit {

// The genesis of a chain that continues nothing: 64 zeros.
inline const std::string kZeroHash(64, '0');

std::string sha256_hex(std::string_view data);

// `open_record` is a JSON object without its closing brace ("{\"v\":2,...,\"redactions\":0").
// Returns the sealed line, newline included; `*hash` gets its hash. The first record of a
// file also carries `"genesis"`, equal to its `prev`.
std::string seal(std::string_view open_record, const std::string& prev, bool first_in_file, std::string* hash);

// The `hash` at the end of a sealed line (without its newline), or "" when it has none.
std::string stated_hash(std::string_view line);

}  // namespace nexus::audit
