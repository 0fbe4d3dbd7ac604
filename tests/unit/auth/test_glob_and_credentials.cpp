#include "credentials.hpp"
#include "glob.hpp"

#include <catch2/catch.hpp>

#include <string>

using nexus::auth::glob_match;
using nexus::auth::presented_keys;

TEST_CASE("glob: '*' matches any run, everything else itself", "[glob]") {
    CHECK(glob_match("gpt-test", "gpt-test"));
    CHECK_FALSE(glob_match("gpt-test", "gpt-test2"));
    CHECK_FALSE(glob_match("gpt-test", "gpt-tes"));
    CHECK(glob_match("openai/*", "openai/gpt-4o"));
    CHECK(glob_match("openai/*", "openai/"));
    CHECK_FALSE(glob_match("openai/*", "openai"));
    CHECK_FALSE(glob_match("openai/*", "anthropic/claude"));
    CHECK(glob_match("*", ""));
    CHECK(glob_match("*", "anything/at/all"));
    CHECK(glob_match("gpt-*-mini", "gpt-4o-mini"));
    CHECK_FALSE(glob_match("gpt-*-mini", "gpt-4o-mini-2"));
    CHECK(glob_match("*mini", "gpt-4o-mini"));
    CHECK(glob_match("a*b*c", "aXXbYYc"));
    CHECK_FALSE(glob_match("a*b*c", "aXXcYYb"));
    CHECK(glob_match("?", "?"));
    CHECK_FALSE(glob_match("?", "x"));  // only '*' is special
}

TEST_CASE("glob: a pathological pattern stays fast", "[glob]") {
    std::string text(20000, 'a');
    CHECK_FALSE(glob_match("*a*a*a*a*a*a*a*a*b", text));
    CHECK(glob_match("*a*a*a*a*a*a*a*a*", text));
}

TEST_CASE("credentials: Bearer (any case) and x-api-key, trimmed", "[credentials]") {
    using V = std::vector<std::string_view>;
    CHECK(presented_keys("Bearer nx-abc", std::nullopt) == V{"nx-abc"});
    CHECK(presented_keys("bearer   nx-abc  ", std::nullopt) == V{"nx-abc"});
    CHECK(presented_keys("BEARER\tnx-abc", std::nullopt) == V{"nx-abc"});
    CHECK(presented_keys(std::nullopt, " nx-xyz ") == V{"nx-xyz"});
    CHECK(presented_keys("Bearer a", "b") == V{"a", "b"});
}

TEST_CASE("credentials: other schemes, empty and overlong values are not keys", "[credentials]") {
    CHECK(presented_keys("Basic dXNlcjpwYXNz", std::nullopt).empty());
    CHECK(presented_keys("Bearer", std::nullopt).empty());
    CHECK(presented_keys("Bearer    ", std::nullopt).empty());
    CHECK(presented_keys("Bearernx-abc", std::nullopt).empty());
    CHECK(presented_keys(std::nullopt, "").empty());
    CHECK(presented_keys(std::nullopt, std::string(nexus::auth::kMaxPresentedKey + 1, 'k')).empty());
    CHECK(presented_keys(std::nullopt, std::string(nexus::auth::kMaxPresentedKey, 'k')).size() == 1);
    CHECK(presented_keys(std::nullopt, std::nullopt).empty());
}
