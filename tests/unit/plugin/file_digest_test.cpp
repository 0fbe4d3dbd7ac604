#include "plugin/file_digest.hpp"
#include "plugin_test_support.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace nexus::plugin;
using namespace nexus::plugin::test;

TEST_CASE("file_sha256_hex hashes the file's bytes", "[digest]") {
    TempDir dir;
    const std::string p = dir.str() + "/abc.so";
    std::ofstream(p, std::ios::binary) << "abc";
    std::string error;
    // FIPS 180-2, appendix B.1
    CHECK(file_sha256_hex(p, &error) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    const std::string empty = dir.str() + "/empty.so";
    std::ofstream(empty, std::ios::binary).flush();
    CHECK(file_sha256_hex(empty, &error) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("file_sha256_hex names the file it cannot read", "[digest]") {
    std::string error;
    CHECK_FALSE(file_sha256_hex("/nonexistent/x.so", &error));
    CHECK(error == "/nonexistent/x.so: No such file or directory");
}
