// Each upstream attempt of one request, in order: what the host hands middleware in the
// read-only exchange attribute `attempts` (see nexus.h) when the request completes.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nexus::core {

class AttemptLog {
public:
    using Clock = std::chrono::steady_clock;

    // An attempt was sent to provider/model.
    void begin(std::string_view provider, std::string_view model, Clock::time_point now = Clock::now());
    // The open attempt ended: `outcome` is "ok", an error class name ("rate_limited", "server",
    // "timeout"...) or "cancelled"; `status` the upstream's HTTP status, 0 when none came.
    // Without an open attempt, nothing happens.
    void end(std::string_view outcome, int status, Clock::time_point now = Clock::now());
    size_t size() const { return attempts_.size(); }

    // [{"provider":"p","model":"m","outcome":"ok","status":200,"ms":12.345},...]; an attempt
    // still open reads as outcome "unfinished".
    std::string json(Clock::time_point now = Clock::now()) const;

private:
    struct Attempt {
        std::string provider, model, outcome;
        int status = 0;
        Clock::time_point started;
        int64_t us = -1;  // -1: still open
    };
    std::vector<Attempt> attempts_;
};

}  // namespace nexus::core
