#include "config_test_support.hpp"

#include <catch2/catch.hpp>

using namespace config_test;

TEST_CASE("providers: every field is read") {
    ScopedEnv env({{"KEY_1", "sk-one"}, {"KEY_2", "sk-two"}});
    auto cfg = valid(R"(
providers:
  openai:
    plugin: openai
    base_url: https://api.openai.com/v1
    keys: ["${KEY_1}", "${KEY_2}", "sk-literal"]
    timeouts: {connect: 5s, first_byte: 30, idle: 1m, total: 1h}
    ca_file: /etc/ssl/ca.pem
    insecure_skip_verify: true
    pool_size: 8
    options: {organization: org-1, retries: 2, beta: true, temperature: 0.5, note: "42", none: ~}
  local:
    plugin: ollama
    keys: single-key
)");
    REQUIRE(cfg->providers.size() == 2);
    const auto& p = cfg->providers[0];
    CHECK(p.name == "openai");
    CHECK(p.plugin == "openai");
    CHECK(p.base_url == "https://api.openai.com/v1");
    CHECK(p.keys == std::vector<std::string>{"sk-one", "sk-two", "sk-literal"});
    CHECK(p.missing_key_vars.empty());
    CHECK(p.timeouts.connect == std::chrono::seconds(5));
    CHECK(p.timeouts.first_byte == std::chrono::seconds(30));
    CHECK(p.timeouts.idle == std::chrono::minutes(1));
    CHECK(p.timeouts.total == std::chrono::hours(1));
    CHECK(p.ca_file == "/etc/ssl/ca.pem");
    CHECK(p.insecure_skip_verify);
    CHECK(p.pool_size == 8);
    CHECK(p.mark.line == 3);
    CHECK(p.mark.column == 3);
    CHECK(p.options_json ==
          R"({"plugin":"openai","base_url":"https://api.openai.com/v1",)"
          R"("timeouts":{"connect":"5s","first_byte":30,"idle":"1m","total":"1h"},"ca_file":"/etc/ssl/ca.pem",)"
          R"("insecure_skip_verify":true,"pool_size":8,"options":{"organization":"org-1","retries":2,"beta":true,)"
          R"("temperature":0.5,"note":"42","none":null}})");
    CHECK(cfg->providers[1].keys == std::vector<std::string>{"single-key"});
    CHECK(cfg->providers[1].options_json == R"({"plugin":"ollama"})");
    CHECK(cfg->provider("local") == &cfg->providers[1]);
}

TEST_CASE("providers: keys never reach options_json") {
    ScopedEnv env({{"K", "sk-secret-value"}});
    auto cfg = valid("providers:\n  p: {plugin: openai, keys: [\"${K}\", sk-inline-secret]}\n");
    CHECK(cfg->providers[0].options_json == R"({"plugin":"openai"})");
}

TEST_CASE("providers: unset key variables drop the key and are recorded, with a warning") {
    ScopedEnv env({{"SET_KEY", "sk-set"}, {"EMPTY_KEY", ""}});
    auto r = load(R"(providers:
  openai:
    plugin: openai
    keys: ["${OPENAI_API_KEY}"]
  two:
    plugin: openai
    keys: ["${SET_KEY}", "${UNSET_2}", "Bearer ${EMPTY_KEY}"]
  either:
    plugin: openai
    keys: ["${A_KEY}", "${B_KEY}"]
  single:
    plugin: openai
    keys: "${SINGLE}"
)");
    REQUIRE(r.ok());
    const auto& openai = *r.config->provider("openai");
    CHECK(openai.keys.empty());
    CHECK(openai.missing_key_vars == std::vector<std::string>{"OPENAI_API_KEY"});
    const auto& two = *r.config->provider("two");
    CHECK(two.keys == std::vector<std::string>{"sk-set"});
    CHECK(two.missing_key_vars == std::vector<std::string>{"UNSET_2", "EMPTY_KEY"});
    CHECK(r.config->provider("single")->missing_key_vars == std::vector<std::string>{"SINGLE"});
    CHECK(strings(r.warnings) == Lines{
        "/etc/nexus/test.yaml:2:3: provider 'openai' has no key: set OPENAI_API_KEY",
        "/etc/nexus/test.yaml:5:3: provider 'two': UNSET_2, EMPTY_KEY not set, using the other 1 key",
        "/etc/nexus/test.yaml:8:3: provider 'either' has no key: set A_KEY or B_KEY",
        "/etc/nexus/test.yaml:11:3: provider 'single' has no key: set SINGLE",
    });
}

TEST_CASE("providers: a provider without keys (local) has no warning") {
    auto r = load("providers:\n  ollama: {plugin: ollama, base_url: \"http://127.0.0.1:11434\"}\n");
    REQUIRE(r.ok());
    CHECK(r.warnings.empty());
    CHECK(r.config->providers[0].keys.empty());
}

TEST_CASE("providers: keys must be strings") {
    CHECK(errors_of("providers:\n  p: {plugin: openai, keys: {a: b}}\n") ==
          Lines{"/etc/nexus/test.yaml:2:29: key 'providers.p.keys': expected a list of keys or a single key, found a mapping"});
    CHECK(errors_of("providers:\n  p: {plugin: openai, keys: [[x]]}\n") ==
          Lines{"/etc/nexus/test.yaml:2:30: key 'providers.p.keys[0]': expected a key (a string), found a list"});
}

TEST_CASE("providers: names are lowercase letters, digits, '_' and '-'") {
    CHECK(valid("providers:\n  my-open_ai2: {plugin: openai}\n")->providers[0].name == "my-open_ai2");
    CHECK(errors_of("providers:\n  OpenAI: {plugin: openai}\n") ==
          Lines{"/etc/nexus/test.yaml:2:3: key 'providers.OpenAI': invalid provider name, expected lowercase letters, "
                "digits, '_' and '-'"});
    CHECK(errors_of("providers:\n  \"my provider\": {plugin: openai}\n").size() == 1);
}

TEST_CASE("providers: unknown plugins are errors only when plugin names are known") {
    const std::string yaml = "providers:\n  p: {plugin: opnai}\n  q: {plugin: gemini}\n";
    CHECK(errors_of(yaml).empty());
    nexus::config::KnownPlugins known{{"openai", "claude"}, {}};
    CHECK(errors_of(yaml, known) == Lines{
        "/etc/nexus/test.yaml:2:15: key 'providers.p.plugin': unknown provider plugin 'opnai', did you mean 'openai'?",
        "/etc/nexus/test.yaml:3:15: key 'providers.q.plugin': unknown provider plugin 'gemini', installed: openai, claude",
    });
    nexus::config::KnownPlugins only_middleware{{}, {"mw"}};
    CHECK(errors_of("providers:\n  p: {plugin: openai}\n", only_middleware) ==
          Lines{"/etc/nexus/test.yaml:2:15: key 'providers.p.plugin': unknown provider plugin 'openai', no provider "
                "plugins are installed"});
}
