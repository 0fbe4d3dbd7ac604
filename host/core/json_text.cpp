#include "core/json_text.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstring>

namespace nexus::core {

namespace {
// Lets rapidjson::Writer append straight into a std::string (no intermediate buffer).
struct StringSink {
    using Ch = char;
    std::string& s;
    void Put(char c) { s.push_back(c); }
    void Flush() {}
};
}  // namespace

void append_json(const rapidjson::Value& v, std::string& out) {
    StringSink sink{out};
    rapidjson::Writer<StringSink> w(sink);
    v.Accept(w);
}

std::string to_json(const rapidjson::Value& v) {
    std::string out;
    append_json(v, out);
    return out;
}

bool parse_json(std::string_view text, rapidjson::Document& doc, std::string* error) {
    doc.Parse(text.data(), text.size());
    if (doc.HasParseError()) {
        if (error)
            *error = std::string("malformed JSON at byte ") + std::to_string(doc.GetErrorOffset()) + ": " +
                     rapidjson::GetParseError_En(doc.GetParseError());
        return false;
    }
    return true;
}

bool parse_whole_json(const std::string& text, rapidjson::Document& doc, std::string* error) {
    // A raw NUL would end the NUL-terminated parse early; such a body is not JSON anyway, and
    // the length-bounded parse reports it precisely.
    if (std::memchr(text.data(), '\0', text.size()) != nullptr) return parse_json(std::string_view(text), doc, error);
    doc.Parse(text.c_str());
    if (doc.HasParseError()) {
        if (error)
            *error = std::string("malformed JSON at byte ") + std::to_string(doc.GetErrorOffset()) + ": " +
                     rapidjson::GetParseError_En(doc.GetParseError());
        return false;
    }
    return true;
}

void append_json_string(std::string_view s, std::string& out) {
    StringSink sink{out};
    rapidjson::Writer<StringSink> w(sink);
    w.String(s.data(), rapidjson::SizeType(s.size()));
}

const rapidjson::Value* member(const rapidjson::Value& obj, const char* name) {
    if (!obj.IsObject()) return nullptr;
    auto it = obj.FindMember(name);
    return it == obj.MemberEnd() ? nullptr : &it->value;
}

}  // namespace nexus::core
