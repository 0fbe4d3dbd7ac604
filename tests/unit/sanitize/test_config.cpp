#include "sanitize_config.hpp"

#include "nexus/nexus.hpp"

#include <catch2/catch.hpp>

using namespace nexus::sanitize;

namespace {
std::string error_of(const std::string& json) {
    try {
        parse_config(json);
    } catch (const nexus::sdk::Error& e) {
        CHECK(e.status() == NX_ERR_INVALID);
        return e.what();
    }
    return "";
}
const Rule* rule(const Config& c, const std::string& name) {
    for (const auto& r : c.rules)
        if (r.name == name) return &r;
    return nullptr;
}
}  // namespace

TEST_CASE("defaults: every detector redacts, both directions, not reversible") {
    Config c = parse_config("{}");
    CHECK(c.rules.size() == std::size(kAllDetectors));
    for (const auto& r : c.rules) CHECK(r.action == Action::redact);
    CHECK(rule(c, "credit_card")->label == "CREDIT_CARD");
    CHECK(c.request);
    CHECK(c.response);
    CHECK_FALSE(c.reversible);
    CHECK(c.holdback == 48);
}

TEST_CASE("pii sets the default, rules override per detector, off removes a rule") {
    Config c = parse_config(R"({"pii":"hash","rules":{"email":"redact","credit_card":"block","ipv4":"off"}})");
    CHECK(rule(c, "email")->action == Action::redact);
    CHECK(rule(c, "credit_card")->action == Action::block);
    CHECK(rule(c, "phone")->action == Action::hash);
    CHECK(rule(c, "ipv4") == nullptr);

    Config off = parse_config(R"({"pii":"off","rules":{"email":"redact"}})");
    REQUIRE(off.rules.size() == 1);
    CHECK(off.rules[0].name == "email");
}

TEST_CASE("custom rules come first, with their own action") {
    Config c = parse_config(
        R"({"custom":[{"name":"employee_id","pattern":"EMP-[0-9]{6}","action":"block"},{"name":"ticket","pattern":"T#\\d+"}]})");
    REQUIRE(c.rules.size() >= 2);
    CHECK(c.rules[0].name == "employee_id");
    CHECK(c.rules[0].action == Action::block);
    CHECK(c.rules[0].label == "EMPLOYEE_ID");
    CHECK(c.rules[1].action == Action::redact);
}

TEST_CASE("scope, reversible and holdback") {
    Config c = parse_config(R"({"scope":["request"],"reversible":true,"holdback":64})");
    CHECK(c.request);
    CHECK_FALSE(c.response);
    CHECK(c.reversible);
    CHECK(c.holdback == 64);
    Config r = parse_config(R"({"scope":"response"})");
    CHECK_FALSE(r.request);
    CHECK(r.response);
}

TEST_CASE("bad settings name the field, what was expected and what was found") {
    CHECK(error_of(R"({"pii":"mask"})") == R"(sanitize: 'pii': expected redact, hash, block or off, found "mask")");
    CHECK(error_of(R"({"rules":{"mail":"redact"}})").find("sanitize: 'rules.mail': expected a built-in detector") == 0);
    CHECK(error_of(R"({"rules":{"email":"drop"}})") == R"(sanitize: 'rules.email': expected redact, hash, block or off, found "drop")");
    CHECK(error_of(R"({"scope":["both"]})") == R"(sanitize: 'scope[0]': expected request or response, found "both")");
    CHECK(error_of(R"({"scope":[]})") == "sanitize: 'scope': expected a list of request and/or response, found a list");
    CHECK(error_of(R"({"reversible":"yes"})") == R"(sanitize: 'reversible': expected true or false, found "yes")");
    CHECK(error_of(R"({"holdback":2})") == "sanitize: 'holdback': expected a whole number from 8 to 4096, found 2");
    CHECK(error_of(R"({"colour":1})").find("sanitize: 'colour': expected one of pii, rules") == 0);
    CHECK(error_of(R"({"custom":[{"name":"x","pattern":"("}]})").find("sanitize: 'custom[0].pattern': expected a valid regular expression") == 0);
    CHECK(error_of(R"({"custom":[{"name":"Bad Name","pattern":"x"}]})").find("sanitize: 'custom[0].name': expected a name of lower-case") == 0);
    CHECK(error_of(R"({"custom":[{"name":"email","pattern":"x"}]})").find("sanitize: 'custom[0].name': expected a name other than the built-in") == 0);
    CHECK(error_of(R"({"custom":[{"pattern":"x"}]})") == "sanitize: 'custom[0].name': expected a rule name, found nothing");
    CHECK(error_of(R"({"custom":[{"name":"a","pattern":"x"},{"name":"a","pattern":"y"}]})") ==
          R"(sanitize: 'custom[1].name': expected a name not used by another custom rule, found "a")");
    CHECK(error_of("[1]") == "sanitize: expected a mapping of settings");
}
