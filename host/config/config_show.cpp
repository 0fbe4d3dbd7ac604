// `nexus config show`: the effective config as YAML, every default written out and every
// secret masked. The output reloads to the same config (strings that would retype are
// quoted, "${" is escaped) except that masked secrets stay masked.
#include "config/config.hpp"
#include "config/env_expand.hpp"
#include "config/units.hpp"
#include "config/yaml_scalar.hpp"

#include <rapidjson/document.h>
#include <yaml-cpp/yaml.h>

#include <charconv>

namespace nexus::config {
namespace {

constexpr const char* kMasked = "****";

// YAML 1.1 booleans: strings to Nexus (YAML 1.2), but quoted so other tools agree.
bool yaml11_bool(const std::string& t) {
    for (const char* word : {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"})
        if (t == word) return true;
    return false;
}

// Empty collections as "{}" / "[]" on the key's line rather than on a line of their own.
YAML::EMITTER_MANIP flow_if(bool empty) { return empty ? YAML::Flow : YAML::Block; }

void emit_string(YAML::Emitter& em, const std::string& raw) {
    std::string text = escape_env(mask_url_password(raw));
    if (text.empty() || plain_scalar_kind(text) != ScalarKind::String || yaml11_bool(text)) em << YAML::DoubleQuoted;
    em << text;
}

void emit_double(YAML::Emitter& em, double d) {
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d);
    std::string text(buffer, ec == std::errc() ? end : buffer);
    if (text.find_first_of(".en") == std::string::npos) text += ".0";  // stays a float on reload
    em << text;
}

void emit_json(YAML::Emitter& em, const rapidjson::Value& v) {
    if (v.IsObject()) {
        if (v.ObjectEmpty()) em << YAML::Flow;
        em << YAML::BeginMap;
        for (const auto& m : v.GetObject()) {
            em << YAML::Key << std::string(m.name.GetString(), m.name.GetStringLength()) << YAML::Value;
            emit_json(em, m.value);
        }
        em << YAML::EndMap;
    } else if (v.IsArray()) {
        if (v.Empty()) em << YAML::Flow;
        em << YAML::BeginSeq;
        for (const auto& item : v.GetArray()) emit_json(em, item);
        em << YAML::EndSeq;
    } else if (v.IsString()) {
        emit_string(em, std::string(v.GetString(), v.GetStringLength()));
    } else if (v.IsBool()) {
        em << v.GetBool();
    } else if (v.IsInt64()) {
        em << v.GetInt64();
    } else if (v.IsUint64()) {
        em << v.GetUint64();
    } else if (v.IsNumber()) {
        emit_double(em, v.GetDouble());
    } else {
        em << YAML::Null;
    }
}

// Emits `key: <json>` when `json` holds a value worth showing.
void emit_json_entry(YAML::Emitter& em, const char* key, const rapidjson::Value& v) {
    em << YAML::Key << key << YAML::Value;
    emit_json(em, v);
}

void emit_server(YAML::Emitter& em, const ServerConfig& s) {
    em << YAML::Key << "server" << YAML::Value << YAML::BeginMap;
    em << YAML::Key << "listen" << YAML::Value << format_listen(s.host, s.port);
    em << YAML::Key << "threads" << YAML::Value;
    if (s.threads == 0) em << "auto";
    else em << s.threads;
    em << YAML::Key << "max_body" << YAML::Value << format_size(s.max_body);
    em << YAML::Key << "max_header" << YAML::Value << format_size(s.max_header);
    em << YAML::Key << "max_connections" << YAML::Value << s.max_connections;
    em << YAML::Key << "read_timeout" << YAML::Value << format_duration(s.read_timeout);
    em << YAML::Key << "idle_timeout" << YAML::Value << format_duration(s.idle_timeout);
    em << YAML::Key << "shutdown_grace" << YAML::Value << format_duration(s.shutdown_grace);
    em << YAML::EndMap;
}

void emit_plugins(YAML::Emitter& em, const PluginsConfig& p) {
    em << YAML::Key << "plugins" << YAML::Value << YAML::BeginMap;
    em << YAML::Key << "dir" << YAML::Value;
    emit_string(em, p.dir);
    em << YAML::Key << "pin" << YAML::Value << flow_if(p.pin.empty()) << YAML::BeginMap;
    for (const auto& [name, pin] : p.pin) em << YAML::Key << name << YAML::Value << pin;
    em << YAML::EndMap;
    em << YAML::Key << "optional" << YAML::Value << flow_if(p.optional.empty()) << YAML::BeginSeq;
    for (const auto& name : p.optional) emit_string(em, name);
    em << YAML::EndSeq;
    em << YAML::Key << "on_error" << YAML::Value << (p.skip_broken ? "skip" : "refuse");
    em << YAML::EndMap;
}

void emit_provider(YAML::Emitter& em, const ProviderConfig& p) {
    em << YAML::Key << p.name << YAML::Value << YAML::BeginMap;
    em << YAML::Key << "plugin" << YAML::Value;
    emit_string(em, p.plugin);
    if (!p.base_url.empty()) {
        em << YAML::Key << "base_url" << YAML::Value;
        emit_string(em, p.base_url);
    }
    em << YAML::Key << "keys" << YAML::Value << flow_if(p.keys.empty() && p.missing_key_vars.empty()) << YAML::BeginSeq;
    for (size_t i = 0; i < p.keys.size(); ++i) em << YAML::DoubleQuoted << kMasked;
    for (const auto& var : p.missing_key_vars) em << YAML::DoubleQuoted << "<unset: ${" + var + "}>";
    em << YAML::EndSeq;
    em << YAML::Key << "timeouts" << YAML::Value << YAML::BeginMap;
    em << YAML::Key << "connect" << YAML::Value << format_duration(p.timeouts.connect);
    em << YAML::Key << "first_byte" << YAML::Value << format_duration(p.timeouts.first_byte);
    em << YAML::Key << "idle" << YAML::Value << format_duration(p.timeouts.idle);
    em << YAML::Key << "total" << YAML::Value << format_duration(p.timeouts.total);
    em << YAML::EndMap;
    if (!p.ca_file.empty()) {
        em << YAML::Key << "ca_file" << YAML::Value;
        emit_string(em, p.ca_file);
    }
    em << YAML::Key << "insecure_skip_verify" << YAML::Value << p.insecure_skip_verify;
    em << YAML::Key << "pool_size" << YAML::Value << p.pool_size;
    rapidjson::Document block;
    block.Parse(p.options_json.c_str(), p.options_json.size());
    if (!block.HasParseError() && block.IsObject()) {
        auto options = block.FindMember("options");
        if (options != block.MemberEnd() && !options->value.IsNull()) emit_json_entry(em, "options", options->value);
    }
    em << YAML::EndMap;
}

void emit_route(YAML::Emitter& em, const RouteConfig& r) {
    em << YAML::BeginMap;
    em << YAML::Key << "model" << YAML::Value;
    emit_string(em, r.model);
    em << YAML::Key << "strategy" << YAML::Value << r.strategy;
    em << YAML::Key << "chain" << YAML::Value;
    emit_string(em, r.chain.empty() ? "default" : r.chain);
    if (r.is_default) em << YAML::Key << "default" << YAML::Value << true;
    em << YAML::Key << "retry" << YAML::Value << YAML::BeginMap;
    em << YAML::Key << "max_attempts" << YAML::Value << r.retry.max_attempts;
    em << YAML::Key << "backoff" << YAML::Value << format_duration(r.retry.backoff);
    em << YAML::Key << "max_backoff" << YAML::Value << format_duration(r.retry.max_backoff);
    em << YAML::Key << "retry_on" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& c : r.retry.retry_on) em << c;
    em << YAML::EndSeq << YAML::EndMap;
    em << YAML::Key << "breaker" << YAML::Value << YAML::BeginMap;
    em << YAML::Key << "failures" << YAML::Value << r.breaker.failures;
    em << YAML::Key << "cooldown" << YAML::Value << format_duration(r.breaker.cooldown);
    if (r.breaker.failure_ratio > 0) {
        em << YAML::Key << "failure_ratio" << YAML::Value << r.breaker.failure_ratio;
        em << YAML::Key << "window" << YAML::Value << format_duration(r.breaker.window);
        em << YAML::Key << "min_requests" << YAML::Value << r.breaker.min_requests;
    }
    em << YAML::EndMap;
    const auto& to = r.timeouts;
    if (to.connect || to.first_byte || to.idle || to.total) {
        em << YAML::Key << "timeouts" << YAML::Value << YAML::BeginMap;
        for (auto [name, v] : {std::pair{"connect", &to.connect}, std::pair{"first_byte", &to.first_byte},
                               std::pair{"idle", &to.idle}, std::pair{"total", &to.total}})
            if (*v) em << YAML::Key << name << YAML::Value << format_duration(**v);
        em << YAML::EndMap;
    }
    em << YAML::Key << "targets" << YAML::Value << (r.targets.empty() ? YAML::Flow : YAML::Block) << YAML::BeginSeq;
    for (const auto& t : r.targets) {
        em << YAML::BeginMap;
        em << YAML::Key << "provider" << YAML::Value;
        emit_string(em, t.provider);
        em << YAML::Key << "model" << YAML::Value;
        emit_string(em, t.model);
        em << YAML::Key << "weight" << YAML::Value << t.weight;
        if (!t.params_json.empty()) {
            rapidjson::Document params;
            params.Parse(t.params_json.c_str(), t.params_json.size());
            if (!params.HasParseError()) emit_json_entry(em, "params", params);
        }
        em << YAML::EndMap;
    }
    em << YAML::EndSeq << YAML::EndMap;
}

void emit_chains(YAML::Emitter& em, const std::map<std::string, std::vector<MiddlewareRef>>& chains) {
    em << YAML::Key << "chains" << YAML::Value << YAML::BeginMap;
    for (const auto& [name, entries] : chains) {
        em << YAML::Key << name << YAML::Value << flow_if(entries.empty()) << YAML::BeginSeq;
        for (const auto& m : entries) {
            rapidjson::Document settings;
            settings.Parse(m.config_json.c_str(), m.config_json.size());
            if (settings.HasParseError() || !settings.IsObject() || settings.ObjectEmpty()) {
                emit_string(em, m.name);
                continue;
            }
            em << YAML::BeginMap << YAML::Key << m.name << YAML::Value;
            emit_json(em, settings);
            em << YAML::EndMap;
        }
        em << YAML::EndSeq;
    }
    em << YAML::EndMap;
}

}  // namespace

std::string show(const Config& cfg) {
    YAML::Emitter em;
    em << YAML::BeginMap;
    emit_server(em, cfg.server);
    em << YAML::Key << "log" << YAML::Value << YAML::BeginMap;
    em << YAML::Key << "level" << YAML::Value << cfg.log.level;
    em << YAML::Key << "format" << YAML::Value << cfg.log.format << YAML::EndMap;
    emit_plugins(em, cfg.plugins);
    em << YAML::Key << "state" << YAML::Value << YAML::BeginMap;
    em << YAML::Key << "backend" << YAML::Value << cfg.state.backend;
    if (!cfg.state.url.empty()) {
        em << YAML::Key << "url" << YAML::Value;
        emit_string(em, cfg.state.url);
    }
    em << YAML::EndMap;
    if (!cfg.admin.key.empty())
        em << YAML::Key << "admin" << YAML::Value << YAML::BeginMap << YAML::Key << "key" << YAML::Value
           << YAML::DoubleQuoted << kMasked << YAML::EndMap;
    em << YAML::Key << "providers" << YAML::Value << flow_if(cfg.providers.empty()) << YAML::BeginMap;
    for (const auto& p : cfg.providers) emit_provider(em, p);
    em << YAML::EndMap;
    em << YAML::Key << "routes" << YAML::Value << flow_if(cfg.routes.empty()) << YAML::BeginSeq;
    for (const auto& r : cfg.routes) emit_route(em, r);
    em << YAML::EndSeq;
    emit_chains(em, cfg.chains);
    rapidjson::Document models;
    models.Parse(cfg.models_json.c_str(), cfg.models_json.size());
    if (!models.HasParseError() && models.IsObject()) emit_json_entry(em, "models", models);
    em << YAML::EndMap;
    return std::string(em.c_str()) + "\n";
}

}  // namespace nexus::config
