// Helpers shared by the plugin unit tests (openai, mistral, ollama): header lists as the SDK sees
// them, JSON parsing and printing, and catching an expected exception.
#pragma once

#include "nexus/nexus.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <catch2/catch.hpp>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace plugin_test {

// Owns header strings and exposes them as the SDK's HeaderView.
class Headers {
public:
    Headers(std::initializer_list<std::pair<std::string, std::string>> h = {}) : kv_(h) {
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
    INFO(json);
    REQUIRE_FALSE(d.HasParseError());
    return d;
}

inline std::string json(const rapidjson::Value& v) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    v.Accept(w);
    return buf.GetString();
}

inline std::string s(const rapidjson::Value& v) { return v.IsString() ? std::string(v.GetString(), v.GetStringLength()) : "<not a string>"; }

// Runs `fn`, which must throw T; returns the exception.
template <class T, class Fn>
T thrown(Fn&& fn) {
    try {
        fn();
    } catch (const T& e) {
        return e;
    }
    FAIL("expected an exception");
    throw;
}

}  // namespace plugin_test
