#include "config/env_expand.hpp"
#include "config/sections.hpp"
#include "config/suggest.hpp"
#include "config/units.hpp"

#include <algorithm>

namespace nexus::config::detail {
namespace {

bool valid_provider_name(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

void add_unique(std::vector<std::string>& list, const std::string& item) {
    if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

// One entry of `keys`. A variable in it that is unset or set to "" drops the key and is recorded:
// the provider starts unavailable and says which variable to set. Never puts the value in a
// message.
void read_key(Reader& r, const Field& f, ProviderConfig& out) {
    if (!f.node.IsScalar()) {
        r.error(f, "expected a key (a string), found " + (f.node.IsNull() ? std::string("nothing") : describe(f.node)));
        return;
    }
    Expansion x = expand_env(f.node.Scalar(), r.env());
    // The expansion's own message quotes the text, which here may be a pasted secret.
    if (!x.error.empty()) return r.error(f, "malformed ${VAR} reference (the value is not shown)");
    if (!x.unset.empty() || !x.empty.empty() || x.value.empty()) {
        for (const auto& var : x.unset) add_unique(out.missing_key_vars, var);
        for (const auto& var : x.empty) add_unique(out.missing_key_vars, var);
        return;
    }
    out.keys.push_back(std::move(x.value));
}

void read_keys(Reader& r, const Field& f, ProviderConfig& out) {
    if (f.node.IsScalar()) return read_key(r, f, out);
    if (f.node.IsNull()) return;
    if (!f.node.IsSequence()) return r.error(f, "expected a list of keys or a single key, found " + describe(f.node));
    for (const auto& item : r.items(f)) read_key(r, item, out);
}

void read_timeouts(Reader& r, const Field& f, TimeoutsConfig& out) {
    auto view = r.mapping(f, {"connect", "first_byte", "idle", "total"});
    if (!view) return;
    if (const Field* v = view->get("connect"))
        if (auto d = r.duration(*v, false)) out.connect = *d;
    if (const Field* v = view->get("first_byte"))
        if (auto d = r.duration(*v, false)) out.first_byte = *d;
    if (const Field* v = view->get("idle"))
        if (auto d = r.duration(*v, false)) out.idle = *d;
    if (const Field* v = view->get("total"))
        if (auto d = r.duration(*v, false)) out.total = *d;
}

void warn_missing_keys(Reader& r, const ProviderConfig& p) {
    if (p.missing_key_vars.empty()) return;
    if (p.keys.empty()) {
        r.warning(p.mark, "provider '" + p.name + "' has no key: set " + join(p.missing_key_vars, " or "));
    } else {
        r.warning(p.mark, "provider '" + p.name + "': " + join(p.missing_key_vars, ", ") + " not set, using the other " +
                              std::to_string(p.keys.size()) + (p.keys.size() == 1 ? " key" : " keys"));
    }
}

void read_provider(Reader& r, const Entry& e, ProviderConfig& p) {
    p.name = e.key;
    p.mark = e.key_mark;
    const Field& f = e.value;
    if (!valid_provider_name(e.key))
        r.error(e.key_mark, f.path, "invalid provider name, expected lowercase letters, digits, '_' and '-'");
    auto view = r.mapping(f, {"plugin", "base_url", "keys", "timeouts", "ca_file", "insecure_skip_verify", "pool_size",
                              "options"});
    if (!view) return;
    if (const Field* v = r.require(*view, f, "plugin")) {
        if (auto s = r.string(*v, "a plugin name")) {
            p.plugin = *s;
            r.references.push_back(Reference{Reference::ProviderPlugin, *s, v->path, v->mark});
        }
    }
    if (const Field* v = view->get("base_url")) {
        constexpr std::string_view expected = "an http:// or https:// URL with a host";
        if (auto s = r.string(*v, expected)) {
            if (is_http_url(*s)) p.base_url = *s;
            else r.error(*v, "expected " + std::string(expected) + ", found " + quote(*s));
        }
    }
    if (const Field* v = view->get("keys")) read_keys(r, *v, p);
    if (const Field* v = view->get("timeouts")) read_timeouts(r, *v, p.timeouts);
    if (const Field* v = view->get("ca_file"))
        if (auto path = r.file_path(*v)) p.ca_file = *path;
    if (const Field* v = view->get("insecure_skip_verify"))
        if (auto b = r.boolean(*v)) p.insecure_skip_verify = *b;
    if (const Field* v = view->get("pool_size"))
        if (auto n = r.integer(*v, 1)) p.pool_size = size_t(*n);
    if (const Field* v = view->get("options"))
        if (!v->node.IsMap() && !v->node.IsNull()) r.error(*v, "expected a mapping, found " + describe(v->node));
    // The plugin sees its whole block (base_url, options, ...) but never the keys.
    if (auto json = r.json(f, {"keys"})) p.options_json = *json;
    warn_missing_keys(r, p);
}

}  // namespace

void read_providers(Reader& r, const Field& f, std::vector<ProviderConfig>& out) {
    if (f.node.IsNull()) return;
    if (!f.node.IsMap()) return r.error(f, "expected a mapping of provider name to settings, found " + describe(f.node));
    for (const auto& e : r.entries(f)) {
        ProviderConfig p;
        read_provider(r, e, p);
        out.push_back(std::move(p));
    }
}

}  // namespace nexus::config::detail
