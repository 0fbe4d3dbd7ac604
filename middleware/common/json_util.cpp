#include "json_util.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace nexus::mw {

bool parse_json(rapidjson::Document& doc, std::string_view text) {
    doc.Parse<rapidjson::kParseFullPrecisionFlag>(text.data(), text.size());
    return !doc.HasParseError();
}

std::string to_json(const rapidjson::Value& v) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    v.Accept(w);
    return std::string(sb.GetString(), sb.GetSize());
}

const rapidjson::Value* member(const rapidjson::Value& obj, std::string_view name) {
    if (!obj.IsObject()) return nullptr;
    auto it = obj.FindMember(rapidjson::Value(rapidjson::StringRef(name.data(), rapidjson::SizeType(name.size()))));
    return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::string describe(const rapidjson::Value& v) {
    if (v.IsNull()) return "null";
    if (v.IsBool()) return v.GetBool() ? "true" : "false";
    if (v.IsNumber()) return "the number " + to_json(v);
    if (v.IsArray()) return "a list";
    if (v.IsObject()) return "a mapping";
    std::string_view s = as_view(v);
    constexpr size_t kMax = 40;
    if (s.size() > kMax) return "a string \"" + std::string(s.substr(0, kMax)) + "...\"";
    return "a string \"" + std::string(s) + "\"";
}

}  // namespace nexus::mw
