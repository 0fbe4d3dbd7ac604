#include "config_test_support.hpp"

#include <catch2/catch.hpp>

using namespace config_test;
using nexus::config::show;

namespace {

const char* kRich = R"(server:
  listen: "[::1]:9090"
  threads: 2
  max_body: 1MB
  read_timeout: 1500ms
log: {level: warn}
plugins:
  dir: ./plugins
  pin: {claude: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
  optional: [mistral]
  on_error: skip
state: {backend: redis, url: "redis://:redis-pass-123@cache:6379/0"}
admin: {key: "${ADMIN_KEY}"}
providers:
  openai:
    plugin: openai
    base_url: https://proxy-user:url-pass-456@proxy.example.com/v1
    keys: ["${OPENAI_KEY}", "${OPENAI_KEY_2}", sk-inline-secret-789]
    timeouts: {connect: 2s}
    ca_file: certs/ca.pem
    options: {org: "org-1", count: "12", flag: "true", ratio: 1.0, n: 3, dollar: "$${HOME}", none: ~,
              list: [a, "1"], weird: "@at", star: "*star", empty: ""}
  anthropic:
    plugin: claude
    keys: ["${ANTHROPIC_KEY}"]
routes:
  - model: smart
    strategy: fallback
    default: true
    targets:
      - {provider: anthropic, model: claude-sonnet-4-5, params: {temperature: 0.7, tag: "001"}}
      - {provider: openai, model: gpt-4o, weight: 2}
  - model: "42"
    chain: strict
    targets: [{provider: openai, model: gpt-4o-mini}]
  - {model: pick, strategy: auto}
chains:
  strict: [auth, {ratelimit: {rpm: 60}}, {cache: {}}]
models:
  smart: {context: 200000, label: "yes"}
)";

const std::map<std::string, std::string> kEnv = {
    {"ADMIN_KEY", "admin-secret-abc"}, {"OPENAI_KEY", "sk-openai-secret-def"}, {"OPENAI_KEY_2", ""}};

}  // namespace

TEST_CASE("show: secrets are masked everywhere") {
    ScopedEnv env(kEnv);
    std::string out = show(*valid(kRich));
    INFO(out);
    for (const char* secret : {"admin-secret-abc", "sk-openai-secret-def", "sk-inline-secret-789", "redis-pass-123",
                               "url-pass-456"})
        CHECK(out.find(secret) == std::string::npos);
    CHECK(out.find("url: redis://:****@cache:6379/0\n") != std::string::npos);
    CHECK(out.find("base_url: https://proxy-user:****@proxy.example.com/v1\n") != std::string::npos);
    CHECK(out.find("admin:\n  key: \"****\"") != std::string::npos);
    CHECK(out.find("    keys:\n      - \"****\"\n      - \"****\"\n      - \"<unset: ${OPENAI_KEY_2}>\"") !=
          std::string::npos);
    CHECK(out.find("      - \"<unset: ${ANTHROPIC_KEY}>\"") != std::string::npos);
}

TEST_CASE("show: strings that would reload as another type are quoted, ${ is escaped") {
    ScopedEnv env(kEnv);
    std::string out = show(*valid(kRich));
    INFO(out);
    CHECK(out.find("      count: \"12\"\n") != std::string::npos);
    CHECK(out.find("      flag: \"true\"\n") != std::string::npos);
    CHECK(out.find("      ratio: 1.0\n") != std::string::npos);
    CHECK(out.find("      n: 3\n") != std::string::npos);
    CHECK(out.find("      dollar: $${HOME}\n") != std::string::npos);
    CHECK(out.find("      empty: \"\"\n") != std::string::npos);
    CHECK(out.find("    label: \"yes\"\n") != std::string::npos);
    CHECK(out.find("  - model: \"42\"\n") != std::string::npos);
}

TEST_CASE("show: every default is written out") {
    std::string out = show(*valid(""));
    CHECK(out == "server:\n"
                 "  listen: 127.0.0.1:8080\n"
                 "  threads: auto\n"
                 "  max_body: 8MiB\n"
                 "  max_header: 16KiB\n"
                 "  max_connections: 10000\n"
                 "  read_timeout: 30s\n"
                 "  idle_timeout: 1m\n"
                 "  shutdown_grace: 10s\n"
                 "log:\n"
                 "  level: info\n"
                 "  format: text\n"
                 "plugins:\n"
                 "  dir: " NEXUS_DEFAULT_PLUGIN_DIR "\n"
                 "  pin: {}\n"
                 "  optional: []\n"
                 "  on_error: refuse\n"
                 "state:\n"
                 "  backend: memory\n"
                 "providers: {}\n"
                 "routes: []\n"
                 "chains:\n"
                 "  default: []\n"
                 "models: {}\n");
}

TEST_CASE("show: a provider's defaults are written out") {
    std::string out = show(*valid("providers:\n  local: {plugin: ollama}\n"));
    CHECK(out.find("providers:\n"
                   "  local:\n"
                   "    plugin: ollama\n"
                   "    keys: []\n"
                   "    timeouts:\n"
                   "      connect: 10s\n"
                   "      first_byte: 1m\n"
                   "      idle: 1m\n"
                   "      total: 10m\n"
                   "    insecure_skip_verify: false\n"
                   "    pool_size: 64\n") != std::string::npos);
}

TEST_CASE("show: the output loads back to the same effective config") {
    ScopedEnv env(kEnv);
    auto first = valid(kRich);
    std::string shown = show(*first);
    INFO(shown);
    auto again = nexus::config::load_string(shown, "/etc/nexus/shown.yaml", {}, &lookup);
    REQUIRE(strings(again.diagnostics).empty());
    REQUIRE(again.ok());
    CHECK(show(*again.config) == shown);
    // Values that would change type or meaning if written plainly survive as they were.
    const auto& openai = *again.config->provider("openai");
    CHECK(openai.options_json.find(R"("options":{"org":"org-1","count":"12","flag":"true","ratio":1.0,"n":3,)"
                                   R"("dollar":"${HOME}","none":null,"list":["a","1"],"weird":"@at","star":"*star",)"
                                   R"("empty":""})") != std::string::npos);
    CHECK(again.config->route("42") != nullptr);
    CHECK(again.config->route("smart")->is_default);
    CHECK_FALSE(again.config->route("42")->is_default);
    CHECK(again.config->route("pick")->strategy == "auto");
    CHECK(again.config->route("pick")->targets.empty());
    CHECK(again.config->route("smart")->targets[0].params_json == R"({"temperature":0.7,"tag":"001"})");
    CHECK(again.config->chains.at("strict").size() == 3);
    CHECK(again.config->chains.at("strict")[1].config_json == R"({"rpm":60})");
    CHECK(again.config->models_json == first->models_json);
    CHECK(again.config->server.host == "::1");
    CHECK(again.config->server.max_body == 1'000'000);
    CHECK(again.config->server.read_timeout == std::chrono::milliseconds(1500));
    CHECK(again.config->plugins.dir == first->plugins.dir);
    CHECK(again.config->plugins.pin == first->plugins.pin);
    CHECK(again.config->plugins.skip_broken);
    CHECK(again.config->providers[0].ca_file == first->providers[0].ca_file);
    CHECK(again.config->provider("anthropic")->missing_key_vars == std::vector<std::string>{"ANTHROPIC_KEY"});
}
