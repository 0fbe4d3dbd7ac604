#include "provider_config.hpp"

#include "json_util.hpp"

#include "nexus/nexus.hpp"

#include <algorithm>
#include <cctype>

namespace nexus::claude {

namespace {

[[noreturn]] void invalid(const std::string& msg) { throw sdk::Error(NX_ERR_INVALID, "claude provider config: " + msg); }

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

// RFC 9110 token characters.
bool is_header_name(std::string_view s) {
    if (s.empty()) return false;
    return std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(char(c)) != std::string_view::npos;
    });
}

bool is_header_value(std::string_view s) {
    return std::none_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

std::string string_field(const rapidjson::Value& v, const std::string& path) {
    if (!v.IsString()) invalid(path + " must be a string");
    std::string s(as_view(v));
    if (!is_header_value(s)) invalid(path + " must not contain line breaks");
    return s;
}

void parse_headers(const rapidjson::Value& v, ProviderConfig& cfg) {
    if (!v.IsObject()) invalid("options.headers must be a map of header name to value");
    // These are set by the plugin or the transport; the key belongs in `keys`, the
    // version in options.anthropic_version.
    static constexpr std::string_view kReserved[] = {"x-api-key", "authorization", "anthropic-version", "content-type",
                                                     "content-length", "host", "transfer-encoding", "connection"};
    for (const auto& m : v.GetObject()) {
        std::string name(as_view(m.name));
        std::string path = "options.headers." + name;
        if (!is_header_name(name)) invalid(path + ": not a valid HTTP header name");
        if (std::find(std::begin(kReserved), std::end(kReserved), lower(name)) != std::end(kReserved))
            invalid(path + ": this header is set by Nexus and cannot be configured");
        cfg.extra_headers.emplace_back(name, string_field(m.value, path));
    }
}

void parse_options(const rapidjson::Value& v, ProviderConfig& cfg) {
    if (!v.IsObject()) invalid("options must be a map");
    for (const auto& m : v.GetObject()) {
        std::string_view key = as_view(m.name);
        if (key == "anthropic_version") {
            cfg.anthropic_version = string_field(m.value, "options.anthropic_version");
            if (cfg.anthropic_version.empty()) invalid("options.anthropic_version must not be empty");
        } else if (key == "default_max_tokens") {
            if (!m.value.IsInt64() || m.value.GetInt64() < 1)
                invalid("options.default_max_tokens must be a positive integer");
            cfg.default_max_tokens = m.value.GetInt64();
        } else if (key == "headers") {
            parse_headers(m.value, cfg);
        } else {
            invalid("options." + std::string(key) +
                    ": unknown option (expected anthropic_version, default_max_tokens or headers)");
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

    if (const auto* base = find_present(doc, "base_url")) {
        std::string url = string_field(*base, "base_url");
        if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
            invalid("base_url must start with http:// or https://");
        while (url.size() > 1 && url.back() == '/') url.pop_back();
        cfg.base_url = std::move(url);
    }
    if (const auto* opts = find_present(doc, "options")) parse_options(*opts, cfg);
    return cfg;
}

}  // namespace nexus::claude
