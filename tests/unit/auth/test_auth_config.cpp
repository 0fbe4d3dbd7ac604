#include "auth_config.hpp"
#include "authorize.hpp"
#include "test_support.hpp"

#include <cstdio>
#include <unistd.h>
#include <filesystem>
#include <fstream>

using nexus::auth::authorize;
using nexus::auth::read_auth_config;

namespace {

std::string one_key(const std::string& extra) {
    return R"({"keys":[{"id":"team-a","hash":")" + hash_of("nx-secret-a") + "\"" + extra + "}]}";
}

std::string temp_file(const std::string& name, const std::string& content) {
    auto path = std::filesystem::temp_directory_path() / ("nexus-auth-test-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(path) << content;
    return path.string();
}

}  // namespace

TEST_CASE("auth config: keys with models and metadata", "[config]") {
    auto table = read_auth_config(R"({"keys":[
        {"id":"team-a","hash":")" + hash_of("nx-a") + R"(","models":["gpt-test","openai/*"],"metadata":{"team":"A","tier":2}},
        {"id":"team-b","hash":")" + hash_of("nx-b") + R"("}]})");
    REQUIRE(table.size() == 2);
    const auto* a = table.find("nx-a");
    REQUIRE(a);
    CHECK(a->id == "team-a");
    CHECK(a->metadata_json == R"({"team":"A","tier":2})");
    CHECK(a->models == std::vector<std::string>{"gpt-test", "openai/*"});
    const auto* b = table.find("nx-b");
    REQUIRE(b);
    CHECK(b->metadata_json == "{}");
    CHECK(b->models.empty());
    CHECK(table.find("nx-c") == nullptr);
    CHECK(table.find("") == nullptr);
}

TEST_CASE("auth config: upper-case hex is accepted", "[config]") {
    std::string h = hash_of("nx-a");
    for (size_t i = 7; i < h.size(); ++i) h[i] = char(std::toupper(static_cast<unsigned char>(h[i])));
    auto table = read_auth_config(R"({"keys":[{"id":"a","hash":")" + h + "\"}]}");
    CHECK(table.find("nx-a") != nullptr);
}

