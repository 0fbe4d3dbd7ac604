// Reads a middleware's settings (its chain entry's YAML map, as JSON). Every problem throws
// nexus::sdk::Error(NX_ERR_INVALID, "<middleware>: '<field>': expected ..., found ...") so
// that the host refuses to start with a message naming the field.
#pragma once

#include "json_util.hpp"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace nexus::mw {

class ConfigReader {
public:
    // Throws when `json` is not a JSON object.
    ConfigReader(std::string middleware, std::string_view json);

    const rapidjson::Value& root() const { return doc_; }
    const rapidjson::Value* get(std::string_view field) const { return member(doc_, field); }

    // Refuses members not in `known`: "<mw>: unknown setting 'rmp' (known: rpm, tpm, ...)".
    void only(std::initializer_list<std::string_view> known) const;

    // Each returns nullopt when the field is absent (or null), and throws when it is there
    // but wrong.
    std::optional<int64_t> integer(std::string_view field, int64_t min, int64_t max) const;
    std::optional<std::string> string(std::string_view field, bool allow_empty = false) const;
    std::optional<std::string> choice(std::string_view field, std::initializer_list<std::string_view> options) const;
    std::optional<uint64_t> duration_ms(std::string_view field, uint64_t min_ms) const;
    std::optional<uint64_t> size_bytes(std::string_view field, uint64_t min_bytes) const;

    // "<mw>: '<field>': expected <expected>, found <what `found` is>".
    [[noreturn]] void fail(std::string_view field, std::string_view expected, const rapidjson::Value& found) const;
    // "<mw>: '<field>': <message>".
    [[noreturn]] void fail(std::string_view field, std::string_view message) const;

    const std::string& middleware() const { return name_; }

private:
    std::string name_;
    rapidjson::Document doc_;
};

// The error a ConfigReader throws, for messages built elsewhere (e.g. a key file):
// "<mw>: '<field>': expected <expected>, found <describe(found)>".
[[noreturn]] void throw_config_error(std::string_view middleware, std::string_view field, std::string_view expected,
                                     const rapidjson::Value& found);

}  // namespace nexus::mw
