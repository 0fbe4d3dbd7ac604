// Every kind of schema error, with its exact position and text.
#include "config_test_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace config_test;

TEST_CASE("unknown keys suggest the closest valid key") {
    CHECK(errors_of("server:\n  lisen: 127.0.0.1:80\n") ==
          Lines{"/etc/nexus/test.yaml:2:3: key 'server.lisen': unknown key, did you mean 'listen'?"});
    CHECK(errors_of("provders: {}\n") ==
          Lines{"/etc/nexus/test.yaml:1:1: key 'provders': unknown key, did you mean 'providers'?"});
}

TEST_CASE("unknown keys far from any valid key list what is expected") {
    CHECK(errors_of("log:\n  colour: true\n") ==
          Lines{"/etc/nexus/test.yaml:2:3: key 'log.colour': unknown key, expected one of: level, format"});
    CHECK(errors_of("telemetry: {}\n") ==
          Lines{"/etc/nexus/test.yaml:1:1: key 'telemetry': unknown key, expected one of: server, log, plugins, "
                "state, providers, routes, chains, admin, models"});
}

TEST_CASE("wrong types") {
    CHECK(errors_of("server: [1, 2]\n") == Lines{"/etc/nexus/test.yaml:1:9: key 'server': expected a mapping, found a list"});
    CHECK(errors_of("server:\n  threads: many\n") ==
          Lines{"/etc/nexus/test.yaml:2:12: key 'server.threads': expected auto or an integer >= 1, found 'many'"});
    CHECK(errors_of("server:\n  threads: 0\n") ==
          Lines{"/etc/nexus/test.yaml:2:12: key 'server.threads': expected auto or an integer >= 1, found '0'"});
    CHECK(errors_of("server:\n  max_connections: {a: 1}\n") ==
          Lines{"/etc/nexus/test.yaml:2:20: key 'server.max_connections': expected an integer >= 1, found a mapping"});
    CHECK(errors_of("server:\n  max_connections: 1.5\n") ==
          Lines{"/etc/nexus/test.yaml:2:20: key 'server.max_connections': expected an integer >= 1, found '1.5'"});
    CHECK(errors_of("providers:\n  p: {plugin: openai, insecure_skip_verify: maybe}\n") ==
          Lines{"/etc/nexus/test.yaml:2:45: key 'providers.p.insecure_skip_verify': expected true or false, found 'maybe'"});
    CHECK(errors_of("providers:\n  p: {plugin: openai, pool_size: 0}\n") ==
          Lines{"/etc/nexus/test.yaml:2:34: key 'providers.p.pool_size': expected an integer >= 1, found '0'"});
    CHECK(errors_of("providers:\n  p: {plugin: openai, options: [a]}\n") ==
          Lines{"/etc/nexus/test.yaml:2:32: key 'providers.p.options': expected a mapping, found a list"});
    CHECK(errors_of("providers:\n  p: {plugin: [openai]}\n") ==
          Lines{"/etc/nexus/test.yaml:2:15: key 'providers.p.plugin': expected a plugin name, found a list"});
    CHECK(errors_of("providers: [openai]\n") ==
          Lines{"/etc/nexus/test.yaml:1:12: key 'providers': expected a mapping of provider name to settings, found a list"});
    CHECK(errors_of("- a\n- b\n") ==
          Lines{"/etc/nexus/test.yaml:1:1: expected a mapping of sections (server, providers, routes, ...), found a list"});
}

TEST_CASE("enumerations say what is allowed and suggest a near value") {
    CHECK(errors_of("log:\n  level: warning\n") ==
          Lines{"/etc/nexus/test.yaml:2:10: key 'log.level': expected one of trace, debug, info, warn, error, off, "
                "found 'warning' (did you mean 'warn'?)"});
    CHECK(errors_of("log:\n  format: yaml\n") ==
          Lines{"/etc/nexus/test.yaml:2:11: key 'log.format': expected one of text, json, found 'yaml'"});
    CHECK(errors_of("plugins:\n  on_error: ignore\n") ==
          Lines{"/etc/nexus/test.yaml:2:13: key 'plugins.on_error': expected one of refuse, skip, found 'ignore'"});
    CHECK(errors_of("state: {backend: postgres}\n") ==
          Lines{"/etc/nexus/test.yaml:1:18: key 'state.backend': expected one of memory, redis, found 'postgres'"});
}

