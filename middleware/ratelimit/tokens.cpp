#include "tokens.hpp"

#include <charconv>

namespace nexus::ratelimit {

int64_t estimate_tokens(uint64_t text_bytes) {
    int64_t t = int64_t((text_bytes + 3) / 4);
    return t < 1 ? 1 : t;
}

int64_t settle_delta(int64_t reserved, const Outcome& o) {
    if (o.cache_hit || o.attempts == 0) return -reserved;
    if (o.prompt_tokens < 0) return 0;
    return o.prompt_tokens + (o.completion_tokens > 0 ? o.completion_tokens : 0) - reserved;
}

std::string reservation_attr(int64_t tokens, std::string_view key) {
    return std::to_string(tokens) + " " + std::string(key);
}

std::optional<Reservation> parse_reservation(std::string_view attr) {
    size_t sp = attr.find(' ');
    if (sp == std::string_view::npos || sp + 1 >= attr.size()) return std::nullopt;
    Reservation r;
    auto [end, ec] = std::from_chars(attr.data(), attr.data() + sp, r.tokens);
    if (ec != std::errc() || end != attr.data() + sp) return std::nullopt;
    r.key = attr.substr(sp + 1);
    return r;
}

}  // namespace nexus::ratelimit
