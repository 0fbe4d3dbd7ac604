#include "config/config.hpp"

namespace nexus::config {

std::string Diagnostic::to_string() const {
    std::string out = mark.file.empty() ? std::string("<config>") : mark.file;
    if (mark.line > 0) out += ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column);
    return out + ": " + message;
}

const ProviderConfig* Config::provider(const std::string& name) const {
    for (const auto& p : providers)
        if (p.name == name) return &p;
    return nullptr;
}

const RouteConfig* Config::route(const std::string& model) const {
    for (const auto& r : routes)
        if (r.model == model) return &r;
    return nullptr;
}

}  // namespace nexus::config
