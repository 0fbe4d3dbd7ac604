// The validated, effective configuration. Produced only by config::load_file / load_string;
// every other part of the host reads it, none writes it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nexus::config {

// Where a value came from, for messages like "nexus.yaml:12:5: ...".
struct Mark {
    std::string file;
    int line = 0;    // 1-based; 0 when unknown
    int column = 0;  // 1-based
};

struct Diagnostic {
    Mark mark;
    std::string message;  // "key 'x': expected Y, found Z"
    std::string to_string() const;  // "file:line:column: message"
};

struct ServerConfig {
    std::string host = "127.0.0.1";
    uint16_t port = 8080;
    unsigned threads = 0;                    // 0 = hardware threads ("auto")
    size_t max_body = 8u << 20;              // bytes
    size_t max_header = 16u << 10;           // bytes
    size_t max_connections = 10000;
    std::chrono::milliseconds read_timeout{30000};     // slow client: headers+body must arrive in this
    std::chrono::milliseconds idle_timeout{60000};     // keep-alive idle
    std::chrono::milliseconds shutdown_grace{10000};   // drain deadline on SIGTERM
};

struct LogConfig {
    std::string level = "info";   // trace|debug|info|warn|error|off
    std::string format = "text";  // text|json
};

struct PluginsConfig {
    std::string dir = "./build/plugins";  // load_*: plugins.dir resolved, else NEXUS_DEFAULT_PLUGIN_DIR
    std::map<std::string, std::string> pin;  // plugin name -> "sha256:<hex>"
    // Plugins whose failure to load does not stop the host (default: every failure refuses).
    std::vector<std::string> optional;
    bool skip_broken = false;  // plugins.on_error: skip  => host keeps running with the others
};

struct StateConfig {
    std::string backend = "memory";  // memory|redis
    std::string url;                 // redis://host:port
};

struct TimeoutsConfig {
    std::chrono::milliseconds connect{10000};
    std::chrono::milliseconds first_byte{60000};
    std::chrono::milliseconds idle{60000};
    std::chrono::milliseconds total{600000};
};

struct ProviderConfig {
    std::string name;
    std::string plugin;
    std::string base_url;                 // empty: the plugin's default
    std::vector<std::string> keys;        // resolved, non-empty keys only; SECRET
    std::vector<std::string> missing_key_vars;  // ${VARS} in keys that were unset
    std::string options_json;             // the whole provider block as JSON, keys removed
    TimeoutsConfig timeouts;
    std::string ca_file;
    bool insecure_skip_verify = false;
    size_t pool_size = 64;                // max connections per origin per thread
    Mark mark;
};

struct TargetConfig {
    std::string provider;
    std::string model;
    std::string params_json;  // targets[].params as JSON object, "" when absent
    unsigned weight = 1;
    Mark mark;
};

// routes[].retry: the same target is retried on these error classes, with exponential
// backoff and full jitter; then the route falls back to its next target.
struct RetryConfig {
    unsigned max_attempts = 2;  // per target, the first attempt included
    std::chrono::milliseconds backoff{200};
    std::chrono::milliseconds max_backoff{5000};
    std::vector<std::string> retry_on{"rate_limited", "server", "overloaded", "timeout", "network"};
    Mark mark;
};

// routes[].breaker: a target (provider + model) opens after `failures` consecutive failures
// and half-opens with one probe after `cooldown`.
struct BreakerConfig {
    unsigned failures = 5;
    std::chrono::milliseconds cooldown{30000};
    // Also opens when at least `min_requests` outcomes in the current `window` have this
    // share of failures; 0: off.
    double failure_ratio = 0;
    std::chrono::milliseconds window{60000};
    unsigned min_requests = 10;
    Mark mark;
};

// routes[].timeouts: each one given overrides the provider's for this route's attempts.
struct RouteTimeoutsConfig {
    std::optional<std::chrono::milliseconds> connect, first_byte, idle, total;
    Mark mark;
};

struct RouteConfig {
    std::string model;
    std::string strategy = "fallback";
    std::string chain;  // empty: "default"
    // routes[].default: at most one route is the default. The model `auto` (when no route is
    // named so) is served by its targets, first healthy one first, and so is a route with
    // `strategy: auto` and no targets of its own.
    bool is_default = false;
    std::vector<TargetConfig> targets;  // empty only for strategy auto: the default route's
    RetryConfig retry;
    BreakerConfig breaker;
    RouteTimeoutsConfig timeouts;
    Mark mark;
};

struct MiddlewareRef {
    std::string name;         // built-in name or plugin name
    std::string config_json;  // "{}" when given as a bare name
    Mark mark;
};

struct AdminConfig {
    std::string key;  // admin.key; SECRET; empty: no admin key configured
    Mark mark;
};

struct Config {
    std::string source_path;
    ServerConfig server;
    LogConfig log;
    PluginsConfig plugins;
    StateConfig state;
    std::vector<ProviderConfig> providers;  // in file order
    std::vector<RouteConfig> routes;        // in file order
    std::map<std::string, std::vector<MiddlewareRef>> chains;  // always has "default" (empty unless configured)
    AdminConfig admin;
    std::string models_json = "{}";  // the free-form `models` map as a JSON object

    const ProviderConfig* provider(const std::string& name) const;
    const RouteConfig* route(const std::string& model) const;
};

struct LoadResult {
    std::shared_ptr<const Config> config;  // null when diagnostics has errors
    std::vector<Diagnostic> diagnostics;   // errors; empty on success
    std::vector<Diagnostic> warnings;
    // plugins.dir resolved (or the compiled-in default), filled even when there are errors
    // elsewhere, so `config check` can list the plugins and check names in a second pass.
    std::string plugin_dir;
    bool ok() const { return config != nullptr; }
};

// Names the schema check accepts for providers.<n>.plugin and chain entries, in addition to
// the built-in middleware names. Both lists empty: plugin names are not checked; otherwise
// both kinds are checked (an empty middleware list then allows only the built-in names).
struct KnownPlugins {
    std::vector<std::string> providers;
    std::vector<std::string> middleware;
};

// Environment lookup, injectable for tests.
using EnvLookup = std::optional<std::string> (*)(const std::string& name);

LoadResult load_file(const std::string& path, const KnownPlugins& known = {}, EnvLookup env = nullptr);
LoadResult load_string(const std::string& yaml_text, const std::string& file_name, const KnownPlugins& known = {},
                       EnvLookup env = nullptr);

// The effective config as YAML with every secret (keys, admin keys, URLs' passwords) masked.
std::string show(const Config& cfg);

}  // namespace nexus::config
