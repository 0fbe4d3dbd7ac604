#include "config/sections.hpp"

namespace nexus::config::detail {
namespace {

// A chain entry: `name` or `{name: {settings}}`.
void read_entry(Reader& r, const Field& f, std::vector<MiddlewareRef>& chain) {
    MiddlewareRef ref;
    ref.mark = f.mark;
    ref.config_json = "{}";
    Field name_at = f;
    if (f.node.IsScalar()) {
        auto name = r.string(f, "a middleware name");
        if (!name) return;
        ref.name = *name;
    } else if (f.node.IsMap() && f.node.size() == 1) {
        auto entries = r.entries(f);
        if (entries.empty()) return;  // a non-scalar key, reported by check_mapping_keys
        const Entry& e = entries.front();
        ref.name = e.key;
        name_at = Field{f.path, e.value.node, e.key_mark};
        if (e.value.node.IsMap()) {
            auto json = r.json(e.value);
            if (!json) return;
            ref.config_json = *json;
        } else if (!e.value.node.IsNull()) {
            return r.error(e.value, "expected a mapping of settings for '" + e.key + "', found " + describe(e.value.node));
        }
    } else {
        std::string found = f.node.IsMap() ? "a mapping with " + std::to_string(f.node.size()) + " keys" : describe(f.node);
        return r.error(f, "expected a middleware name or {name: {settings}}, found " + found);
    }
    r.references.push_back(Reference{Reference::Middleware, ref.name, name_at.path, name_at.mark});
    chain.push_back(std::move(ref));
}

}  // namespace

void read_chains(Reader& r, const Field& f, std::map<std::string, std::vector<MiddlewareRef>>& out) {
    if (f.node.IsNull()) return;
    if (!f.node.IsMap()) return r.error(f, "expected a mapping of chain name to a list of middleware, found " + describe(f.node));
    for (const auto& e : r.entries(f)) {
        std::vector<MiddlewareRef>& chain = out[e.key];
        auto items = r.list(e.value, "a list of middleware");
        if (!items) continue;
        for (const auto& item : *items) read_entry(r, item, chain);
    }
}

}  // namespace nexus::config::detail
