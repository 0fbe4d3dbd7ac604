#include "record.hpp"

#include "nexus/nexus.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <ctime>

namespace nexus::audit {

std::string rfc3339_ms(uint64_t unix_ms) {
    time_t secs = time_t(unix_ms / 1000);
    struct tm tm {};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, int(unix_ms % 1000));
    return buf;
}

const char* error_class_name(int32_t cls) {
    switch (cls) {
        case NX_EC_NONE: return "";
        case NX_EC_INVALID_REQUEST: return "invalid_request";
        case NX_EC_AUTHENTICATION: return "authentication";
        case NX_EC_PERMISSION: return "permission";
        case NX_EC_NOT_FOUND: return "not_found";
        case NX_EC_CONTEXT_LENGTH: return "context_length";
        case NX_EC_RATE_LIMITED: return "rate_limited";
        case NX_EC_QUOTA_EXHAUSTED: return "quota_exhausted";
        case NX_EC_SERVER: return "server";
        case NX_EC_OVERLOADED: return "overloaded";
        case NX_EC_TIMEOUT: return "timeout";
        case NX_EC_CONTENT_FILTER: return "content_filter";
        case NX_EC_PROTOCOL: return "protocol";
        case NX_EC_NETWORK: return "network";
        case NX_EC_INTERNAL: return "internal";
        default: return "unknown";
    }
}

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void str(Writer& w, const char* key, const std::string& v) {
    w.Key(key);
    w.String(v.data(), rapidjson::SizeType(v.size()));
}
void str_or_null(Writer& w, const char* key, const std::string& v) {
    w.Key(key);
    if (v.empty()) w.Null();
    else w.String(v.data(), rapidjson::SizeType(v.size()));
}
void count_or_null(Writer& w, const char* key, int64_t v) {
    w.Key(key);
    if (v < 0) w.Null();
    else w.Int64(v);
}
void millis(Writer& w, const char* key, uint64_t us) {
    w.Key(key);
    w.Double(double(us) / 1000.0);
}
void captured(Writer& w, const char* key, const std::optional<CapturedText>& c) {
    if (!c) return;
    w.Key(key);
    w.StartArray();
    for (const auto& p : c->parts) w.String(p.data(), rapidjson::SizeType(p.size()));
    w.EndArray();
    if (c->truncated) {
        std::string k = std::string(key) + "_truncated";
        w.Key(k.c_str());
        w.Bool(true);
    }
}

void optional_str(Writer& w, const char* key, const std::optional<std::string>& v) {
    w.Key(key);
    if (v) w.String(v->data(), rapidjson::SizeType(v->size()));
    else w.Null();
}

void attempts(Writer& w, const std::vector<Attempt>& list) {
    w.Key("attempts");
    w.StartArray();
    for (const auto& a : list) {
        w.StartObject();
        optional_str(w, "provider", a.provider);
        optional_str(w, "model", a.model);
        optional_str(w, "outcome", a.outcome);
        w.Key("status");
        if (a.status < 0) w.Null();
        else w.Int(a.status);
        w.Key("ms");
        if (a.ms < 0) w.Null();
        else w.Double(a.ms);
        w.EndObject();
    }
    w.EndArray();
}

}  // namespace

std::optional<std::vector<Attempt>> parse_attempts(std::string_view json) {
    rapidjson::Document d;
    d.Parse(json.data(), json.size());
    if (d.HasParseError() || !d.IsArray()) return std::nullopt;
    std::vector<Attempt> out;
    for (const auto& item : d.GetArray()) {
        Attempt a;
        if (item.IsObject()) {
            auto text = [&](const char* name) -> std::optional<std::string> {
                auto it = item.FindMember(name);
                if (it == item.MemberEnd() || !it->value.IsString()) return std::nullopt;
                return std::string(it->value.GetString(), it->value.GetStringLength());
            };
            a.provider = text("provider");
            a.model = text("model");
            a.outcome = text("outcome");
            if (auto it = item.FindMember("status"); it != item.MemberEnd() && it->value.IsInt() && it->value.GetInt() >= 0)
                a.status = it->value.GetInt();
            if (auto it = item.FindMember("ms"); it != item.MemberEnd() && it->value.IsNumber() && it->value.GetDouble() >= 0)
                a.ms = it->value.GetDouble();
        }
        out.push_back(std::move(a));
    }
    return out;
}

std::string open_record(const RecordInput& r) {
    rapidjson::StringBuffer sb;
    Writer w(sb);
    w.StartObject();
    w.Key("v");
    w.Int(2);
    str(w, "time", rfc3339_ms(r.time_ms));
    str(w, "request_id", r.request_id);
    w.Key("key_id");
    if (r.key_id) w.String(r.key_id->data(), rapidjson::SizeType(r.key_id->size()));
    else w.Null();
    str(w, "client_ip", r.client_ip);
    str(w, "ingress", r.ingress);
    str_or_null(w, "route", r.route);
    str(w, "model", r.model);
    str_or_null(w, "provider", r.provider);
    str_or_null(w, "upstream_model", r.upstream_model);
    w.Key("stream");
    w.Bool(r.stream);
    str(w, "outcome", r.outcome);
    w.Key("status");
    w.Int(r.status);
    str_or_null(w, "error_class", error_class_name(r.error_class));
    count_or_null(w, "prompt_tokens", r.prompt_tokens);
    count_or_null(w, "completion_tokens", r.completion_tokens);
    count_or_null(w, "cached_tokens", r.cached_tokens);
    if (r.cost_usd >= 0) {
        w.Key("cost_usd");
        w.Double(r.cost_usd);
    }
    millis(w, "latency_ms", r.latency_us);
    millis(w, "upstream_latency_ms", r.upstream_latency_us);
    attempts(w, r.attempts);
    w.Key("cache_hit");
    w.Bool(r.cache_hit);
    w.Key("redactions");
    w.Int64(r.redactions);
    captured(w, "prompt", r.prompt);
    captured(w, "response", r.response);
    w.EndObject();
    std::string out(sb.GetString(), sb.GetSize());
    out.pop_back();  // the writer closes the object after the chain members
    return out;
}

}  // namespace nexus::audit
