#include "core/model_registry.hpp"

#include "core/json_text.hpp"

#include <rapidjson/document.h>
#include <yaml-cpp/yaml.h>

namespace nexus::core {

namespace {

using rapidjson::Value;

// Fills `info` from one entry; existing fields are kept where the entry is silent (merge).
bool apply_entry(const std::string& name, const Value& e, ModelInfo& info, std::vector<std::string>* errors) {
    std::string where = "models." + name;
    if (!e.IsObject()) {
        errors->push_back(where + ": expected a map");
        return false;
    }
    bool ok = true;
    auto integer = [&](const char* key, int64_t& out) {
        if (const Value* v = member(e, key)) {
            if (v->IsInt64() && v->GetInt64() >= 0) out = v->GetInt64();
            else errors->push_back(where + "." + key + ": expected a non-negative integer"), ok = false;
        }
    };
    integer("context_window", info.context_window);
    integer("max_output_tokens", info.max_output_tokens);
    if (const Value* caps = member(e, "capabilities")) {
        if (!caps->IsArray()) {
            errors->push_back(where + ".capabilities: expected a list");
            ok = false;
        } else {
            info.capabilities.clear();
            for (const auto& c : caps->GetArray())
                if (c.IsString()) info.capabilities.emplace_back(c.GetString());
        }
    }
    if (const Value* price = member(e, "price")) {
        if (!price->IsObject()) {
            errors->push_back(where + ".price: expected a map of input, output, cached_input");
            ok = false;
        } else {
            auto number = [&](const char* key, double& out) {
                if (const Value* v = member(*price, key)) {
                    if (v->IsNumber() && v->GetDouble() >= 0) out = v->GetDouble();
                    else errors->push_back(where + ".price." + key + ": expected a non-negative number"), ok = false;
                }
            };
            number("input", info.price_input);
            number("output", info.price_output);
            number("cached_input", info.price_cached_input);
        }
    }
    for (auto it = e.MemberBegin(); it != e.MemberEnd(); ++it) {
        std::string k = it->name.GetString();
        if (k != "context_window" && k != "max_output_tokens" && k != "capabilities" && k != "price") {
            errors->push_back(where + ": unknown key '" + k +
                              "' (expected context_window, max_output_tokens, capabilities, price)");
            ok = false;
        }
    }
    return ok;
}

void yaml_to_json(const YAML::Node& n, Value& out, rapidjson::Document::AllocatorType& a) {
    if (n.IsMap()) {
        out.SetObject();
        for (const auto& kv : n) {
            Value v;
            yaml_to_json(kv.second, v, a);
            out.AddMember(Value(kv.first.as<std::string>().c_str(), a), v, a);
        }
    } else if (n.IsSequence()) {
        out.SetArray();
        for (const auto& item : n) {
            Value v;
            yaml_to_json(item, v, a);
            out.PushBack(v, a);
        }
    } else if (n.IsScalar()) {
        const std::string& s = n.Scalar();
        char* end = nullptr;
        long long i = std::strtoll(s.c_str(), &end, 10);
        if (!s.empty() && *end == '\0') {
            out.SetInt64(i);
            return;
        }
        double d = std::strtod(s.c_str(), &end);
        if (!s.empty() && *end == '\0') out.SetDouble(d);
        else out.SetString(s.c_str(), a);
    } else {
        out.SetNull();
    }
}

void merge_all(const Value& map, std::map<std::string, ModelInfo>& exact, std::map<std::string, ModelInfo>& prefixes,
               std::vector<std::string>* errors) {
    for (auto it = map.MemberBegin(); it != map.MemberEnd(); ++it) {
        std::string name = it->name.GetString();
        bool prefix = !name.empty() && name.back() == '*';
        auto& target = prefix ? prefixes[name.substr(0, name.size() - 1)] : exact[name];
        apply_entry(name, it->value, target, errors);
    }
}

}  // namespace

bool ModelInfo::has(const std::string& capability) const {
    for (const auto& c : capabilities)
        if (c == capability) return true;
    return false;
}

double ModelInfo::cost(int64_t prompt, int64_t completion, int64_t cached) const {
    if (price_input < 0 || prompt < 0) return -1;
    double cached_price = price_cached_input >= 0 ? price_cached_input : price_input;
    int64_t cached_n = cached > 0 ? std::min(cached, prompt) : 0;
    double usd = double(prompt - cached_n) * price_input + double(cached_n) * cached_price;
    if (completion > 0) {
        if (price_output < 0) return -1;
        usd += double(completion) * price_output;
    }
    return usd / 1e6;
}

std::shared_ptr<const ModelRegistry> ModelRegistry::build(const std::string& overrides_json, std::vector<std::string>* errors) {
    auto reg = std::make_shared<ModelRegistry>();
    rapidjson::Document defaults;
    try {
        yaml_to_json(YAML::Load(kModelDefaultsYaml), defaults, defaults.GetAllocator());
    } catch (const YAML::Exception& e) {
        errors->push_back(std::string("built-in model defaults: ") + e.what());
        return nullptr;
    }
    std::vector<std::string> default_errors;
    if (defaults.IsObject()) merge_all(defaults, reg->exact_, reg->prefixes_, &default_errors);
    for (auto& e : default_errors) errors->push_back("built-in model defaults: " + e);

    if (!overrides_json.empty()) {
        rapidjson::Document o;
        std::string perr;
        if (!parse_json(overrides_json, o, &perr) || !o.IsObject()) {
            errors->push_back("models: expected a map of model names");
            return nullptr;
        }
        merge_all(o, reg->exact_, reg->prefixes_, errors);
    }
    return errors->empty() ? reg : nullptr;
}

const ModelInfo* ModelRegistry::find(const std::string& model) const {
    if (auto it = exact_.find(model); it != exact_.end()) return &it->second;
    const ModelInfo* best = nullptr;
    size_t best_len = 0;
    for (const auto& [prefix, info] : prefixes_)
        if (model.compare(0, prefix.size(), prefix) == 0 && prefix.size() >= best_len) {
            best = &info;
            best_len = prefix.size();
        }
    return best;
}

}  // namespace nexus::core
