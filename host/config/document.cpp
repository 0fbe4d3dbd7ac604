#include "config/sections.hpp"

namespace nexus::config::detail {

void read_document(Reader& r, const Field& root, Config& out) {
    auto view = r.mapping(root, {"server", "log", "plugins", "state", "providers", "routes", "chains", "admin", "models"},
                          "a mapping of sections (server, providers, routes, ...)");
    if (!view) return;
    if (const Field* f = view->get("server")) read_server(r, *f, out.server);
    if (const Field* f = view->get("log")) read_log(r, *f, out.log);
    if (const Field* f = view->get("plugins")) read_plugins(r, *f, out.plugins);
    if (const Field* f = view->get("state")) read_state(r, *f, out.state);
    if (const Field* f = view->get("providers")) read_providers(r, *f, out.providers);
    if (const Field* f = view->get("routes")) read_routes(r, *f, out.routes);
    if (const Field* f = view->get("chains")) read_chains(r, *f, out.chains);
    if (const Field* f = view->get("admin")) read_admin(r, *f, out.admin);
    if (const Field* f = view->get("models")) read_models(r, *f, out.models_json);
    // The default chain runs on every request; unconfigured, it is empty.
    out.chains.try_emplace("default");
}

}  // namespace nexus::config::detail
