// Host-side definitions of the opaque handles declared in nexus.h. Only host code sees these.
#pragma once

#include "nexus/nexus.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct nx_buf {
    std::string data;
};

struct nx_headers {
    std::vector<std::pair<std::string, std::string>> items;
};

// One plugin call. The host creates one on its stack per call into a plugin and reads the
// error slots afterwards.
struct nx_call {
    std::string_view plugin;      // plugin name, for log lines
    std::string_view request_id;  // empty outside a request
    std::string error;            // set_error
    nx_error_class error_class = NX_EC_NONE;  // set_upstream_error
    int32_t upstream_status = 0;
    int64_t retry_after_ms = -1;
    std::string upstream_message;
    uint64_t instance_hooks = ~uint64_t(0);  // set_instance_hooks, during a middleware's create
    bool usage_reported = false;             // report_usage, during a provider's parse_response
    int64_t prompt_tokens = -1, completion_tokens = -1, cached_tokens = -1;
};

// Where a provider's stream_event emits canonical chunks.
struct nx_chunk_sink {
    std::function<nx_status(std::string_view chunk_json)> emit;
};
