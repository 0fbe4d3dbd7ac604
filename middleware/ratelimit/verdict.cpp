#include "verdict.hpp"

#include <algorithm>

namespace nexus::ratelimit {

Verdict decide(const Limits& limits, const Counts& counts, const Window& w, uint64_t now_ms, const Subject& who) {
    Verdict v;
    const int64_t left = seconds_left(w, now_ms);
    const std::string reset = std::to_string(left) + "s";
    const std::string per = " per " + std::to_string((w.end_ms - w.start_ms) / 1000) + "s";
    if (limits.rpm > 0 && counts.requests) {
        v.headers.emplace_back("x-ratelimit-limit-requests", std::to_string(limits.rpm));
        v.headers.emplace_back("x-ratelimit-remaining-requests", std::to_string(std::max<int64_t>(0, limits.rpm - *counts.requests)));
        v.headers.emplace_back("x-ratelimit-reset-requests", reset);
        if (*counts.requests > limits.rpm) {
            v.allowed = false;
            v.message = "Rate limit reached for " + who.description + ": " + std::to_string(limits.rpm) + " requests" +
                        per + ". Retry in " + std::to_string(left) + "s.";
        }
    }
    if (limits.tpm > 0 && counts.tokens) {
        v.headers.emplace_back("x-ratelimit-limit-tokens", std::to_string(limits.tpm));
        v.headers.emplace_back("x-ratelimit-remaining-tokens", std::to_string(std::max<int64_t>(0, limits.tpm - *counts.tokens)));
        v.headers.emplace_back("x-ratelimit-reset-tokens", reset);
        if (v.allowed && *counts.tokens > limits.tpm) {
            v.allowed = false;
            if (counts.estimate > limits.tpm)
                v.message = "Request too large for " + who.description + ": about " + std::to_string(counts.estimate) +
                            " tokens, over the limit of " + std::to_string(limits.tpm) + " tokens" + per + ".";
            else
                v.message = "Rate limit reached for " + who.description + ": " + std::to_string(limits.tpm) + " tokens" +
                            per + ". Retry in " + std::to_string(left) + "s.";
        }
    }
    if (!v.allowed) v.headers.emplace_back("Retry-After", std::to_string(left));
    return v;
}

}  // namespace nexus::ratelimit
