#include "sanitize_config.hpp"

#include "nexus/nexus.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <set>

namespace nexus::sanitize {

namespace {

[[noreturn]] void invalid(const std::string& field, const std::string& expected, const std::string& found) {
    throw sdk::Error(NX_ERR_INVALID, "sanitize: '" + field + "': expected " + expected + ", found " + found);
}

std::string describe(const rapidjson::Value& v) {
    if (v.IsNull()) return "null";
    if (v.IsBool()) return v.GetBool() ? "true" : "false";
    if (v.IsObject()) return "a mapping";
    if (v.IsArray()) return "a list";
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    v.Accept(w);
    return std::string(sb.GetString(), sb.GetSize());
}

std::string_view str(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

Action parse_action(const rapidjson::Value& v, const std::string& field) {
    if (v.IsString()) {
        auto s = str(v);
        if (s == "redact") return Action::redact;
        if (s == "hash") return Action::hash;
        if (s == "block") return Action::block;
        if (s == "off") return Action::off;
    }
    if (v.IsBool() && !v.GetBool()) return Action::off;  // YAML `off` reads as false
    invalid(field, "redact, hash, block or off", describe(v));
}

bool parse_bool(const rapidjson::Value& v, const std::string& field) {
    if (!v.IsBool()) invalid(field, "true or false", describe(v));
    return v.GetBool();
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
    return out;
}

bool valid_rule_name(std::string_view s) {
    if (s.empty() || s.size() > 40 || !(s[0] >= 'a' && s[0] <= 'z')) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

std::optional<Detector> builtin_named(std::string_view name) {
    for (Detector d : kAllDetectors)
        if (name == detector_name(d)) return d;
    return std::nullopt;
}

std::string builtin_list() {
    std::string out;
    for (Detector d : kAllDetectors) out += (out.empty() ? "" : ", ") + std::string(detector_name(d));
    return out;
}

void parse_scope(const rapidjson::Value& v, Config& cfg) {
    cfg.request = cfg.response = false;
    auto one = [&](const rapidjson::Value& s, const std::string& field) {
        if (s.IsString() && str(s) == "request") cfg.request = true;
        else if (s.IsString() && str(s) == "response") cfg.response = true;
        else invalid(field, "request or response", describe(s));
    };
    if (v.IsString()) return one(v, "scope");
    if (!v.IsArray() || v.Empty()) invalid("scope", "a list of request and/or response", describe(v));
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) one(v[i], "scope[" + std::to_string(i) + "]");
}

uint64_t parse_count(const rapidjson::Value& v, const std::string& field, uint64_t lo, uint64_t hi) {
    if (!v.IsUint64() || v.GetUint64() < lo || v.GetUint64() > hi)
        invalid(field, "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi), describe(v));
    return v.GetUint64();
}

std::vector<Rule> parse_custom(const rapidjson::Value& v) {
    if (!v.IsArray()) invalid("custom", "a list of {name, pattern, action}", describe(v));
    std::vector<Rule> out;
    std::set<std::string> names;
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
        std::string at = "custom[" + std::to_string(i) + "]";
        const auto& e = v[i];
        if (!e.IsObject()) invalid(at, "a mapping {name, pattern, action}", describe(e));
        Rule r;
        for (const auto& m : e.GetObject()) {
            auto key = str(m.name);
            std::string field = at + "." + std::string(key);
            if (key == "name") {
                if (!m.value.IsString() || !valid_rule_name(str(m.value)))
                    invalid(field, "a name of lower-case letters, digits and _ (at most 40)", describe(m.value));
                r.name = std::string(str(m.value));
            } else if (key == "pattern") {
                if (!m.value.IsString() || m.value.GetStringLength() == 0)
                    invalid(field, "a regular expression", describe(m.value));
                try {
                    r.pattern = std::make_shared<const std::regex>(m.value.GetString(), m.value.GetStringLength(),
                                                                   std::regex::ECMAScript);
                } catch (const std::regex_error& err) {
                    invalid(field, std::string("a valid regular expression (") + err.what() + ")", describe(m.value));
                }
            } else if (key == "action") {
                r.action = parse_action(m.value, field);
            } else {
                invalid(field, "one of name, pattern, action", "an unknown setting");
            }
        }
        if (r.name.empty()) invalid(at + ".name", "a rule name", "nothing");
        if (!r.pattern) invalid(at + ".pattern", "a regular expression", "nothing");
        if (builtin_named(r.name)) invalid(at + ".name", "a name other than the built-in detectors' (" + builtin_list() + ")", "\"" + r.name + "\"");
        if (!names.insert(r.name).second) invalid(at + ".name", "a name not used by another custom rule", "\"" + r.name + "\"");
        r.label = upper(r.name);
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace

const char* action_name(Action a) {
    switch (a) {
        case Action::off: return "off";
        case Action::redact: return "redact";
        case Action::hash: return "hash";
        case Action::block: return "block";
    }
    return "off";
}

Config parse_config(std::string_view json) {
    Config cfg;
    rapidjson::Document d;
    d.Parse(json.data(), json.size());
    if (d.HasParseError() || !d.IsObject()) throw sdk::Error(NX_ERR_INVALID, "sanitize: expected a mapping of settings");

    Action pii = Action::redact;
    std::vector<std::pair<Detector, Action>> overrides;
    std::vector<Rule> custom;
    for (const auto& m : d.GetObject()) {
        auto key = str(m.name);
        std::string field(key);
        if (key == "pii") {
            pii = parse_action(m.value, field);
        } else if (key == "rules") {
            if (!m.value.IsObject()) invalid(field, "a mapping of detector name to action", describe(m.value));
            for (const auto& r : m.value.GetObject()) {
                std::string rf = "rules." + std::string(str(r.name));
                auto det = builtin_named(str(r.name));
                if (!det) invalid(rf, "a built-in detector (" + builtin_list() + "; custom rules set their own action)", "an unknown rule");
                overrides.emplace_back(*det, parse_action(r.value, rf));
            }
        } else if (key == "custom") {
            custom = parse_custom(m.value);
        } else if (key == "scope") {
            parse_scope(m.value, cfg);
        } else if (key == "reversible") {
            cfg.reversible = parse_bool(m.value, field);
        } else if (key == "holdback") {
            cfg.holdback = size_t(parse_count(m.value, field, 8, 4096));
        } else if (key == "secret_min_length") {
            cfg.detector.secret_min_length = size_t(parse_count(m.value, field, 16, 4096));
        } else if (key == "secret_min_entropy") {
            if (!m.value.IsNumber() || m.value.GetDouble() < 1 || m.value.GetDouble() > 8)
                invalid(field, "bits per character from 1 to 8", describe(m.value));
            cfg.detector.secret_min_entropy = m.value.GetDouble();
        } else {
            invalid(field, "one of pii, rules, custom, scope, reversible, holdback, secret_min_length, secret_min_entropy",
                    "an unknown setting");
        }
    }

    for (auto& r : custom)
        if (r.action != Action::off) cfg.rules.push_back(std::move(r));
    for (Detector det : kAllDetectors) {
        Action a = pii;
        for (const auto& [d2, a2] : overrides)
            if (d2 == det) a = a2;
        if (a == Action::off) continue;
        Rule r;
        r.name = detector_name(det);
        r.label = upper(r.name);
        r.action = a;
        r.builtin = det;
        cfg.rules.push_back(std::move(r));
    }
    return cfg;
}

}  // namespace nexus::sanitize
