#include "request_key.hpp"

#include "json_util.hpp"
#include "sha256.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace nexus::cache {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_sorted(const rapidjson::Value& v, Writer& w, bool top_level) {
    if (v.IsObject()) {
        std::vector<const rapidjson::Value::Member*> members;
        for (const auto& m : v.GetObject())
            if (!top_level || !excluded_from_key(mw::as_view(m.name))) members.push_back(&m);
        std::sort(members.begin(), members.end(),
                  [](const auto* a, const auto* b) { return mw::as_view(a->name) < mw::as_view(b->name); });
        w.StartObject();
        for (const auto* m : members) {
            w.Key(m->name.GetString(), m->name.GetStringLength());
            write_sorted(m->value, w, false);
        }
        w.EndObject();
    } else if (v.IsArray()) {
        w.StartArray();
        for (const auto& item : v.GetArray()) write_sorted(item, w, false);
        w.EndArray();
    } else if (v.IsDouble()) {
        double d = v.GetDouble();
        if (std::trunc(d) == d && std::fabs(d) < 9.0e15) w.Int64(int64_t(d));
        else w.Double(d);
    } else {
        v.Accept(w);
    }
}

}  // namespace

bool excluded_from_key(std::string_view member) {
    static constexpr std::string_view kExcluded[] = {"user",  "metadata",         "stream",           "stream_options",
                                                     "store", "prompt_cache_key", "safety_identifier"};
    return std::find(std::begin(kExcluded), std::end(kExcluded), member) != std::end(kExcluded);
}

std::optional<std::string> normalize_request(std::string_view request) {
    rapidjson::Document d;
    if (!mw::parse_json(d, request) || !d.IsObject()) return std::nullopt;
    const rapidjson::Value* messages = mw::member(d, "messages");
    if (!messages || !messages->IsArray()) return std::nullopt;
    rapidjson::StringBuffer sb;
    Writer w(sb);
    write_sorted(d, w, true);
    return std::string(sb.GetString(), sb.GetSize());
}

std::optional<std::string> request_key(std::string_view request, std::string_view ns) {
    auto normalized = normalize_request(request);
    if (!normalized) return std::nullopt;
    return "chat:" + std::string(ns) + ":" + mw::to_hex(mw::sha256(*normalized));
}

}  // namespace nexus::cache
