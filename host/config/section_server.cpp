#include "config/sections.hpp"
#include "config/units.hpp"

#include <charconv>

namespace nexus::config::detail {
namespace {

std::optional<unsigned> read_threads(Reader& r, const Field& f) {
    constexpr std::string_view expected = "auto or an integer >= 1";
    auto text = r.scalar(f, expected);
    if (!text) return std::nullopt;
    if (*text == "auto") return 0u;
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size() || value < 1) {
        r.error(f, "expected " + std::string(expected) + ", found " + quote(*text));
        return std::nullopt;
    }
    return value;
}

}  // namespace

void read_server(Reader& r, const Field& f, ServerConfig& out) {
    auto view = r.mapping(f, {"listen", "threads", "max_body", "max_header", "max_connections", "read_timeout",
                              "idle_timeout", "shutdown_grace"});
    if (!view) return;
    if (const Field* v = view->get("listen")) {
        constexpr std::string_view expected = "an address like 127.0.0.1:8080, [::1]:8080 or :8080";
        if (auto text = r.scalar(*v, expected)) {
            if (auto addr = parse_listen(*text)) {
                out.host = addr->host;
                out.port = addr->port;
            } else {
                r.error(*v, "expected " + std::string(expected) + ", found " + quote(*text));
            }
        }
    }
    if (const Field* v = view->get("threads"))
        if (auto n = read_threads(r, *v)) out.threads = *n;
    if (const Field* v = view->get("max_body"))
        if (auto n = r.size(*v)) out.max_body = *n;
    if (const Field* v = view->get("max_header"))
        if (auto n = r.size(*v)) out.max_header = *n;
    if (const Field* v = view->get("max_connections"))
        if (auto n = r.integer(*v, 1)) out.max_connections = size_t(*n);
    if (const Field* v = view->get("read_timeout"))
        if (auto d = r.duration(*v, false)) out.read_timeout = *d;
    if (const Field* v = view->get("idle_timeout"))
        if (auto d = r.duration(*v, false)) out.idle_timeout = *d;
    if (const Field* v = view->get("shutdown_grace"))
        if (auto d = r.duration(*v, true)) out.shutdown_grace = *d;
}

}  // namespace nexus::config::detail
