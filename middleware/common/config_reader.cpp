#include "config_reader.hpp"

#include "nexus/nexus.hpp"
#include "units.hpp"

namespace nexus::mw {

using nexus::sdk::Error;

void throw_config_error(std::string_view middleware, std::string_view field, std::string_view expected,
                        const rapidjson::Value& found) {
    throw Error(NX_ERR_INVALID, std::string(middleware) + ": '" + std::string(field) + "': expected " +
                                    std::string(expected) + ", found " + describe(found));
}

ConfigReader::ConfigReader(std::string middleware, std::string_view json) : name_(std::move(middleware)) {
    if (json.empty()) json = "{}";
    if (!parse_json(doc_, json)) throw Error(NX_ERR_INVALID, name_ + ": settings are not valid JSON");
    if (doc_.IsNull()) doc_.SetObject();
    if (!doc_.IsObject())
        throw Error(NX_ERR_INVALID, name_ + ": expected a mapping of settings, found " + describe(doc_));
}

void ConfigReader::only(std::initializer_list<std::string_view> known) const {
    for (const auto& m : doc_.GetObject()) {
        std::string_view key = as_view(m.name);
        bool ok = false;
        for (auto k : known) ok = ok || k == key;
        if (ok) continue;
        std::string list;
        for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        throw Error(NX_ERR_INVALID, name_ + ": unknown setting '" + std::string(key) + "' (known: " + list + ")");
    }
}

void ConfigReader::fail(std::string_view field, std::string_view expected, const rapidjson::Value& found) const {
    throw_config_error(name_, field, expected, found);
}

void ConfigReader::fail(std::string_view field, std::string_view message) const {
    throw Error(NX_ERR_INVALID, name_ + ": '" + std::string(field) + "': " + std::string(message));
}

std::optional<int64_t> ConfigReader::integer(std::string_view field, int64_t min, int64_t max) const {
    const rapidjson::Value* v = get(field);
    if (!v || v->IsNull()) return std::nullopt;
    std::string expected = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
    if (!v->IsInt64() || v->GetInt64() < min || v->GetInt64() > max) fail(field, expected, *v);
    return v->GetInt64();
}

std::optional<std::string> ConfigReader::string(std::string_view field, bool allow_empty) const {
    const rapidjson::Value* v = get(field);
    if (!v || v->IsNull()) return std::nullopt;
    if (!v->IsString() || (!allow_empty && v->GetStringLength() == 0))
        fail(field, allow_empty ? "a string" : "a non-empty string", *v);
    return std::string(as_view(*v));
}

std::optional<std::string> ConfigReader::choice(std::string_view field,
                                                std::initializer_list<std::string_view> options) const {
    const rapidjson::Value* v = get(field);
    if (!v || v->IsNull()) return std::nullopt;
    for (auto o : options)
        if (v->IsString() && as_view(*v) == o) return std::string(o);
    std::string expected;
    size_t i = 0;
    for (auto o : options) {
        expected += i == 0 ? "" : (i + 1 == options.size() ? " or " : ", ");
        expected += std::string(o);
        ++i;
    }
    fail(field, expected, *v);
}

std::optional<uint64_t> ConfigReader::duration_ms(std::string_view field, uint64_t min_ms) const {
    const rapidjson::Value* v = get(field);
    if (!v || v->IsNull()) return std::nullopt;
    std::optional<uint64_t> ms;
    if (v->IsUint64()) ms = v->GetUint64() <= UINT64_MAX / 1000 ? std::optional(v->GetUint64() * 1000) : std::nullopt;
    else if (v->IsString()) ms = parse_duration_ms(as_view(*v));
    if (!ms) fail(field, "a duration such as 300s, 5m or a number of seconds", *v);
    if (*ms < min_ms) {
        std::string min = min_ms % 1000 == 0 ? std::to_string(min_ms / 1000) + "s" : std::to_string(min_ms) + "ms";
        fail(field, "a duration of at least " + min, *v);
    }
    return ms;
}

std::optional<uint64_t> ConfigReader::size_bytes(std::string_view field, uint64_t min_bytes) const {
    const rapidjson::Value* v = get(field);
    if (!v || v->IsNull()) return std::nullopt;
    std::optional<uint64_t> bytes;
    if (v->IsUint64()) bytes = v->GetUint64();
    else if (v->IsString()) bytes = parse_size_bytes(as_view(*v));
    if (!bytes) fail(field, "a size such as 1MiB, 512KiB or a number of bytes", *v);
    if (*bytes < min_bytes) fail(field, "a size of at least " + std::to_string(min_bytes) + " bytes", *v);
    return bytes;
}

}  // namespace nexus::mw
