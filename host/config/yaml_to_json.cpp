// Free-form YAML (provider options, target params, chain settings, models) as JSON.
// Plain scalars are typed by the YAML 1.2 core schema after ${VAR} expansion; quoted ones
// (yaml-cpp tag "!") and !!str stay strings.
#include "config/reader.hpp"
#include "config/yaml_scalar.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace nexus::config::detail {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void write_number(JsonWriter& w, const std::string& text, ScalarKind kind) {
    if (kind == ScalarKind::Int) {
        auto v = parse_yaml_int(text);
        if (auto* i = std::get_if<int64_t>(&v)) return void(w.Int64(*i));
        if (auto* u = std::get_if<uint64_t>(&v)) return void(w.Uint64(*u));
    }
    double d = std::strtod(text.c_str(), nullptr);
    if (std::isfinite(d)) w.Double(d);
    else w.String(text.data(), rapidjson::SizeType(text.size()), true);  // 1e999: JSON has no infinity
}

bool write_value(Reader& r, const Field& f, JsonWriter& w, const std::vector<std::string>& exclude) {
    switch (f.node.Type()) {
        case YAML::NodeType::Map: {
            w.StartObject();
            bool ok = true;
            for (const auto& e : r.entries(f)) {
                if (std::find(exclude.begin(), exclude.end(), e.key) != exclude.end()) continue;
                w.Key(e.key.data(), rapidjson::SizeType(e.key.size()), true);
                ok = write_value(r, e.value, w, {}) && ok;
            }
            w.EndObject();
            return ok;
        }
        case YAML::NodeType::Sequence: {
            w.StartArray();
            bool ok = true;
            for (const auto& item : r.items(f)) ok = write_value(r, item, w, {}) && ok;
            w.EndArray();
            return ok;
        }
        case YAML::NodeType::Scalar: {
            auto text = r.scalar(f, "a value");
            if (!text) {
                w.Null();
                return false;
            }
            const std::string& tag = f.node.Tag();
            bool plain = tag != "!" && tag != "tag:yaml.org,2002:str";
            ScalarKind kind = plain ? plain_scalar_kind(*text) : ScalarKind::String;
            switch (kind) {
                case ScalarKind::Null: w.Null(); break;
                case ScalarKind::Bool: w.Bool(text->front() == 't' || text->front() == 'T'); break;
                case ScalarKind::Int:
                case ScalarKind::Float: write_number(w, *text, kind); break;
                case ScalarKind::String: w.String(text->data(), rapidjson::SizeType(text->size()), true); break;
            }
            return true;
        }
        default: w.Null(); return true;
    }
}

}  // namespace

std::optional<std::string> Reader::json(const Field& f, const std::vector<std::string>& exclude) {
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    if (!write_value(*this, f, writer, exclude)) return std::nullopt;
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace nexus::config::detail
