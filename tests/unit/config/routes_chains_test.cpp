#include "config_test_support.hpp"

#include <catch2/catch.hpp>

using namespace config_test;

namespace {
const std::string kProviders = "providers:\n  a: {plugin: openai}\n  b: {plugin: claude}\n";
}

TEST_CASE("routes: every field is read") {
    auto cfg = valid(kProviders + R"(routes:
  - model: smart
    strategy: weighted
    chain: strict
    targets:
      - {provider: a, model: gpt-4o, weight: 3, params: {temperature: 0.2, max_tokens: 100, stop: ["\n"], tag: "7"}}
      - {provider: b, model: claude-sonnet-4-5}
  - model: plain
    targets: [{provider: a, model: gpt-4o-mini}]
chains:
  strict: [auth]
)");
    REQUIRE(cfg->routes.size() == 2);
    const auto& smart = *cfg->route("smart");
    CHECK(smart.strategy == "weighted");
    CHECK(smart.chain == "strict");
    CHECK(smart.mark.line == 5);
    REQUIRE(smart.targets.size() == 2);
    CHECK(smart.targets[0].provider == "a");
    CHECK(smart.targets[0].model == "gpt-4o");
    CHECK(smart.targets[0].weight == 3);
    CHECK(smart.targets[0].params_json == R"({"temperature":0.2,"max_tokens":100,"stop":["\n"],"tag":"7"})");
    CHECK(smart.targets[1].params_json.empty());
    CHECK(smart.targets[1].weight == 1);
    CHECK(smart.targets[1].mark.line == 10);
    const auto& plain = *cfg->route("plain");
    CHECK(plain.strategy == "fallback");
    CHECK(plain.chain.empty());
}

TEST_CASE("routes: every strategy name is accepted, others are not") {
    for (const char* s : {"fallback", "weighted", "least_latency", "least_busy", "cost", "auto"}) {
        INFO(s);
        auto cfg = valid(kProviders + "routes:\n  - {model: m, strategy: " + s + ", targets: [{provider: a, model: x}]}\n");
        CHECK(cfg->routes[0].strategy == s);
    }
    CHECK(errors_of(kProviders + "routes:\n  - {model: m, strategy: fastest, targets: [{provider: a, model: x}]}\n") ==
          Lines{"/etc/nexus/test.yaml:5:26: key 'routes[0].strategy': expected one of fallback, weighted, least_latency, "
                "least_busy, cost, auto, found 'fastest'"});
}

TEST_CASE("routes: one route may be the default; auto routes without targets use its targets") {
    auto cfg = valid(kProviders + "routes:\n  - {model: main, default: true, targets: [{provider: a, model: x}]}\n"
                                  "  - {model: pick, strategy: auto}\n  - {model: pick2, strategy: auto, targets: []}\n"
                                  "  - {model: other, default: false, targets: [{provider: b, model: y}]}\n");
    CHECK(cfg->route("main")->is_default);
    CHECK_FALSE(cfg->route("other")->is_default);
    CHECK_FALSE(cfg->route("pick")->is_default);
    CHECK(cfg->route("pick")->targets.empty());
    CHECK(cfg->route("pick2")->targets.empty());

    CHECK(errors_of(kProviders + "routes:\n  - {model: a1, default: true, targets: [{provider: a, model: x}]}\n"
                                 "  - {model: a2, default: true, targets: [{provider: a, model: y}]}\n") ==
          Lines{"/etc/nexus/test.yaml:6:26: key 'routes[1].default': only one route may be the default; route 'a1' "
                "(line 5) already is"});
    CHECK(errors_of(kProviders + "routes:\n  - {model: pick, strategy: auto}\n") ==
          Lines{"/etc/nexus/test.yaml:5:5: key 'routes[0].targets': required unless a route is the default (default: "
                "true): strategy auto without targets uses the default route's targets"});
    CHECK(errors_of(kProviders + "routes:\n  - {model: main, strategy: auto, default: true}\n") ==
          Lines{"/etc/nexus/test.yaml:5:5: key 'routes[0].targets': required key is missing"});
    CHECK(errors_of(kProviders + "routes:\n  - {model: main, default: yes, targets: [{provider: a, model: x}]}\n") ==
          Lines{"/etc/nexus/test.yaml:5:28: key 'routes[0].default': expected true or false, found 'yes'"});
    CHECK(errors_of(kProviders + "routes:\n  - {model: m, strategy: fallback}\n") ==
          Lines{"/etc/nexus/test.yaml:5:5: key 'routes[0].targets': required key is missing"});
}

