// The sanitize middleware's settings, read from its chain entry:
//   {pii: redact|hash|block|off, rules: {email: block, ...}, custom: [{name, pattern, action}],
//    scope: [request, response], reversible: false, holdback: 48,
//    secret_min_length: 32, secret_min_entropy: 4.8}
// See README.md for what each one means.
#pragma once

#include "detectors.hpp"

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace nexus::sanitize {

enum class Action { off, redact, hash, block };
const char* action_name(Action a);

struct Rule {
    std::string name;   // "email", or a custom rule's name
    std::string label;  // "EMAIL": the placeholder text
    Action action = Action::redact;
    std::optional<Detector> builtin;
    std::shared_ptr<const std::regex> pattern;  // custom rules
};

struct Config {
    std::vector<Rule> rules;  // enabled rules only, custom ones first, then by Detector priority
    bool request = true;      // scope
    bool response = true;
    bool reversible = false;
    size_t holdback = 48;     // streamed responses: bytes held back besides the last word
    DetectorOptions detector;
};

// Throws nexus::sdk::Error(NX_ERR_INVALID, "sanitize: '<field>': expected ..., found ...").
Config parse_config(std::string_view json);

}  // namespace nexus::sanitize
