// The message of the NX_ERR_INVALID error a call must throw (config parsers, readers).
#pragma once

#include "nexus/nexus.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace test_support {

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

}  // namespace test_support