TEST_CASE("auth config: errors name the entry and field", "[config]") {
    CHECK(error_of([] { read_auth_config("{}"); }) ==
          "auth: no keys: list them under 'keys' or in 'keys_file' (`nexus keys new` makes one)");
    CHECK(error_of([] { read_auth_config(R"({"keys":[]})"); }).rfind("auth: no keys", 0) == 0);
    CHECK(error_of([] { read_auth_config(R"({"keys":"x"})"); }) ==
          "auth: 'keys': expected a list of keys, found a string \"x\"");
    CHECK(error_of([] { read_auth_config(R"({"key":[]})"); }) == "auth: unknown setting 'key' (known: keys, keys_file)");
    CHECK(error_of([] { read_auth_config(R"({"keys":["team-a"]})"); }) ==
          "auth: 'keys[0]': expected a mapping {id, hash, models?, metadata?}, found a string \"team-a\"");
    CHECK(error_of([] { read_auth_config(R"({"keys":[{"hash":"sha256:00"}]})"); }) == "auth: 'keys[0]': missing 'id'");
    CHECK(error_of([] { read_auth_config(R"({"keys":[{"id":"a b","hash":"x"}]})"); }) ==
          "auth: 'keys[0].id': expected 1 to 64 characters from A-Z a-z 0-9 . _ -, found a string \"a b\"");
    CHECK(error_of([] { read_auth_config(R"({"keys":[{"id":"a"}]})"); }) ==
          "auth: 'keys[0]': missing 'hash' (\"sha256:<64 hex digits>\"; `nexus keys new` prints one)");
    CHECK(error_of([] { read_auth_config(R"({"keys":[{"id":"a","hash":"sha256:abc"}]})"); }) ==
          "auth: 'keys[0].hash': expected \"sha256:\" followed by 64 hex digits, found a string of 10 characters");
    CHECK(error_of([] { read_auth_config(R"({"keys":[{"id":"a","hash":42}]})"); }) ==
          "auth: 'keys[0].hash': expected \"sha256:\" followed by 64 hex digits, found the number 42");
    CHECK(error_of([] { read_auth_config(one_key(R"(,"hsah":1)")); }) ==
          "auth: 'keys[0]': unknown setting 'hsah' (known: id, hash, models, metadata, chain)");
    CHECK(error_of([] { read_auth_config(one_key(R"(,"models":[])")); }) ==
          "auth: 'keys[0].models': expected a non-empty list of model names or patterns, found a list");
    CHECK(error_of([] { read_auth_config(one_key(R"(,"models":"gpt-test")")); }) ==
          "auth: 'keys[0].models': expected a non-empty list of model names or patterns, found a string \"gpt-test\"");
    CHECK(error_of([] { read_auth_config(one_key(R"(,"models":["ok",""])")); }) ==
          "auth: 'keys[0].models[1]': expected a model name or pattern, found a string \"\"");
    CHECK(error_of([] { read_auth_config(one_key(R"(,"metadata":[1])")); }) ==
          "auth: 'keys[0].metadata': expected a mapping, found a list");
    CHECK(error_of([] { read_auth_config(one_key(R"(,"chain":7)")); }) ==
          "auth: 'keys[0].chain': expected the name of a chain under chains:, found the number 7");
    auto with_chain = read_auth_config(R"({"keys":[{"id":"a","chain":"premium","hash":")" + hash_of("nx-a") + "\"}]}");
    REQUIRE(with_chain.find("nx-a"));
    CHECK(with_chain.find("nx-a")->chain == "premium");
}

TEST_CASE("auth config: a key pasted as its own hash is not echoed", "[config][secrets]") {
    const std::string key = "nx-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd";
    std::string msg = error_of([&] { read_auth_config(R"({"keys":[{"id":"a","hash":")" + key + "\"}]}"); });
    INFO(msg);
    CHECK(msg.find(key) == std::string::npos);
    CHECK(msg.find("AbCdEf") == std::string::npos);
    CHECK(msg.find("looks like a key itself") != std::string::npos);
    std::string msg2 = error_of([&] { read_auth_config(R"({"keys":[{"id":"a","hash":"sha256:)" + key + "\"}]}"); });
    CHECK(msg2.find("AbCdEf") == std::string::npos);
}

TEST_CASE("auth config: ids and hashes are unique", "[config]") {
    std::string h1 = hash_of("nx-1"), h2 = hash_of("nx-2");
    CHECK(error_of([&] { read_auth_config(R"({"keys":[{"id":"a","hash":")" + h1 + R"("},{"id":"a","hash":")" + h2 + "\"}]}"); }) ==
          "auth: 'keys[1]': the id 'a' is used twice");
    CHECK(error_of([&] { read_auth_config(R"({"keys":[{"id":"a","hash":")" + h1 + R"("},{"id":"b","hash":")" + h1 + "\"}]}"); }) ==
          "auth: 'keys[1]': the same key hash as 'a' (one key, two ids)");
}

TEST_CASE("auth config: keys_file in YAML or JSON, joined with inline keys", "[config][file]") {
    std::string yaml = temp_file("keys.yaml", "# team keys\n- {id: team-y, hash: \"" + hash_of("nx-y") +
                                                  "\", models: [\"openai/*\"], metadata: {budget: 12.5, owner: ops, active: true}}\n"
                                                  "- id: team-z\n  hash: " + hash_of("nx-z") + "\n");
    auto table = read_auth_config(R"({"keys_file":")" + yaml + R"(","keys":[{"id":"inline","hash":")" + hash_of("nx-i") + "\"}]}");
    CHECK(table.size() == 3);
    REQUIRE(table.find("nx-y"));
    CHECK(table.find("nx-y")->metadata_json == R"({"budget":12.5,"owner":"ops","active":true})");
    CHECK(table.find("nx-z")->id == "team-z");
    CHECK(table.find("nx-i")->id == "inline");

    std::string json = temp_file("keys.json", R"({"keys": [{"id": "j", "hash": ")" + hash_of("nx-j") + "\"}]}");
    CHECK(read_auth_config(R"({"keys_file":")" + json + "\"}").find("nx-j")->id == "j");
    std::remove(yaml.c_str());
    std::remove(json.c_str());
}

