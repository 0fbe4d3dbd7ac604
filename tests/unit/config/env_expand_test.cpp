#include "config/env_expand.hpp"
#include "config_test_support.hpp"

#include <catch2/catch.hpp>

using namespace nexus::config;
using namespace config_test;

TEST_CASE("env expansion: variables, defaults, escapes") {
    ScopedEnv env({{"HOST", "10.0.0.1"}, {"PORT", "9000"}, {"EMPTY", ""}});
    CHECK(expand_env("${HOST}:${PORT}", &lookup).value == "10.0.0.1:9000");
    CHECK(expand_env("${MISSING:-127.0.0.1}:8080", &lookup).value == "127.0.0.1:8080");
    CHECK(expand_env("${HOST:-fallback}", &lookup).value == "10.0.0.1");
    CHECK(expand_env("${EMPTY:-used}", &lookup).value == "used");  // shell :- semantics
    CHECK(expand_env("${MISSING:-}", &lookup).value.empty());
    CHECK(expand_env("cost: $5 and $${HOST}", &lookup).value == "cost: $5 and ${HOST}");
    CHECK(expand_env("$$HOST", &lookup).value == "$$HOST");
    CHECK(expand_env("${MISSING:-a:-b}", &lookup).value == "a:-b");
}

TEST_CASE("env expansion: unset and empty variables are reported, not guessed") {
    ScopedEnv env({{"EMPTY", ""}});
    auto x = expand_env("${A}-${B}-${EMPTY}", &lookup);
    CHECK(x.error.empty());
    CHECK(x.unset == std::vector<std::string>{"A", "B"});
    CHECK(x.empty == std::vector<std::string>{"EMPTY"});
}

TEST_CASE("env expansion: syntax errors") {
    CHECK(expand_env("${HOST", &lookup).error == "unterminated '${' (write '$${' for a literal '${')");
    CHECK(expand_env("${}", &lookup).error == "invalid variable name in '${}'");
    CHECK(expand_env("${1X}", &lookup).error == "invalid variable name in '${1X}'");
    CHECK(expand_env("${A-B}", &lookup).error == "invalid variable name in '${A-B}'");
}

TEST_CASE("env escaping is the inverse of expansion") {
    for (std::string text : {"plain", "${X}", "$${", "$$${", "a$b${c}$", "$", "${"}) {
        INFO(text);
        CHECK(expand_env(escape_env(text), &lookup).value == text);
    }
    CHECK(escape_env("${X}") == "$${X}");
}

TEST_CASE("env expansion in config values") {
    ScopedEnv env({{"LISTEN", "0.0.0.0:9999"}, {"THREADS", "3"}, {"BODY", "1MiB"}, {"SECRET_A", "sk-aaa"}});
    auto cfg = valid(R"(
server:
  listen: "${LISTEN}"
  threads: ${THREADS}
  max_body: ${BODY:-8MiB}
  max_header: ${HEADER_SIZE:-32KiB}
providers:
  p:
    plugin: "${PLUGIN:-openai}"
    options: {template: "$${literal}"}
    keys: ["${SECRET_A}"]
)");
    CHECK(cfg->server.host == "0.0.0.0");
    CHECK(cfg->server.port == 9999);
    CHECK(cfg->server.threads == 3);
    CHECK(cfg->server.max_body == size_t(1) << 20);
    CHECK(cfg->server.max_header == size_t(32) << 10);
    CHECK(cfg->providers[0].plugin == "openai");
    CHECK(cfg->providers[0].keys == std::vector<std::string>{"sk-aaa"});
}

TEST_CASE("env expansion: an unset variable outside provider keys is an error naming it and the key") {
    ScopedEnv env(ScopedEnv::Vars{});
    CHECK(errors_of("server:\n  listen: ${NEXUS_LISTEN}\n") ==
          Lines{"/etc/nexus/test.yaml:2:11: key 'server.listen': environment variable 'NEXUS_LISTEN' is not set"});
    CHECK(errors_of("state: {backend: redis, url: \"redis://${REDIS_HOST}:6379\"}\n") ==
          Lines{"/etc/nexus/test.yaml:1:30: key 'state.url': environment variable 'REDIS_HOST' is not set"});
    CHECK(errors_of("providers:\n  p: {plugin: openai, options: {org: \"${ORG_ID}\"}}\n") ==
          Lines{"/etc/nexus/test.yaml:2:38: key 'providers.p.options.org': environment variable 'ORG_ID' is not set"});
    CHECK(errors_of("admin: {key: \"${ADMIN_KEY}\"}\n") ==
          Lines{"/etc/nexus/test.yaml:1:14: key 'admin.key': environment variable 'ADMIN_KEY' is not set"});
}

TEST_CASE("env expansion: malformed references are errors") {
    CHECK(errors_of("log: {level: \"${LEVEL\"}\n") ==
          Lines{"/etc/nexus/test.yaml:1:14: key 'log.level': unterminated '${' (write '$${' for a literal '${')"});
    CHECK(errors_of("providers:\n  p: {plugin: openai, keys: [\"${sk-live-123}\"]}\n") ==
          Lines{"/etc/nexus/test.yaml:2:30: key 'providers.p.keys[0]': malformed ${VAR} reference (the value is not shown)"});
}

TEST_CASE("env expansion: keys are never expanded") {
    ScopedEnv env({{"NAME", "x"}});
    auto cfg = valid("models:\n  ${NAME}: 1\n");
    CHECK(cfg->models_json == R"({"${NAME}":1})");
}
