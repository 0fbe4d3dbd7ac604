#include "config/sections.hpp"
#include "config/suggest.hpp"

#include <algorithm>

namespace nexus::config::detail {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& name) {
    return std::find(list.begin(), list.end(), name) != list.end();
}

std::string hint(const std::string& name, const std::vector<std::string>& candidates, const std::string& otherwise) {
    std::string near = closest_match(name, candidates);
    if (!near.empty()) return ", did you mean '" + near + "'?";
    return otherwise;
}

}  // namespace

void check_references(Reader& r, const Config& cfg, const KnownPlugins& known) {
    std::vector<std::string> providers, chains;
    for (const auto& p : cfg.providers) providers.push_back(p.name);
    for (const auto& [name, entries] : cfg.chains) chains.push_back(name);
    std::vector<std::string> middleware = builtin_middleware();
    std::vector<std::string> third_party;  // the built-in middleware are plugins too: named once
    for (const auto& name : known.middleware)
        if (!contains(middleware, name)) third_party.push_back(name);
    middleware.insert(middleware.end(), third_party.begin(), third_party.end());
    bool check_plugins = !known.providers.empty() || !known.middleware.empty();

    for (const auto& ref : r.references) {
        switch (ref.kind) {
            case Reference::Provider:
                if (!contains(providers, ref.name))
                    r.error(ref.mark, ref.path,
                            "provider '" + ref.name + "' is not defined in providers" + hint(ref.name, providers, ""));
                break;
            case Reference::Chain:
                if (!contains(chains, ref.name))
                    r.error(ref.mark, ref.path, "chain '" + ref.name + "' is not defined in chains" + hint(ref.name, chains, ""));
                break;
            case Reference::ProviderPlugin:
                if (check_plugins && !contains(known.providers, ref.name))
                    r.error(ref.mark, ref.path,
                            "unknown provider plugin '" + ref.name + "'" +
                                hint(ref.name, known.providers,
                                     known.providers.empty() ? ", no provider plugins are installed"
                                                             : ", installed: " + join(known.providers)));
                break;
            case Reference::Middleware:
                if (check_plugins && !contains(middleware, ref.name))
                    r.error(ref.mark, ref.path,
                            "unknown middleware '" + ref.name + "'" +
                                hint(ref.name, middleware, ", expected a built-in (" + join(builtin_middleware()) +
                                                               ") or a middleware plugin" +
                                                               (third_party.empty() ? "" : " (" + join(third_party) + ")")));
                break;
        }
    }
}

}  // namespace nexus::config::detail