TEST_CASE("auth config: keys_file errors name the file", "[config][file]") {
    CHECK(error_of([] { read_auth_config(R"({"keys_file":"/nonexistent/keys.yaml"})"); }) ==
          "auth: keys_file '/nonexistent/keys.yaml': cannot read it: No such file or directory");
    std::string broken = temp_file("broken.yaml", "- {id: a, hash: \"x\"\n- [\n");
    CHECK(error_of([&] { read_auth_config(R"({"keys_file":")" + broken + "\"}"); })
              .rfind("auth: keys_file '" + broken + "': line ", 0) == 0);
    std::string bad = temp_file("bad.yaml", "- {id: a, hash: nope}\n");
    CHECK(error_of([&] { read_auth_config(R"({"keys_file":")" + bad + "\"}"); }) ==
          "auth: keys_file '" + bad + "': '[0].hash': expected \"sha256:\" followed by 64 hex digits, found a string of 4 characters");
    std::string scalar = temp_file("scalar.yaml", "just text\n");
    CHECK(error_of([&] { read_auth_config(R"({"keys_file":")" + scalar + "\"}"); }) ==
          "auth: keys_file '" + scalar + "': expected a list of keys (or a mapping with `keys:`)");
    std::string dup = temp_file("dup.yaml", "- {id: a, hash: \"" + hash_of("nx-q") + "\"}\n");
    CHECK(error_of([&] {
              read_auth_config(R"({"keys_file":")" + dup + R"(","keys":[{"id":"a","hash":")" + hash_of("nx-r") + "\"}]}");
          }) == "auth: keys_file '" + dup + "': '[0]': the id 'a' is used twice");
    for (const auto& p : {broken, bad, scalar, dup}) std::remove(p.c_str());
}

TEST_CASE("authorize: 401 without detail, 403 naming key and model, else the key", "[authorize]") {
    auto table = read_auth_config(R"({"keys":[
        {"id":"team-a","hash":")" + hash_of("nx-a") + R"(","models":["gpt-test","openai/*"]},
        {"id":"team-b","hash":")" + hash_of("nx-b") + R"("}]})");
    using V = std::vector<std::string_view>;

    for (const V& presented : {V{}, V{"nx-unknown"}, V{"nx-a "}, V{"NX-A"}}) {
        auto d = authorize(table, presented, "gpt-test");
        CHECK(d.status == 401);
        CHECK(d.error_type == "authentication_error");
        CHECK(d.message == "invalid or missing API key");
        CHECK(d.key == nullptr);
    }
    auto ok = authorize(table, V{"nx-a"}, "gpt-test");
    REQUIRE(ok.status == 0);
    CHECK(ok.key->id == "team-a");
    CHECK(authorize(table, V{"nx-a"}, "openai/gpt-4o").status == 0);
    CHECK(authorize(table, V{"nx-wrong", "nx-b"}, "anything").key->id == "team-b");

    auto denied = authorize(table, V{"nx-a"}, "claude-x");
    CHECK(denied.status == 403);
    CHECK(denied.error_type == "permission_error");
    CHECK(denied.message == "key 'team-a' may not use model 'claude-x'");
    CHECK(denied.key == nullptr);
    CHECK(authorize(table, V{"nx-a"}, "").status == 403);
}
