// Shared helpers for the config tests: an injectable environment and short loaders.
#pragma once

#include "config/config.hpp"

#include <initializer_list>
#include <map>
#include <memory>
#include <stdexcept>
#include <optional>
#include <string>
#include <vector>

namespace config_test {

// The environment the loaders below see (never the process environment).
inline std::map<std::string, std::string>& fake_env() {
    static std::map<std::string, std::string> env;
    return env;
}

inline std::optional<std::string> lookup(const std::string& name) {
    auto it = fake_env().find(name);
    if (it == fake_env().end()) return std::nullopt;
    return it->second;
}

// Sets the fake environment for one test.
struct ScopedEnv {
    using Vars = std::map<std::string, std::string>;
    explicit ScopedEnv(std::initializer_list<Vars::value_type> vars) { fake_env() = Vars(vars); }
    explicit ScopedEnv(const Vars& vars) { fake_env() = vars; }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;
    ~ScopedEnv() { fake_env().clear(); }
};

inline nexus::config::LoadResult load(const std::string& yaml, const nexus::config::KnownPlugins& known = {}) {
    return nexus::config::load_string(yaml, "/etc/nexus/test.yaml", known, &lookup);
}

inline std::vector<std::string> strings(const std::vector<nexus::config::Diagnostic>& list) {
    std::vector<std::string> out;
    for (const auto& d : list) out.push_back(d.to_string());
    return out;
}

// The errors of loading `yaml`, each "file:line:column: message".
inline std::vector<std::string> errors_of(const std::string& yaml, const nexus::config::KnownPlugins& known = {}) {
    return strings(load(yaml, known).diagnostics);
}

// Loads `yaml`, which must be valid.
inline std::shared_ptr<const nexus::config::Config> valid(const std::string& yaml,
                                                          const nexus::config::KnownPlugins& known = {}) {
    auto r = load(yaml, known);
    if (!r.ok()) {
        std::string all;
        for (const auto& d : r.diagnostics) all += d.to_string() + "\n";
        throw std::runtime_error("unexpected config errors:\n" + all);
    }
    return r.config;
}

using Lines = std::vector<std::string>;

}  // namespace config_test
