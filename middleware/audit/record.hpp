// One audit record: what on_complete knows about a finished request, as the JSON object the
// log holds (member order and meaning in FORMAT.md). The chain members (genesis, prev, hash)
// are added by the writer, which alone knows the order of the records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nexus::audit {

struct CapturedText {
    std::vector<std::string> parts;
    bool truncated = false;
};

struct RecordInput {
    uint64_t time_ms = 0;  // unix milliseconds
    std::string request_id;
    std::optional<std::string> key_id;
    std::string client_ip;
    std::string ingress;
    std::string route;
    std::string model;           // as the client asked
    std::string provider;        // empty: none
    std::string upstream_model;  // empty: none
    bool stream = false;
    std::string outcome;
    int32_t status = 0;
    int32_t error_class = 0;  // NX_EC_*
    int64_t prompt_tokens = -1, completion_tokens = -1, cached_tokens = -1;
    double cost_usd = -1;
    uint64_t latency_us = 0, upstream_latency_us = 0;
    uint32_t attempts = 0;
    bool cache_hit = false;
    int64_t redactions = 0;
    std::optional<CapturedText> prompt, response;
};

// RFC 3339, UTC, milliseconds: "2025-01-02T03:04:05.678Z".
std::string rfc3339_ms(uint64_t unix_ms);

// The name of an NX_EC_* class ("rate_limited"), or "" for NX_EC_NONE.
const char* error_class_name(int32_t cls);

// The record as a JSON object without its closing brace (see hash_chain.hpp: seal).
std::string open_record(const RecordInput& r);

}  // namespace nexus::audit
