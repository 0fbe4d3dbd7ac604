#include "state/int_text.hpp"

#include <charconv>

namespace nexus::state {

std::optional<int64_t> parse_int64_text(std::string_view s) {
    if (s.empty() || s.size() > 20) return std::nullopt;
    size_t digits_at = s[0] == '-' ? 1 : 0;
    if (digits_at == s.size()) return std::nullopt;
    if (s[digits_at] == '0' && (s.size() > digits_at + 1 || digits_at == 1)) return std::nullopt;
    int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

}  // namespace nexus::state