TEST_CASE("durations, sizes and addresses in the schema") {
    CHECK(errors_of("server:\n  read_timeout: 5 minutes\n") ==
          Lines{"/etc/nexus/test.yaml:2:17: key 'server.read_timeout': expected a duration (e.g. 300s, 150ms, 2m, 1h, "
                "or seconds), found '5 minutes'"});
    CHECK(errors_of("server:\n  idle_timeout: 0s\n") ==
          Lines{"/etc/nexus/test.yaml:2:17: key 'server.idle_timeout': expected a duration > 0, found '0s'"});
    CHECK(errors_of("server:\n  max_body: 8 megabytes\n") ==
          Lines{"/etc/nexus/test.yaml:2:13: key 'server.max_body': expected a size (e.g. 8MiB, 512KiB, 1MB, or bytes), "
                "found '8 megabytes'"});
    CHECK(errors_of("server:\n  max_header: 0\n") ==
          Lines{"/etc/nexus/test.yaml:2:15: key 'server.max_header': expected a size > 0, found '0'"});
    CHECK(errors_of("server:\n  listen: localhost\n") ==
          Lines{"/etc/nexus/test.yaml:2:11: key 'server.listen': expected an address like 127.0.0.1:8080, [::1]:8080 "
                "or :8080, found 'localhost'"});
    CHECK(errors_of("providers:\n  p:\n    plugin: openai\n    timeouts: {connect: 10x}\n") ==
          Lines{"/etc/nexus/test.yaml:4:25: key 'providers.p.timeouts.connect': expected a duration (e.g. 300s, 150ms, "
                "2m, 1h, or seconds), found '10x'"});
    CHECK(errors_of("providers:\n  p:\n    plugin: openai\n    base_url: api.openai.com\n") ==
          Lines{"/etc/nexus/test.yaml:4:15: key 'providers.p.base_url': expected an http:// or https:// URL with a "
                "host, found 'api.openai.com'"});
}

TEST_CASE("server settings are read") {
    auto cfg = valid(R"(
server:
  listen: "[::1]:9090"
  threads: 4
  max_body: 1MB
  max_header: 512KiB
  max_connections: 50
  read_timeout: 150ms
  idle_timeout: 2m
  shutdown_grace: 0
log: {level: debug, format: json}
)");
    CHECK(cfg->server.host == "::1");
    CHECK(cfg->server.port == 9090);
    CHECK(cfg->server.threads == 4);
    CHECK(cfg->server.max_body == 1'000'000);
    CHECK(cfg->server.max_header == 512u << 10);
    CHECK(cfg->server.max_connections == 50);
    CHECK(cfg->server.read_timeout == std::chrono::milliseconds(150));
    CHECK(cfg->server.idle_timeout == std::chrono::minutes(2));
    CHECK(cfg->server.shutdown_grace == std::chrono::milliseconds(0));
    CHECK(cfg->log.level == "debug");
    CHECK(cfg->log.format == "json");
    auto any = valid("server: {listen: \":8081\", threads: auto}\n");
    CHECK(any->server.host == "0.0.0.0");
    CHECK(any->server.port == 8081);
    CHECK(any->server.threads == 0);
}

TEST_CASE("an empty file is a valid config with every default") {
    auto cfg = valid("");
    CHECK(cfg->server.host == "127.0.0.1");
    CHECK(cfg->server.port == 8080);
    CHECK(cfg->plugins.dir == NEXUS_DEFAULT_PLUGIN_DIR);
    CHECK(cfg->state.backend == "memory");
    CHECK(cfg->providers.empty());
    CHECK(cfg->chains.size() == 1);
    CHECK(cfg->chains.at("default").empty());
    CHECK(cfg->models_json == "{}");
}

