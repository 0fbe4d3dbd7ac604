#include "retry_hint.hpp"

#include "json_util.hpp"
#include "time_util.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>

namespace nexus::claude {

namespace {

int64_t ceil_ms(double ms) {
    constexpr double kMax = 1e15;  // ~31 000 years: anything above is nonsense, clamp it
    return int64_t(std::ceil(std::min(ms, kMax)));
}

}  // namespace

int64_t retry_after_ms(const sdk::HeaderView& headers, int status, int64_t now_unix_ms) {
    if (auto v = headers.get("retry-after-ms")) {
        if (auto ms = parse_decimal(*v)) return ceil_ms(*ms);
    }
    if (auto v = headers.get("retry-after")) {
        if (auto secs = parse_decimal(*v)) return ceil_ms(*secs * 1000);
        if (auto at = parse_imf_fixdate_ms(*v)) return std::max<int64_t>(0, *at - now_unix_ms);
    }
    if (status != 429) return -1;

    static constexpr std::array<std::string_view, 4> kLimits = {"requests", "tokens", "input-tokens", "output-tokens"};
    std::optional<int64_t> exhausted, any;
    for (std::string_view limit : kLimits) {
        std::string prefix = "anthropic-ratelimit-" + std::string(limit);
        auto reset = headers.get(prefix + "-reset");
        if (!reset) continue;
        auto at = parse_rfc3339_ms(*reset);
        if (!at) continue;
        int64_t wait = std::max<int64_t>(0, *at - now_unix_ms);
        any = std::max(any.value_or(0), wait);
        auto remaining = headers.get(prefix + "-remaining");
        if (remaining && trim(*remaining) == "0") exhausted = std::max(exhausted.value_or(0), wait);
    }
    if (exhausted) return *exhausted;
    if (any) return *any;
    return -1;
}

}  // namespace nexus::claude
