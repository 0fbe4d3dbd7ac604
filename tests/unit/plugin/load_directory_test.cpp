// load_directory: every .so in a directory, good ones kept, one error per broken file.
#include "plugin/loader.hpp"
#include "plugin_test_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace nexus::plugin;
using namespace nexus::plugin::test;
namespace fs = std::filesystem;

namespace {

void copy_in(const TempDir& dir, const std::string& plugin, const std::string& as = "") {
    fs::copy_file(test_plugin(plugin), dir.path() / (as.empty() ? plugin + ".so" : as));
}

}  // namespace

TEST_CASE("a directory with good and broken plugins loads the good ones and reports each broken one", "[directory]") {
    TempDir dir;
    copy_in(dir, "good_provider");
    copy_in(dir, "good_middleware");
    copy_in(dir, "wrong_major");
    copy_in(dir, "no_entry");
    copy_in(dir, "init_fails");
    std::ofstream(dir.path() / "readme.so") << "not a shared object at all, just some text that is long enough\n";
    std::ofstream(dir.path() / "notes.txt") << "ignored: not a .so\n";
    fs::create_directory(dir.path() / "sub.so");  // a directory, not a regular file: ignored
    copy_in(dir, "good_provider", "good_provider.so.1");  // not ending in .so: ignored

    LoadDirResult r = load_directory(dir.str());
    REQUIRE(r.plugins.size() == 2);
    CHECK(r.plugins.count("good_provider") == 1);
    CHECK(r.plugins.count("good_middleware") == 1);
    CHECK(r.plugins.at("good_provider")->path == (dir.path() / "good_provider.so").string());

    // In file-name order.
    REQUIRE(r.errors.size() == 4);
    CHECK(r.errors[0].path == (dir.path() / "init_fails.so").string());
    CHECK_THAT(r.errors[0].message, Catch::Contains("init_fails: license file"));
    CHECK(r.errors[1].path == (dir.path() / "no_entry.so").string());
    CHECK_THAT(r.errors[1].message, Catch::Contains("no entry point"));
    CHECK(r.errors[2].path == (dir.path() / "readme.so").string());
    CHECK_THAT(r.errors[2].message, Catch::Contains("not a loadable shared object"));
    CHECK(r.errors[3].path == (dir.path() / "wrong_major.so").string());
    CHECK_THAT(r.errors[3].message, Catch::Contains("ABI major 2 is not supported"));
}

TEST_CASE("two files declaring the same plugin name: the first wins, the second is an error", "[directory]") {
    const std::string dir = std::string(NEXUS_TEST_PLUGIN_DIR) + "/duplicates";
    LoadDirResult r = load_directory(dir);
    REQUIRE(r.plugins.size() == 1);
    REQUIRE(r.plugins.count("dup") == 1);
    CHECK(r.plugins.at("dup")->version == "1.0.0-a");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].path == dir + "/nexus_dup_b.so");
    CHECK(r.errors[0].message == "duplicate plugin name 'dup': " + dir + "/nexus_dup_a.so and " + dir + "/nexus_dup_b.so");
}

TEST_CASE("a missing plugin directory is one error, not a crash", "[directory]") {
    TempDir dir;
    const std::string missing = dir.str() + "/nope";
    LoadDirResult r = load_directory(missing);
    CHECK(r.plugins.empty());
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].path == missing);
    CHECK_THAT(r.errors[0].message, Catch::StartsWith("plugin directory " + missing + ": "));
    CHECK_THAT(r.errors[0].message, Catch::Contains("No such file or directory"));
}

TEST_CASE("an empty directory loads nothing and reports nothing", "[directory]") {
    TempDir dir;
    LoadDirResult r = load_directory(dir.str());
    CHECK(r.plugins.empty());
    CHECK(r.errors.empty());
}
