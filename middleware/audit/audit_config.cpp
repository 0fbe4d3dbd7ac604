#include "audit_config.hpp"

#include "nexus/nexus.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <cmath>

namespace nexus::audit {

namespace {

[[noreturn]] void invalid(const std::string& field, const std::string& expected, const std::string& found) {
    throw sdk::Error(NX_ERR_INVALID, "audit: '" + field + "': expected " + expected + ", found " + found);
}

std::string describe(const rapidjson::Value& v) {
    if (v.IsNull()) return "null";
    if (v.IsBool()) return v.GetBool() ? "true" : "false";
    if (v.IsObject()) return "a mapping";
    if (v.IsArray()) return "a list";
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    v.Accept(w);
    return std::string(sb.GetString(), sb.GetSize());
}

std::string_view str(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

// A number followed by a unit from `units` (name, factor); a bare number uses `bare`.
std::optional<uint64_t> scaled(std::string_view s, std::initializer_list<std::pair<std::string_view, uint64_t>> units,
                               uint64_t bare) {
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || end == s.data()) return std::nullopt;
    std::string_view unit(end, size_t(s.data() + s.size() - end));
    while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
    uint64_t factor = 0;
    if (unit.empty()) factor = bare;
    for (const auto& [name, f] : units)
        if (unit == name) factor = f;
    if (factor == 0 || n > UINT64_MAX / factor) return std::nullopt;
    return n * factor;
}

uint64_t size_field(const rapidjson::Value& v, const std::string& field) {
    std::optional<uint64_t> n;
    if (v.IsUint64()) n = v.GetUint64();
    else if (v.IsString()) n = parse_size(str(v));
    if (!n || *n == 0) invalid(field, "a size such as 100MiB, 64KiB or a number of bytes", describe(v));
    return *n;
}

bool bool_field(const rapidjson::Value& v, const std::string& field) {
    if (!v.IsBool()) invalid(field, "true or false", describe(v));
    return v.GetBool();
}

void parse_rotate(const rapidjson::Value& v, LogOptions& log) {
    if (!v.IsObject()) invalid("rotate", "a mapping {max_bytes, max_files, every}", describe(v));
    for (const auto& m : v.GetObject()) {
        auto key = str(m.name);
        std::string field = "rotate." + std::string(key);
        if (key == "max_bytes") {
            log.max_bytes = size_field(m.value, field);
            if (log.max_bytes < 4096) invalid(field, "at least 4KiB", describe(m.value));
        } else if (key == "max_files") {
            if (!m.value.IsUint() || m.value.GetUint() > 100000)
                invalid(field, "a number of rotated files to keep (0: all)", describe(m.value));
            log.max_files = m.value.GetUint();
        } else if (key == "every") {
            std::optional<uint64_t> ms = m.value.IsString() ? parse_duration_ms(str(m.value)) : std::nullopt;
            if (!ms || *ms < 1000) invalid(field, "a period of at least 1s such as 24h, 1h or 30m", describe(m.value));
            log.every_ms = *ms;
        } else {
            invalid(field, "one of max_bytes, max_files, every", "an unknown setting");
        }
    }
}

void parse_capture(const rapidjson::Value& v, Config& cfg) {
    if (!v.IsObject()) invalid("capture", "a mapping {prompt, response, max_bytes}", describe(v));
    for (const auto& m : v.GetObject()) {
        auto key = str(m.name);
        std::string field = "capture." + std::string(key);
        if (key == "prompt") cfg.capture_prompt = bool_field(m.value, field);
        else if (key == "response") cfg.capture_response = bool_field(m.value, field);
        else if (key == "max_bytes") cfg.capture_max_bytes = size_field(m.value, field);
        else invalid(field, "one of prompt, response, max_bytes", "an unknown setting");
    }
    if (cfg.capture_max_bytes > (1u << 20)) invalid("capture.max_bytes", "at most 1MiB", std::to_string(cfg.capture_max_bytes));
}

}  // namespace

std::optional<uint64_t> parse_size(std::string_view s) {
    return scaled(s, {{"B", 1}, {"KB", 1000}, {"KiB", 1024}, {"MB", 1000 * 1000}, {"MiB", 1024 * 1024},
                      {"GB", 1000ull * 1000 * 1000}, {"GiB", 1024ull * 1024 * 1024}},
                  1);
}

std::optional<uint64_t> parse_duration_ms(std::string_view s) {
    return scaled(s, {{"ms", 1}, {"s", 1000}, {"m", 60 * 1000}, {"h", 3600 * 1000}, {"d", 24 * 3600 * 1000}}, 0);
}

Config parse_config(std::string_view json) {
    Config cfg;
    rapidjson::Document d;
    d.Parse(json.data(), json.size());
    if (d.HasParseError() || !d.IsObject()) throw sdk::Error(NX_ERR_INVALID, "audit: expected a mapping of settings");
    bool have_path = false, to_stdout = false, have_rotate = false;
    for (const auto& m : d.GetObject()) {
        auto key = str(m.name);
        std::string field(key);
        if (key == "path") {
            if (!m.value.IsString() || m.value.GetStringLength() == 0) invalid(field, "a file path", describe(m.value));
            cfg.log.path = std::string(str(m.value));
            have_path = true;
        } else if (key == "sink") {
            if (m.value.IsString() && str(m.value) == "stdout") to_stdout = true;
            else if (!(m.value.IsString() && str(m.value) == "file")) invalid(field, "file or stdout", describe(m.value));
        } else if (key == "rotate") {
            parse_rotate(m.value, cfg.log);
            have_rotate = true;
        } else if (key == "fsync") {
            std::string_view v = m.value.IsString() ? str(m.value) : "";
            if (v == "always") cfg.log.fsync = FsyncPolicy::always;
            else if (v == "interval") cfg.log.fsync = FsyncPolicy::interval;
            else if (v == "never") cfg.log.fsync = FsyncPolicy::never;
            else invalid(field, "always, interval or never", describe(m.value));
        } else if (key == "capture") {
            parse_capture(m.value, cfg);
        } else if (key == "queue") {
            if (!m.value.IsUint() || m.value.GetUint() < 1 || m.value.GetUint() > 10000000)
                invalid(field, "a number of records from 1 to 10000000", describe(m.value));
            cfg.queue = m.value.GetUint();
        } else {
            invalid(field, "one of path, sink, rotate, fsync, capture, queue", "an unknown setting");
        }
    }
    if (to_stdout && have_path) invalid("path", "no path with sink: stdout", "\"" + cfg.log.path + "\"");
    if (to_stdout && have_rotate) invalid("rotate", "no rotation with sink: stdout", "a mapping");
    if (!to_stdout && !have_path) invalid("path", "a file path (or sink: stdout)", "nothing");
    return cfg;
}

}  // namespace nexus::audit
