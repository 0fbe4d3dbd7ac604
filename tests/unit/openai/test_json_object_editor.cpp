#include "json_object_editor.hpp"
#include "test_support.hpp"

using nexus::openai::JsonObjectEditor;
using openai_test::parse;

namespace {
std::string edited(const std::string& text, void (*edit)(JsonObjectEditor&)) {
    JsonObjectEditor e;
    REQUIRE(e.parse(text).empty());
    edit(e);
    std::string out = e.str();
    parse(out);  // always valid JSON
    return out;
}
}  // namespace

TEST_CASE("object editor: unchanged text comes back byte for byte", "[editor]") {
    for (std::string text : {R"({})", R"( { } )", R"({"a":1})", " {\n  \"a\" : [1, {\"b\": 2}] ,\t\"c\":\"x\\\"y\"\n} \n",
                             R"({"n":1.50e+3,"u":"\u00e9","big":123456789012345678901234567890})"}) {
        INFO(text);
        JsonObjectEditor e;
        REQUIRE(e.parse(text).empty());
        std::string out = e.str();
        parse(out);
        // whitespace between members may be normalised, nothing else
        auto squeeze = [](std::string s) {
            std::string r;
            bool in_string = false;
            for (size_t i = 0; i < s.size(); ++i) {
                if (in_string && s[i] == '\\') { r += s[i]; r += s[++i]; continue; }
                if (s[i] == '"') in_string = !in_string;
                if (in_string || !std::isspace(static_cast<unsigned char>(s[i]))) r += s[i];
            }
            return r;
        };
        CHECK(squeeze(out) == squeeze(text));
    }
}

TEST_CASE("object editor: set replaces the first member's value in place, or appends", "[editor]") {
    CHECK(edited(R"({"model":"a","x":{"model":"inner"},"y":1})", [](auto& e) { e.set("model", R"("b")"); }) ==
          R"({"model":"b","x":{"model":"inner"},"y":1})");
    CHECK(edited(R"({"x":[1,2] , "model" : "a" })", [](auto& e) { e.set("model", R"("b")"); }) ==
          R"({"x":[1,2],"model" : "b"})");
    CHECK(edited(R"({"x":1})", [](auto& e) { e.set("model", R"("m")"); }) == R"({"x":1,"model":"m"})");
    CHECK(edited(R"({})", [](auto& e) { e.set("stream", "true"); }) == R"({"stream":true})");
    CHECK(edited(R"({ })", [](auto& e) { e.set("k\"q", "1"); }) == R"({ "k\"q":1})");
    // duplicates: like a DOM's FindMember, the first one is the one that changes
    CHECK(edited(R"({"a":1,"a":2})", [](auto& e) { e.set("a", "3"); }) == R"({"a":3,"a":2})");
}

TEST_CASE("object editor: erase removes the member and one comma, wherever it is", "[editor]") {
    auto erase_s = [](auto& e) { e.erase("s"); };
    CHECK(edited(R"({"s":{"a":1},"b":2,"c":3})", erase_s) == R"({"b":2,"c":3})");
    CHECK(edited(R"({"a":1, "s" :[1,{"s":2}] ,"c":3})", erase_s) == R"({"a":1,"c":3})");
    CHECK(edited(R"({"a":1,"s":null})", erase_s) == R"({"a":1})");
    CHECK(edited(R"({"s":null})", erase_s) == R"({})");
    CHECK(edited(R"({"a":1})", erase_s) == R"({"a":1})");
    CHECK(edited(R"({"a":1})", [](auto& e) { e.set("s", "1"); e.erase("s"); }) == R"({"a":1})");
}

TEST_CASE("object editor: keys with escapes are matched unescaped and spliced exactly", "[editor]") {
    const std::string text = R"({"q\"uote":"v\"\\","\u006dodel":"a","z":"}"})";
    JsonObjectEditor e;
    REQUIRE(e.parse(text).empty());
    CHECK(e.raw("q\"uote").value() == R"("v\"\\")");
    CHECK(e.raw("model").value() == R"("a")");
    CHECK(e.raw("z").value() == R"("}")");
    e.set("model", R"("b")");
    CHECK(e.str() == R"({"q\"uote":"v\"\\","\u006dodel":"b","z":"}"})");
    CHECK(e.raw("model").value() == R"("b")");
    CHECK_FALSE(e.raw("absent"));
}

TEST_CASE("object editor: what is not one JSON object is refused with the reason", "[editor]") {
    JsonObjectEditor e;
    CHECK(e.parse("[1]") == JsonObjectEditor::kNotAnObject);
    CHECK(e.parse("\"s\"") == JsonObjectEditor::kNotAnObject);
    CHECK_THAT(e.parse(R"({"a":1)"), Catch::StartsWith("invalid JSON at offset"));
    CHECK_THAT(e.parse(R"({"a":1} {})"), Catch::StartsWith("invalid JSON at offset"));
    CHECK_THAT(e.parse(""), Catch::StartsWith("invalid JSON at offset 0"));
    using namespace std::string_literals;
    CHECK(e.parse("{\"a\":\"x\0\"}"s) == "invalid JSON at offset 7: raw NUL byte");
    CHECK(e.parse(std::string(300, '[') + std::string(300, ']')).find("nested deeper than 256") != std::string::npos);
    CHECK(e.parse("{\"a\":" + std::string(255, '[') + std::string(255, ']') + "}").empty());
}
