#include "tool_call_ids.hpp"

#include <catch2/catch.hpp>

#include <set>

using nexus::mistral::is_mistral_tool_call_id;
using nexus::mistral::to_mistral_tool_call_id;

TEST_CASE("tool call ids: Mistral's own ids are kept", "[ids]") {
    CHECK(is_mistral_tool_call_id("D681PevKs"));
    CHECK(to_mistral_tool_call_id("D681PevKs") == "D681PevKs");
    CHECK(to_mistral_tool_call_id("123456789") == "123456789");
    CHECK_FALSE(is_mistral_tool_call_id("D681PevK"));    // 8
    CHECK_FALSE(is_mistral_tool_call_id("D681PevKs0"));  // 10
    CHECK_FALSE(is_mistral_tool_call_id("D681_evKs"));
}

TEST_CASE("tool call ids: other ids become nine alphanumerics, deterministically", "[ids]") {
    for (const char* id : {"call_abc123", "call_5uxEBMFySqqQGu02I5QHA8k6", "toolu_01A09q90qw90lq917835lq9", "x", "",
                           "call_98660886", "\xC3\xA9t\xC3\xA9"}) {
        std::string m = to_mistral_tool_call_id(id);
        INFO(id << " -> " << m);
        CHECK(is_mistral_tool_call_id(m));
        CHECK(to_mistral_tool_call_id(id) == m);  // same input, same output
        CHECK(to_mistral_tool_call_id(m) == m);   // and stable once rewritten
    }
    std::set<std::string> seen;
    for (int i = 0; i < 2000; ++i) seen.insert(to_mistral_tool_call_id("call_" + std::to_string(i)));
    CHECK(seen.size() == 2000);
}
