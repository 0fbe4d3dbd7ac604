// Actions, custom rules, overlaps between detectors, and the reversible vault.
#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace nexus::sanitize;
using namespace nexus::sanitize::test;

TEST_CASE("redact replaces each match with its rule's label") {
    Config cfg = parse_config("{}");
    Tally t;
    CHECK(clean(cfg, "mail alice@example.com or call +1 415 555 2671, card 4111 1111 1111 1111", &t) ==
          "mail [EMAIL] or call [PHONE], card [CREDIT_CARD]");
    CHECK(t.replaced == 3);
    CHECK(t.matches.at({"email", Action::redact}) == 1);
    CHECK(t.blocked_by.empty());
    CHECK(clean(cfg, "nothing to see here") == "nothing to see here");
    CHECK(clean(cfg, "") == "");
}

TEST_CASE("hash keeps a short digest so equal values stay recognisable") {
    Config cfg = parse_config(R"({"pii":"hash"})");
    // sha256("alice@example.com") = ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976
    CHECK(clean(cfg, "alice@example.com and alice@example.com") == "[EMAIL:ff8d9819] and [EMAIL:ff8d9819]");
}

TEST_CASE("block names the rule, and the text keeps no trace of the match") {
    Config cfg = parse_config(R"({"rules":{"credit_card":"block"}})");
    Tally t;
    CHECK(clean(cfg, "mail a@b.io, card 4111111111111111", &t) == "mail [EMAIL], card [CREDIT_CARD]");
    CHECK(t.blocked_by == "credit_card");
    CHECK(t.matches.at({"credit_card", Action::block}) == 1);
    CHECK(t.replaced == 1);  // the email
}

TEST_CASE("custom rules match by regex and win over built-ins") {
    Config cfg = parse_config(R"({"custom":[{"name":"employee_id","pattern":"EMP-[0-9]{6}"},
                                            {"name":"ip_block","pattern":"10\\.0\\.0\\.[0-9]+","action":"hash"}]})");
    CHECK(clean(cfg, "EMP-123456 and EMP-12345 and EMP-654321") == "[EMPLOYEE_ID] and EMP-12345 and [EMPLOYEE_ID]");
    std::string out = clean(cfg, "host 10.0.0.7 and 10.0.1.7");
    CHECK(out.rfind("host [IP_BLOCK:", 0) == 0);
    CHECK(out.find("and [IPV4]") != std::string::npos);
    // Line by line: a pattern does not run across a newline.
    Config multi = parse_config(R"({"pii":"off","custom":[{"name":"pair","pattern":"a\\sb"}]})");
    CHECK(clean(multi, "a b\na\nb") == "[PAIR]\na\nb");
}

TEST_CASE("overlaps: the higher-priority detector keeps the text") {
    Config cfg = parse_config("{}");
    // An API key is also a high-entropy token; an email's digits are no phone.
    CHECK(clean(cfg, "sk-proj-abcdEFGH1234ijklMNOP5678qrstUVWX9012") == "[API_KEY]");
    CHECK(clean(cfg, "5551234567@example.com") == "[EMAIL]");
    CHECK(clean(cfg, "10.120.130.140") == "[IPV4]");
}

TEST_CASE("pii off with no rules leaves text untouched") {
    Config cfg = parse_config(R"({"pii":"off"})");
    CHECK(cfg.rules.empty());
    CHECK(clean(cfg, "alice@example.com 4111111111111111") == "alice@example.com 4111111111111111");
}

TEST_CASE("reversible: numbered placeholders, the same value the same number, restored later") {
    Config cfg = parse_config(R"({"reversible":true})");
    Vault vault;
    Tally t;
    std::string sent = clean(cfg, "alice@example.com wrote to bob@example.com, cc alice@example.com", &t, &vault);
    CHECK(sent == "[EMAIL_1] wrote to [EMAIL_2], cc [EMAIL_1]");
    std::string second = clean(cfg, "call +1 415 555 2671 or bob@example.com", nullptr, &vault);
    CHECK(second == "call [PHONE_1] or [EMAIL_2]");
    CHECK(vault.restore("Reply to [EMAIL_2] and [EMAIL_1] ([PHONE_1]); [EMAIL_3] is unknown, [x") ==
          "Reply to bob@example.com and alice@example.com (+1 415 555 2671); [EMAIL_3] is unknown, [x");
    // hash stays one-way even when reversible.
    Config hashed = parse_config(R"({"reversible":true,"pii":"hash"})");
    Vault v2;
    CHECK(clean(hashed, "alice@example.com", nullptr, &v2) == "[EMAIL:ff8d9819]");
    CHECK(v2.empty());
}
