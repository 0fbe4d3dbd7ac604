// Helpers for the openai plugin tests.
#pragma once

#include "nexus/nexus.hpp"

#include <rapidjson/document.h>

#include <catch2/catch.hpp>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace openai_test {

// Owns header strings and exposes them as the SDK's HeaderView.
class Headers {
public:
    Headers(std::initializer_list<std::pair<std::string, std::string>> h) : kv_(h) {
        for (const auto& [k, v] : kv_) raw_.push_back({nexus::sdk::to_nx(k), nexus::sdk::to_nx(v)});
    }
    nexus::sdk::HeaderView view() const { return {raw_.data(), raw_.size()}; }

private:
    std::vector<std::pair<std::string, std::string>> kv_;
    std::vector<nx_header> raw_;
};

inline rapidjson::Document parse(const std::string& json) {
    rapidjson::Document d;
    d.Parse(json.c_str(), json.size());
    REQUIRE_FALSE(d.HasParseError());
    return d;
}

}  // namespace openai_test