TEST_CASE("routes: weights are integers >= 1") {
    CHECK(errors_of(kProviders + "routes:\n  - {model: m, targets: [{provider: a, model: x, weight: 0}]}\n") ==
          Lines{"/etc/nexus/test.yaml:5:58: key 'routes[0].targets[0].weight': expected an integer >= 1, found '0'"});
}

TEST_CASE("routes: targets must point at defined providers, with a suggestion when near") {
    CHECK(errors_of("providers:\n  openai: {plugin: openai}\nroutes:\n"
                    "  - {model: m, targets: [{provider: opena, model: x}, {provider: zzz, model: y}]}\n") ==
          Lines{"/etc/nexus/test.yaml:4:37: key 'routes[0].targets[0].provider': provider 'opena' is not defined in "
                "providers, did you mean 'openai'?",
                "/etc/nexus/test.yaml:4:66: key 'routes[0].targets[1].provider': provider 'zzz' is not defined in "
                "providers"});
}

TEST_CASE("routes: a route's chain must be defined; 'default' always is") {
    CHECK(errors_of(kProviders + "routes:\n  - {model: m, chain: strict, targets: [{provider: a, model: x}]}\n") ==
          Lines{"/etc/nexus/test.yaml:5:23: key 'routes[0].chain': chain 'strict' is not defined in chains"});
    CHECK(valid(kProviders + "routes:\n  - {model: m, chain: default, targets: [{provider: a, model: x}]}\n")
              ->routes[0]
              .chain == "default");
}

TEST_CASE("routes: duplicate model names") {
    CHECK(errors_of(kProviders + "routes:\n  - {model: m, targets: [{provider: a, model: x}]}\n"
                                 "  - {model: m, targets: [{provider: b, model: y}]}\n") ==
          Lines{"/etc/nexus/test.yaml:6:13: key 'routes[1].model': duplicate route for model 'm', first defined at line 5"});
}

TEST_CASE("routes: shape errors") {
    CHECK(errors_of("routes: {model: m}\n") ==
          Lines{"/etc/nexus/test.yaml:1:9: key 'routes': expected a list of routes, found a mapping"});
    CHECK(errors_of("routes: [smart]\n") ==
          Lines{"/etc/nexus/test.yaml:1:10: key 'routes[0]': expected a route mapping {model, targets}, found 'smart'"});
    CHECK(errors_of(kProviders + "routes:\n  - {model: m, targets: {provider: a}}\n") ==
          Lines{"/etc/nexus/test.yaml:5:25: key 'routes[0].targets': expected a non-empty list of targets, found a mapping"});
    CHECK(errors_of(kProviders + "routes:\n  - {model: m, targets: [a]}\n") ==
          Lines{"/etc/nexus/test.yaml:5:26: key 'routes[0].targets[0]': expected a target mapping {provider, model}, found 'a'"});
    CHECK(errors_of(kProviders + "routes:\n  - {model: m, targets: [{provider: a, model: x, params: [1]}]}\n") ==
          Lines{"/etc/nexus/test.yaml:5:58: key 'routes[0].targets[0].params': expected a mapping, found a list"});
    CHECK(errors_of(kProviders + "routes:\n  - {model: m, tragets: []}\n") ==
          Lines{"/etc/nexus/test.yaml:5:5: key 'routes[0].targets': required key is missing",
                "/etc/nexus/test.yaml:5:16: key 'routes[0].tragets': unknown key, did you mean 'targets'?"});
}

