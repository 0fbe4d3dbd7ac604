// The small sections: log, state, admin, models.
#include "config/sections.hpp"

namespace nexus::config::detail {

void read_log(Reader& r, const Field& f, LogConfig& out) {
    auto view = r.mapping(f, {"level", "format"});
    if (!view) return;
    if (const Field* v = view->get("level"))
        if (auto s = r.one_of(*v, {"trace", "debug", "info", "warn", "error", "off"})) out.level = *s;
    if (const Field* v = view->get("format"))
        if (auto s = r.one_of(*v, {"text", "json"})) out.format = *s;
}

void read_state(Reader& r, const Field& f, StateConfig& out) {
    auto view = r.mapping(f, {"backend", "url"});
    if (!view) return;
    if (const Field* v = view->get("backend"))
        if (auto s = r.one_of(*v, {"memory", "redis"})) out.backend = *s;
    const Field* url = view->get("url");
    if (url) {
        constexpr std::string_view expected = "a URL starting with redis:// or rediss://";
        if (auto s = r.string(*url, expected)) {
            if (s->rfind("redis://", 0) == 0 || s->rfind("rediss://", 0) == 0) out.url = *s;
            else r.error(*url, "expected " + std::string(expected) + ", found " + quote(*s));
        }
    } else if (out.backend == "redis") {
        r.error(f.mark, child_path(f.path, "url"), "required when backend is redis");
    }
}

void read_admin(Reader& r, const Field& f, AdminConfig& out) {
    auto view = r.mapping(f, {"key"});
    if (!view) return;
    out.mark = f.mark;
    if (const Field* v = view->get("key"))
        if (auto s = r.string(*v)) out.key = *s;
}

void read_models(Reader& r, const Field& f, std::string& models_json) {
    if (f.node.IsNull()) return;
    if (!f.node.IsMap()) {
        r.error(f, "expected a mapping, found " + describe(f.node));
        return;
    }
    if (auto json = r.json(f)) models_json = *json;
}

}  // namespace nexus::config::detail
