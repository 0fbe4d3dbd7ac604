// Per-model facts: context window, output cap, capabilities and prices. Defaults ship in
// config/models.yaml (compiled in); the config's `models:` section overrides or adds entries.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nexus::core {

struct ModelInfo {
    int64_t context_window = 0;     // tokens; 0 = unknown
    int64_t max_output_tokens = 0;  // 0 = unknown
    std::vector<std::string> capabilities;
    double price_input = -1;        // USD per million tokens; -1 = unknown
    double price_output = -1;
    double price_cached_input = -1;
    bool has(const std::string& capability) const;
    // USD for one request; -1 when the price is unknown. Cached prompt tokens are billed at
    // the cached price (or the input price when none is known).
    double cost(int64_t prompt_tokens, int64_t completion_tokens, int64_t cached_tokens) const;
};

class ModelRegistry {
public:
    // Defaults plus `overrides_json` (the config's `models` map as JSON). Errors name the field
    // ("models.gpt-4o.price.input: expected a number").
    static std::shared_ptr<const ModelRegistry> build(const std::string& overrides_json, std::vector<std::string>* errors);
    // Exact name first, then the longest matching `prefix*` entry.
    const ModelInfo* find(const std::string& model) const;
    size_t size() const { return exact_.size() + prefixes_.size(); }

private:
    std::map<std::string, ModelInfo> exact_;
    std::map<std::string, ModelInfo> prefixes_;  // without the trailing '*'
};

// The compiled-in text of config/models.yaml.
extern const char* const kModelDefaultsYaml;

}  // namespace nexus::core
