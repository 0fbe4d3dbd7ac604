// Helpers for the claude plugin tests.
#pragma once

#include "json_util.hpp"
#include "request_builder.hpp"

#include "nexus/nexus.hpp"

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <catch2/catch.hpp>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace claude_test {

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

inline rapidjson::Document parse(std::string_view json) {
    rapidjson::Document d;
    d.Parse(json.data(), json.size());
    INFO(json);
    REQUIRE_FALSE(d.HasParseError());
    return d;
}

// The value at a JSON Pointer, serialized compactly; "<missing>" when absent.
inline std::string at(const rapidjson::Value& doc, const char* pointer) {
    const rapidjson::Value* v = rapidjson::Pointer(pointer).Get(doc);
    return v ? nexus::claude::to_json(*v) : std::string("<missing>");
}

// Compact form of a JSON text, for comparing documents regardless of whitespace.
inline std::string compact(std::string_view json) { return nexus::claude::to_json(parse(json)); }

// translate_chat with the default config, as compact JSON parsed back.
inline rapidjson::Document translate(std::string_view body, bool stream = false,
                                     std::string_view model = "claude-sonnet-4-5-20250929") {
    nexus::claude::ProviderConfig cfg;
    return parse(nexus::claude::to_json(nexus::claude::translate_chat(cfg, body, model, stream)));
}

// The status and message of the sdk::Error thrown by `fn`.
template <class Fn>
std::pair<nx_status, std::string> error_of(Fn&& fn) {
    try {
        fn();
    } catch (const nexus::sdk::Error& e) {
        return {e.status(), e.what()};
    }
    FAIL("no sdk::Error thrown");
    return {NX_OK, ""};
}

}  // namespace claude_test
