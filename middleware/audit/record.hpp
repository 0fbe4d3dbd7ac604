// One audit record: what on_complete knows about a finished request, as the JSON object the
// log holds (member order and meaning in FORMAT.md). The chain members (genesis, prev, hash)
// are added by the writer, which alone knows the order of the records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nexus::audit {

struct CapturedText {
    std::vector<std::string> parts;
    bool truncated = false;
};

// One upstream attempt, as the host lists it in the exchange attribute `attempts`.
struct Attempt {
    std::optional<std::string> provider, model, outcome;  // nullopt: unknown (written as null)
    int32_t status = -1;                                   // HTTP status, 0: none came; -1: unknown
    double ms = -1;                                        // < 0: unknown
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
    std::vector<Attempt> attempts;
    bool cache_hit = false;
    int64_t redactions = 0;
    std::optional<CapturedText> prompt, response;
};

// RFC 3339, UTC, milliseconds: "2025-01-02T03:04:05.678Z".
std::string rfc3339_ms(uint64_t unix_ms);

// The name of an NX_EC_* class ("rate_limited"), or "" for NX_EC_NONE.
const char* error_class_name(int32_t cls);

// The host's `attempts` attribute (a JSON array of {provider, model, outcome, status, ms});
// nullopt when it is not such an array. Members of the wrong type read as unknown.
std::optional<std::vector<Attempt>> parse_attempts(std::string_view json);

// The record as a JSON object without its closing brace (see hash_chain.hpp: seal).
std::string open_record(const RecordInput& r);

}  // namespace nexus::audit