TEST_CASE("missing required fields") {
    CHECK(errors_of("providers:\n  p:\n    base_url: http://h\n") ==
          Lines{"/etc/nexus/test.yaml:3:5: key 'providers.p.plugin': required key is missing"});
    CHECK(errors_of("providers:\n  p:\n") ==
          Lines{"/etc/nexus/test.yaml:2:3: key 'providers.p.plugin': required key is missing"});
    CHECK(errors_of("routes:\n  - strategy: fallback\n") ==
          Lines{"/etc/nexus/test.yaml:2:5: key 'routes[0].model': required key is missing",
                "/etc/nexus/test.yaml:2:5: key 'routes[0].targets': required key is missing"});
    CHECK(errors_of("providers: {p: {plugin: openai}}\nroutes:\n  - model: m\n    targets: [{provider: p}]\n") ==
          Lines{"/etc/nexus/test.yaml:4:15: key 'routes[0].targets[0].model': required key is missing"});
    CHECK(errors_of("state: {backend: redis}\n") ==
          Lines{"/etc/nexus/test.yaml:1:8: key 'state.url': required when backend is redis"});
}

TEST_CASE("state and plugins sections") {
    CHECK(errors_of("state: {backend: redis, url: \"http://cache:6379\"}\n") ==
          Lines{"/etc/nexus/test.yaml:1:30: key 'state.url': expected a URL starting with redis:// or rediss://, found "
                "'http://cache:6379'"});
    auto cfg = valid(R"(
state: {backend: redis, url: "redis://:pw@cache:6379/0"}
plugins:
  dir: ../lib/nexus
  pin: {claude: "sha256:ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789"}
  optional: [mistral]
  on_error: skip
)");
    CHECK(cfg->state.backend == "redis");
    CHECK(cfg->state.url == "redis://:pw@cache:6379/0");
    CHECK(cfg->plugins.dir == "/etc/lib/nexus");
    CHECK(cfg->plugins.pin.at("claude") == "sha256:abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
    CHECK(cfg->plugins.optional == std::vector<std::string>{"mistral"});
    CHECK(cfg->plugins.skip_broken);
    CHECK(valid("plugins: {on_error: refuse}\n")->plugins.skip_broken == false);
}

TEST_CASE("plugin pins must be sha256 with 64 hex digits") {
    CHECK(errors_of("plugins:\n  pin: {claude: \"sha256:abc\"}\n") ==
          Lines{"/etc/nexus/test.yaml:2:17: key 'plugins.pin.claude': expected 'sha256:' followed by 64 hex digits, "
                "found 'sha256:abc'"});
    CHECK(errors_of("plugins:\n  pin: {claude: \"md5:" + std::string(64, 'a') + "\"}\n").size() == 1);
    CHECK(errors_of("plugins:\n  pin: {claude: \"sha256:" + std::string(63, 'a') + "g\"}\n").size() == 1);
    CHECK(errors_of("plugins:\n  pin: [claude]\n") ==
          Lines{"/etc/nexus/test.yaml:2:8: key 'plugins.pin': expected a mapping of plugin name to 'sha256:<hex>', "
                "found a list"});
}

TEST_CASE("relative paths resolve against the config file's directory") {
    auto r = nexus::config::load_string("plugins: {dir: plugins}\nproviders: {p: {plugin: x, ca_file: certs/ca.pem}}\n",
                                        "/srv/gw/conf/nexus.yaml", {}, &lookup);
    REQUIRE(r.ok());
    CHECK(r.config->plugins.dir == "/srv/gw/conf/plugins");
    CHECK(r.config->providers[0].ca_file == "/srv/gw/conf/certs/ca.pem");
    CHECK(r.plugin_dir == "/srv/gw/conf/plugins");
    auto abs = nexus::config::load_string("plugins: {dir: /opt/p}\n", "/srv/x.yaml", {}, &lookup);
    CHECK(abs.config->plugins.dir == "/opt/p");
    auto no_dir = nexus::config::load_string("plugins: {dir: p}\n", "", {}, &lookup);
    CHECK(no_dir.config->plugins.dir == (std::filesystem::current_path() / "p").string());
}

TEST_CASE("duplicate keys in any mapping") {
    CHECK(errors_of("server:\n  listen: 127.0.0.1:1\n  listen: 127.0.0.1:2\n") ==
          Lines{"/etc/nexus/test.yaml:3:3: key 'server.listen': duplicate key, first defined at line 2"});
    CHECK(errors_of("providers:\n  a: {plugin: openai}\n  a: {plugin: claude}\n") ==
          Lines{"/etc/nexus/test.yaml:3:3: key 'providers.a': duplicate key, first defined at line 2"});
    CHECK(errors_of("models:\n  m: {x: 1, x: 2}\n") ==
          Lines{"/etc/nexus/test.yaml:2:13: key 'models.m.x': duplicate key, first defined at line 2"});
    CHECK(errors_of("log: {}\nlog: {}\n") == Lines{"/etc/nexus/test.yaml:2:1: key 'log': duplicate key, first defined at line 1"});
}

TEST_CASE("non-scalar keys") {
    CHECK(errors_of("models:\n  ? [a, b]\n  : 1\n") ==
          Lines{"/etc/nexus/test.yaml:2:5: key 'models': expected a plain key, found a list as a key"});
}

TEST_CASE("YAML syntax errors carry yaml-cpp's position and message") {
    CHECK(errors_of("server: {listen: 1\nlog: x\n") ==
          Lines{"/etc/nexus/test.yaml:2:4: end of map flow not found"});
    CHECK(errors_of("a: [1, 2\n") == Lines{"/etc/nexus/test.yaml:2:1: end of sequence flow not found"});
}

TEST_CASE("more than one YAML document") {
    CHECK(errors_of("log: {}\n---\nlog: {}\n") ==
          Lines{"/etc/nexus/test.yaml:2:1: expected one YAML document, found a second one"});
    CHECK(errors_of("---\nlog: {}\n...\n").empty());
}

TEST_CASE("a stray ',' is a syntax error (yaml-cpp 0.7 would hang or load nothing)") {
    CHECK(errors_of(",server: {}\n") == Lines{"/etc/nexus/test.yaml:1:1: unexpected ','"});
    CHECK(errors_of("\n  ,\n") == Lines{"/etc/nexus/test.yaml:2:3: unexpected ','"});
    CHECK(errors_of("log: {}\n---\n,\n") ==
          Lines{"/etc/nexus/test.yaml:2:1: expected one YAML document, found a second one"});
}

TEST_CASE("a cyclic alias is an error, not a crash") {
    auto errs = errors_of("models:\n  a: &x [1, *x]\n");
    REQUIRE(errs.size() == 1);
    CHECK(errs[0].find("levels deep (an alias inside itself?)") != std::string::npos);
}

TEST_CASE("a missing file names the path and the system's reason") {
    auto r = nexus::config::load_file("/nonexistent/nexus.yaml");
    CHECK_FALSE(r.ok());
    CHECK(strings(r.diagnostics) == Lines{"/nonexistent/nexus.yaml: cannot open config file: No such file or directory"});
    auto dir = nexus::config::load_file("/tmp");
    CHECK(strings(dir.diagnostics) == Lines{"/tmp: cannot open config file: Is a directory"});
}

TEST_CASE("every error is reported, in file order") {
    auto errs = errors_of(R"(server:
  listen: nowhere
  threads: -2
log: {level: loud}
providers:
  a: {plugin: openai, bogus: 1}
  b: {keys: x}
routes:
  - model: m
    targets: [{provider: c, model: x}]
  - model: m
    chain: nope
    targets: []
)");
    CHECK(errs == Lines{
        "/etc/nexus/test.yaml:2:11: key 'server.listen': expected an address like 127.0.0.1:8080, [::1]:8080 or :8080, found 'nowhere'",
        "/etc/nexus/test.yaml:3:12: key 'server.threads': expected auto or an integer >= 1, found '-2'",
        "/etc/nexus/test.yaml:4:14: key 'log.level': expected one of trace, debug, info, warn, error, off, found 'loud'",
        "/etc/nexus/test.yaml:6:23: key 'providers.a.bogus': unknown key, expected one of: plugin, base_url, keys, timeouts, ca_file, insecure_skip_verify, pool_size, options",
        "/etc/nexus/test.yaml:7:6: key 'providers.b.plugin': required key is missing",
        "/etc/nexus/test.yaml:10:26: key 'routes[0].targets[0].provider': provider 'c' is not defined in providers",
        "/etc/nexus/test.yaml:11:12: key 'routes[1].model': duplicate route for model 'm', first defined at line 9",
        "/etc/nexus/test.yaml:12:12: key 'routes[1].chain': chain 'nope' is not defined in chains",
        "/etc/nexus/test.yaml:13:14: key 'routes[1].targets': expected a non-empty list of targets, found an empty list",
    });
}
