#include "core/attempt_log.hpp"

#include "core/json_text.hpp"

#include <algorithm>

namespace nexus::core {

void AttemptLog::begin(std::string_view provider, std::string_view model, Clock::time_point now) {
    attempts_.push_back(Attempt{std::string(provider), std::string(model), {}, 0, now, -1});
}

void AttemptLog::end(std::string_view outcome, int status, Clock::time_point now) {
    if (attempts_.empty() || attempts_.back().us >= 0) return;
    Attempt& a = attempts_.back();
    a.outcome = outcome;
    a.status = status;
    a.us = std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(now - a.started).count());
}

std::string AttemptLog::json(Clock::time_point now) const {
    std::string out = "[";
    for (const auto& a : attempts_) {
        if (out.size() > 1) out += ',';
        out += "{\"provider\":";
        append_json_string(a.provider, out);
        out += ",\"model\":";
        append_json_string(a.model, out);
        out += ",\"outcome\":";
        append_json_string(a.us >= 0 ? std::string_view(a.outcome) : std::string_view("unfinished"), out);
        out += ",\"status\":" + std::to_string(a.status);
        int64_t us = a.us >= 0 ? a.us
                               : std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(now - a.started).count());
        std::string frac = std::to_string(us % 1000);
        out += ",\"ms\":" + std::to_string(us / 1000) + "." + std::string(3 - frac.size(), '0') + frac + "}";
    }
    return out + "]";
}

}  // namespace nexus::core
