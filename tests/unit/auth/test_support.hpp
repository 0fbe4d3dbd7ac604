#pragma once

#include "nexus/nexus.hpp"
#include "sha256.hpp"

#include <catch2/catch.hpp>

#include <string>

// The config hash of a key, as `nexus keys new` prints it.
inline std::string hash_of(const std::string& key) { return "sha256:" + nexus::mw::to_hex(nexus::mw::sha256(key)); }

template <class Fn>
std::string error_of(Fn&& fn) {
    try {
        fn();
    } catch (const nexus::sdk::Error& e) {
        CHECK(e.status() == NX_ERR_INVALID);
        return e.what();
    }
    FAIL("no error");
    return {};
}
