#include "provider_config.hpp"

#include "json_util.hpp"

#include "nexus/nexus.hpp"

namespace nexus::mistral {

namespace {

[[noreturn]] void invalid(const std::string& msg) { throw sdk::Error(NX_ERR_INVALID, "mistral provider config: " + msg); }

}  // namespace

ProviderConfig parse_config(std::string_view config_json) {
    ProviderConfig cfg;
    if (trim(config_json).empty()) return cfg;
    rapidjson::Document doc;
    if (std::string err = parse_json(doc, config_json); !err.empty()) invalid(err);
    if (!doc.IsObject()) invalid("expected a map");

    if (const Value* base = find_member(doc, "base_url"); base && !base->IsNull()) {
        if (!base->IsString()) invalid("base_url must be a string");
        std::string url(as_view(*base));
        if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
            invalid("base_url must start with http:// or https://");
        while (url.size() > 1 && url.back() == '/') url.pop_back();
        cfg.base_url = std::move(url);
    }
    if (const Value* opts = find_member(doc, "options"); opts && !opts->IsNull()) {
        if (!opts->IsObject()) invalid("options must be a map");
        if (opts->MemberCount() > 0)
            invalid("options." + std::string(as_view(opts->MemberBegin()->name)) + ": unknown option (the mistral provider has none)");
    }
    return cfg;
}

}  // namespace nexus::mistral
