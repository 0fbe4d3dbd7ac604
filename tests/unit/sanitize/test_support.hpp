#pragma once

#include "detectors.hpp"
#include "rewrite.hpp"
#include "sanitize_config.hpp"

#include <string>
#include <vector>

namespace nexus::sanitize::test {

// The texts one detector finds in `text`.
inline std::vector<std::string> found(Detector d, std::string_view text, DetectorOptions opt = {}) {
    std::vector<Span> spans;
    find(d, text, opt, spans);
    std::vector<std::string> out;
    for (const auto& s : spans) out.emplace_back(text.substr(s.begin, s.end - s.begin));
    return out;
}

inline std::vector<std::string> one(std::string s) { return {std::move(s)}; }
inline const std::vector<std::string> kNone{};

// Whole-text sanitization with a config given as JSON.
inline std::string clean(const Config& cfg, std::string_view text, Tally* tally = nullptr, Vault* vault = nullptr) {
    Tally t;
    std::string out = sanitize(cfg, text, vault, t);
    if (tally) *tally = t;
    return out;
}

}  // namespace nexus::sanitize::test
