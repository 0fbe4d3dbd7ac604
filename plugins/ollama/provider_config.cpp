#include "provider_config.hpp"

#include "json_util.hpp"

#include "nexus/nexus.hpp"

namespace nexus::ollama {

namespace {

[[noreturn]] void invalid(const std::string& msg) { throw sdk::Error(NX_ERR_INVALID, "ollama provider config: " + msg); }

void parse_options(const Value& opts, ProviderConfig& cfg) {
    if (!opts.IsObject()) invalid("options must be a map");
    for (const auto& m : opts.GetObject()) {
        std::string_view key = as_view(m.name);
        if (key == "num_ctx") {
            if (!m.value.IsInt64() || m.value.GetInt64() < 1) invalid("options.num_ctx must be a positive integer");
            cfg.num_ctx = m.value.GetInt64();
        } else if (key == "keep_alive") {
            // Ollama takes a Go duration string ("5m", "1h") or a number of seconds (-1: forever).
            if (!m.value.IsString() && !m.value.IsNumber()) invalid("options.keep_alive must be a duration like \"5m\" or a number of seconds");
            cfg.keep_alive_json = to_json(m.value);
        } else {
            invalid("options." + std::string(key) + ": unknown option (expected num_ctx or keep_alive)");
        }
    }
}

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
    if (const Value* opts = find_member(doc, "options"); opts && !opts->IsNull()) parse_options(*opts, cfg);
    return cfg;
}

}  // namespace nexus::ollama