TEST_CASE("chains: bare names and single-key maps with settings") {
    auto cfg = valid(R"(chains:
  default: [auth, {ratelimit: {rpm: 600, tpm: 200000}}, {cache: {ttl: 300s}}, {audit: }]
  empty:
)");
    const auto& chain = cfg->chains.at("default");
    REQUIRE(chain.size() == 4);
    CHECK(chain[0].name == "auth");
    CHECK(chain[0].config_json == "{}");
    CHECK(chain[0].mark.line == 2);
    CHECK(chain[0].mark.column == 13);
    CHECK(chain[1].name == "ratelimit");
    CHECK(chain[1].config_json == R"({"rpm":600,"tpm":200000})");
    CHECK(chain[2].config_json == R"({"ttl":"300s"})");
    CHECK(chain[3].name == "audit");
    CHECK(chain[3].config_json == "{}");
    CHECK(cfg->chains.at("empty").empty());
}

TEST_CASE("chains: malformed entries") {
    CHECK(errors_of("chains:\n  default: [{auth: {}, cache: {}}]\n") ==
          Lines{"/etc/nexus/test.yaml:2:13: key 'chains.default[0]': expected a middleware name or {name: {settings}}, "
                "found a mapping with 2 keys"});
    CHECK(errors_of("chains:\n  default: [{cache: 300s}]\n") ==
          Lines{"/etc/nexus/test.yaml:2:21: key 'chains.default[0].cache': expected a mapping of settings for 'cache', "
                "found '300s'"});
    CHECK(errors_of("chains:\n  default: auth\n") ==
          Lines{"/etc/nexus/test.yaml:2:12: key 'chains.default': expected a list of middleware, found 'auth'"});
    CHECK(errors_of("chains: [auth]\n") ==
          Lines{"/etc/nexus/test.yaml:1:9: key 'chains': expected a mapping of chain name to a list of middleware, found a list"});
}

TEST_CASE("chains: middleware names are checked only when plugin names are known") {
    const std::string yaml = "chains:\n  default: [auth, autth, {rate-limit: {}}, cache, audit, sanitize, ratelimit, redact]\n";
    CHECK(errors_of(yaml).empty());
    nexus::config::KnownPlugins known{{"openai"}, {"auth", "cache", "redact"}};
    CHECK(errors_of(yaml, known) == Lines{
        "/etc/nexus/test.yaml:2:19: key 'chains.default[1]': unknown middleware 'autth', did you mean 'auth'?",
        "/etc/nexus/test.yaml:2:27: key 'chains.default[2]': unknown middleware 'rate-limit', did you mean 'ratelimit'?",
    });
    CHECK(errors_of("chains:\n  default: [pii]\n", known) ==
          Lines{"/etc/nexus/test.yaml:2:13: key 'chains.default[0]': unknown middleware 'pii', expected a built-in (auth, "
                "cache, ratelimit, sanitize, audit) or a middleware plugin (redact)"});
}

TEST_CASE("admin and models") {
    ScopedEnv env({{"ADMIN", "adm-secret"}});
    auto cfg = valid("admin: {key: \"${ADMIN}\"}\nmodels:\n  gpt-4o: {context: 128000, price: {input: 2.5}}\n");
    CHECK(cfg->admin.key == "adm-secret");
    CHECK(cfg->models_json == R"({"gpt-4o":{"context":128000,"price":{"input":2.5}}})");
    CHECK(errors_of("admin: {token: x}\n") ==
          Lines{"/etc/nexus/test.yaml:1:9: key 'admin.token': unknown key, expected one of: key"});
    CHECK(errors_of("models: [a]\n") == Lines{"/etc/nexus/test.yaml:1:9: key 'models': expected a mapping, found a list"});
}
