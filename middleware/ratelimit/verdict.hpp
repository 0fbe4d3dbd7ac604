// What the counters say about one request: allowed or 429, and the rate-limit headers the
// client gets either way (OpenAI's names:
// https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers).
#pragma once

#include "limits_config.hpp"
#include "window.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nexus::ratelimit {

struct Counts {
    std::optional<int64_t> requests;  // the request counter after this request's increment
    std::optional<int64_t> tokens;    // the token counter after this request's reservation
    int64_t estimate = 0;             // this request's reservation
};

struct Verdict {
    bool allowed = true;
    std::string message;  // why not, naming the limit
    std::vector<std::pair<std::string, std::string>> headers;
};

Verdict decide(const Limits& limits, const Counts& counts, const Window& w, uint64_t now_ms, const Subject& who);

}  // namespace nexus::ratelimit
