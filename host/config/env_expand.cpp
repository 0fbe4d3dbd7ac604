#include "config/env_expand.hpp"

#include <cctype>
#include <cstdlib>

namespace nexus::config {
namespace {

std::optional<std::string> process_env(const std::string& name) {
    const char* value = std::getenv(name.c_str());
    if (!value) return std::nullopt;
    return std::string(value);
}

bool valid_var_name(std::string_view name) {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
    for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
    return true;
}

}  // namespace

Expansion expand_env(std::string_view text, EnvLookup env) {
    if (!env) env = &process_env;
    Expansion out;
    size_t i = 0;
    while (i < text.size()) {
        if (text.compare(i, 3, "$${") == 0) {
            out.value += "${";
            i += 3;
            continue;
        }
        if (text.compare(i, 2, "${") != 0) {
            out.value += text[i++];
            continue;
        }
        size_t close = text.find('}', i + 2);
        if (close == std::string_view::npos) {
            out.error = "unterminated '${' (write '$${' for a literal '${')";
            return out;
        }
        std::string_view inner = text.substr(i + 2, close - i - 2);
        size_t dflt = inner.find(":-");
        std::string_view name = inner.substr(0, dflt);
        if (!valid_var_name(name)) {
            out.error = "invalid variable name in '${" + std::string(inner.substr(0, 40)) + "}'";
            return out;
        }
        std::optional<std::string> value = env(std::string(name));
        if (dflt != std::string_view::npos) {
            // Shell semantics of ${VAR:-default}: the default also replaces an empty value.
            out.value += (value && !value->empty()) ? *value : std::string(inner.substr(dflt + 2));
        } else if (!value) {
            out.unset.emplace_back(name);
        } else {
            if (value->empty()) out.empty.emplace_back(name);
            out.value += *value;
        }
        i = close + 1;
    }
    return out;
}

std::string escape_env(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 2, "${") == 0) out += '$';
        out += text[i];
    }
    return out;
}

}  // namespace nexus::config
