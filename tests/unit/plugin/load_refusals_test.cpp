// Every way a plugin file can be refused, each with its one-line message.
#include "plugin/loader.hpp"
#include "plugin_test_support.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace nexus::plugin;
using namespace nexus::plugin::test;

namespace {

// Loads `path`, expects a refusal, returns its message.
std::string refusal_of(const std::string& path) {
    LoadError error;
    auto plugin = load_plugin(path, &error);
    REQUIRE(plugin == nullptr);
    CHECK(error.path == path);
    CHECK(error.message.find('\n') == std::string::npos);
    return error.message;
}

}  // namespace

TEST_CASE("a file that does not exist is refused", "[loader]") {
    const std::string p = test_plugin("does_not_exist");
    CHECK(refusal_of(p) == "plugin " + p + ": no such file");
}

TEST_CASE("a text file named .so is refused with the dlopen reason", "[loader]") {
    TempDir dir;
    const std::string p = dir.str() + "/notes.so";
    std::ofstream(p) << "These are not the ELF bytes you are looking for.\n"
                        "A plain text file renamed to .so must be refused, not crash the host.\n";
    std::string msg = refusal_of(p);
    CHECK_THAT(msg, Catch::StartsWith("plugin " + p + ": not a loadable shared object: "));
    CHECK_THAT(msg, Catch::Contains("invalid ELF header"));
}

TEST_CASE("a shared object without the entry point is refused", "[loader]") {
    const std::string p = test_plugin("no_entry");
    CHECK(refusal_of(p) == "plugin " + p + ": no entry point 'nexus_plugin_init_v1' (not a Nexus plugin, or not built "
                               "with NEXUS_PROVIDER_PLUGIN / NEXUS_MIDDLEWARE_PLUGIN)");
}

TEST_CASE("an init that fails is refused with the plugin's own message", "[loader]") {
    const std::string p = test_plugin("init_fails");
    CHECK(refusal_of(p) == "plugin " + p + ": init failed (status 1): init_fails: license file "
                                           "/etc/nexus/example.lic is missing");
}

TEST_CASE("an init that returns no info is refused", "[loader]") {
    const std::string p = test_plugin("null_info");
    CHECK(refusal_of(p) == "plugin " + p + ": init returned OK but no plugin info (NULL)");
}

TEST_CASE("an info struct smaller than v1 is refused", "[loader]") {
    const std::string p = test_plugin("small_info");
    CHECK(refusal_of(p) == "plugin " + p + ": plugin info struct_size 24 is below the v1 minimum 64");
}

TEST_CASE("another ABI major is refused, naming the plugin and both versions", "[loader]") {
    const std::string p = test_plugin("wrong_major");
    CHECK(refusal_of(p) == "plugin 'wrong_major' (" + p + "): ABI major 2 is not supported by this host (host ABI " +
                               host_abi() + ")");
}

TEST_CASE("a missing or invalid name is refused", "[loader]") {
    const std::string bad = test_plugin("bad_name");
    CHECK(refusal_of(bad) == "plugin " + bad + ": invalid plugin name 'Bad Name!' (expected 1-64 characters of [a-z0-9_-])");
    const std::string none = test_plugin("no_name");
    CHECK(refusal_of(none) == "plugin " + none + ": plugin info has no name");
}

TEST_CASE("an unknown kind is refused", "[loader]") {
    const std::string p = test_plugin("unknown_kind");
    CHECK(refusal_of(p) == "plugin 'unknown_kind' (" + p + "): unknown plugin kind 7 (this host knows 1 = provider, "
                                                            "2 = middleware)");
}

TEST_CASE("a missing or short vtable is refused", "[loader]") {
    const std::string missing = test_plugin("missing_vtable");
    CHECK(refusal_of(missing) ==
          "plugin 'missing_vtable' (" + missing + "): kind is provider but the plugin info has no provider vtable");
    const std::string small = test_plugin("small_vtable");
    CHECK(refusal_of(small) ==
          "plugin 'small_vtable' (" + small + "): provider vtable struct_size 40 is below the v1 minimum 72");
}

TEST_CASE("a vtable without a mandatory function is refused", "[loader]") {
    const std::string prov = test_plugin("null_prepare");
    CHECK(refusal_of(prov) ==
          "plugin 'null_prepare' (" + prov + "): provider vtable has no 'prepare' function (it is mandatory)");
    const std::string mw = test_plugin("null_destroy");
    CHECK(refusal_of(mw) ==
          "plugin 'null_destroy' (" + mw + "): middleware vtable has no 'destroy' function (it is mandatory)");
}

TEST_CASE("a refused plugin does not stay mapped", "[loader]") {
    REQUIRE_FALSE(load_plugin(test_plugin("wrong_major"), nullptr));
    CHECK_FALSE(is_mapped("nexus_wrong_major.so"));
}
