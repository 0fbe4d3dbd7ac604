#include "config/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace nexus::config {
namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t above = row[j];
            bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// "warning" for "warn", "rate" for "ratelimit": one is the start of the other.
bool prefix_related(std::string_view a, std::string_view b) {
    if (a.size() > b.size()) std::swap(a, b);
    return a.size() >= 3 && b.substr(0, a.size()) == a;
}

}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    size_t best_distance = SIZE_MAX;
    for (const auto& candidate : candidates) {
        size_t d = edit_distance(word, candidate);
        bool plausible = (d <= 2 && d * 2 < candidate.size()) || prefix_related(word, candidate);
        if (plausible && d < best_distance) {
            best = candidate;
            best_distance = d;
        }
    }
    return best;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

}  // namespace nexus::config
