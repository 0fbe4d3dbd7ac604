// Fixed windows: every host cuts time the same way (unix time / window length), so hosts
// sharing one Redis count into the same keys.
#pragma once

#include "limits_config.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace nexus::ratelimit {

struct Window {
    uint64_t start_ms = 0;
    uint64_t end_ms = 0;
};

Window window_at(uint64_t now_ms, uint64_t length_ms);

// Whole seconds until the window ends, rounded up, at least 1 (for Retry-After).
int64_t seconds_left(const Window& w, uint64_t now_ms);

// Who is being counted: the dimension's name in keys, its value, and words for messages.
struct Subject {
    std::string dimension;    // key_id | model | route | client_ip
    std::string value;
    std::string description;  // "virtual key 'team-a'", "client 10.0.0.7", ...
};

// `key_id` is the attr auth sets (empty when no auth ran); virtual_key falls back to the
// client address without it.
Subject subject_for(Dimension d, std::string_view key_id, std::string_view model, std::string_view route,
                    std::string_view client_ip);

// The key-value key of one counter: "rl:<req|tok>:<window seconds>:<window start>:<dimension>:<value>".
// No host-specific part, the value last (it may hold ':'). The host prefixes the plugin name.
std::string counter_key(std::string_view kind, const Window& w, const Subject& s);

}  // namespace nexus::ratelimit
