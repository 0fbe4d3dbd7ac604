// YAML scalars become typed JSON values in free-form maps; quoted ones stay strings.
#include "config/yaml_scalar.hpp"
#include "config_test_support.hpp"

#include <catch2/catch.hpp>

using namespace nexus::config;
using namespace config_test;

TEST_CASE("plain scalar kinds follow the YAML 1.2 core schema") {
    CHECK(plain_scalar_kind("~") == ScalarKind::Null);
    CHECK(plain_scalar_kind("null") == ScalarKind::Null);
    CHECK(plain_scalar_kind("NULL") == ScalarKind::Null);
    CHECK(plain_scalar_kind("") == ScalarKind::Null);
    CHECK(plain_scalar_kind("true") == ScalarKind::Bool);
    CHECK(plain_scalar_kind("False") == ScalarKind::Bool);
    CHECK(plain_scalar_kind("yes") == ScalarKind::String);
    CHECK(plain_scalar_kind("42") == ScalarKind::Int);
    CHECK(plain_scalar_kind("-7") == ScalarKind::Int);
    CHECK(plain_scalar_kind("0x1F") == ScalarKind::Int);
    CHECK(plain_scalar_kind("0o17") == ScalarKind::Int);
    CHECK(plain_scalar_kind("3.14") == ScalarKind::Float);
    CHECK(plain_scalar_kind("1e3") == ScalarKind::Float);
    CHECK(plain_scalar_kind(".5") == ScalarKind::Float);
    CHECK(plain_scalar_kind(".inf") == ScalarKind::String);
    CHECK(plain_scalar_kind("1.2.3") == ScalarKind::String);
    CHECK(plain_scalar_kind("300s") == ScalarKind::String);
    CHECK(plain_scalar_kind("gpt-4o") == ScalarKind::String);
}

TEST_CASE("free-form maps become typed JSON") {
    auto cfg = valid(R"(models:
  m:
    int: 42
    neg: -3
    hex: 0x10
    big: 18446744073709551615
    huge: 99999999999999999999999
    float: 0.25
    exp: 1e999
    yes_bool: true
    no_bool: False
    nul: ~
    empty:
    plain: hello world
    quoted_int: "42"
    single_quoted_bool: 'true'
    quoted_null: "null"
    tagged: !!str 12
    list: [1, "2", three]
    nested: {a: {b: [x]}}
)");
    // "huge" overflows 64 bits and becomes a float (RapidJSON's Grisu2 prints 1e23 like this).
    CHECK(cfg->models_json ==
          R"({"m":{"int":42,"neg":-3,"hex":16,"big":18446744073709551615,"huge":9.999999999999999e22,"float":0.25,"exp":"1e999",)"
          R"("yes_bool":true,"no_bool":false,"nul":null,"empty":null,"plain":"hello world","quoted_int":"42",)"
          R"("single_quoted_bool":"true","quoted_null":"null","tagged":"12","list":[1,"2","three"],)"
          R"("nested":{"a":{"b":["x"]}}}})");
}

TEST_CASE("expanded plain scalars are typed by their value, quoted ones stay strings") {
    ScopedEnv env({{"N", "7"}, {"FLAG", "true"}});
    // Block style: in a flow mapping a plain ${N} would end at its '}'.
    auto cfg = valid("models:\n  m:\n    n: ${N}\n    flag: ${FLAG}\n    quoted: \"${N}\"\n    t: ${T:-0.5}\n");
    CHECK(cfg->models_json == R"({"m":{"n":7,"flag":true,"quoted":"7","t":0.5}})");
}
