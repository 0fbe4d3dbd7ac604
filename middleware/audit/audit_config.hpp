// The audit middleware's settings, read from its chain entry:
//   {path: audit.jsonl | sink: stdout,
//    rotate: {max_bytes: 100MiB, max_files: 5, every: 24h},
//    fsync: always | interval | never,
//    capture: {prompt: false, response: false, max_bytes: 16KiB},
//    queue: 10000}
#pragma once

#include "audit_log.hpp"

#include <optional>
#include <string_view>

namespace nexus::audit {

struct Config {
    LogOptions log;
    size_t queue = 10000;  // records waiting for the writer before new ones are dropped
    bool capture_prompt = false;
    bool capture_response = false;
    size_t capture_max_bytes = 16 * 1024;  // per field (prompt, response)
};

// Throws nexus::sdk::Error(NX_ERR_INVALID, "audit: '<field>': expected ..., found ...").
Config parse_config(std::string_view json);

// "100MiB", "64KB", "1048576" -> bytes; "24h", "30m", "1s", "500ms", "1d" -> milliseconds.
// nullopt when the text is not one.
std::optional<uint64_t> parse_size(std::string_view s);
std::optional<uint64_t> parse_duration_ms(std::string_view s);

}  // namespace nexus::audit
