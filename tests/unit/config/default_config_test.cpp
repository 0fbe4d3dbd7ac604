// config/nexus.yaml, the file a newcomer starts with, must always load.
#include "config_test_support.hpp"

#include <catch2/catch.hpp>

using namespace config_test;

TEST_CASE("config/nexus.yaml loads without errors (plugin names unchecked)") {
    ScopedEnv env({{"OPENAI_API_KEY", "sk-test"}});
    auto r = nexus::config::load_file(NEXUS_SOURCE_DIR "/config/nexus.yaml", {}, &lookup);
    REQUIRE(strings(r.diagnostics).empty());
    REQUIRE(r.ok());
    const auto& cfg = *r.config;
    CHECK(cfg.server.host == "127.0.0.1");
    CHECK(cfg.server.port == 8080);
    CHECK(cfg.server.threads == 0);
    CHECK(cfg.plugins.dir == NEXUS_DEFAULT_PLUGIN_DIR);
    CHECK(cfg.state.backend == "memory");
    REQUIRE(cfg.providers.size() == 4);
    CHECK(cfg.provider("openai")->plugin == "openai");
    CHECK(cfg.provider("openai")->keys == std::vector<std::string>{"sk-test"});
    CHECK(cfg.provider("anthropic")->plugin == "claude");
    CHECK(cfg.provider("anthropic")->missing_key_vars == std::vector<std::string>{"ANTHROPIC_API_KEY"});
    CHECK(cfg.provider("mistral")->missing_key_vars == std::vector<std::string>{"MISTRAL_API_KEY"});
    CHECK(cfg.provider("ollama")->base_url == "http://127.0.0.1:11434");
    CHECK(cfg.route("smart")->targets.size() == 2);
    CHECK(cfg.route("fast") != nullptr);
    CHECK(cfg.route("local")->targets[0].provider == "ollama");
    const auto& chain = cfg.chains.at("default");
    REQUIRE(chain.size() == 4);
    CHECK(chain[0].name == "audit");
    CHECK(chain[1].name == "ratelimit");
    CHECK(chain[2].name == "sanitize");
    CHECK(chain[3].name == "cache");
    CHECK(strings(r.warnings) == Lines{
        NEXUS_SOURCE_DIR "/config/nexus.yaml:30:3: provider 'anthropic' has no key: set ANTHROPIC_API_KEY",
        NEXUS_SOURCE_DIR "/config/nexus.yaml:33:3: provider 'mistral' has no key: set MISTRAL_API_KEY",
    });
}
