#pragma once

#include "common/invalid_error.hpp"
#include "nexus/nexus.hpp"
#include "sha256.hpp"

#include <catch2/catch.hpp>

#include <string>

// The config hash of a key, as `nexus keys new` prints it.
inline std::string hash_of(const std::string& key) { return "sha256:" + nexus::mw::to_hex(nexus::mw::sha256(key)); }

using test_support::error_of;
