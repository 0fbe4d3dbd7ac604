#include "json_util.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace nexus::mistral {

namespace {

// SAX handler that builds the document while counting nesting depth.
struct DepthCappedBuilder {
    rapidjson::Document& doc;
    unsigned depth = 0;
    bool too_deep = false;

    bool Null() { return doc.Null(); }
    bool Bool(bool b) { return doc.Bool(b); }
    bool Int(int i) { return doc.Int(i); }
    bool Uint(unsigned u) { return doc.Uint(u); }
    bool Int64(int64_t i) { return doc.Int64(i); }
    bool Uint64(uint64_t u) { return doc.Uint64(u); }
    bool Double(double d) { return doc.Double(d); }
    bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) { return doc.RawNumber(s, n, copy); }
    bool String(const char* s, rapidjson::SizeType n, bool copy) { return doc.String(s, n, copy); }
    bool Key(const char* s, rapidjson::SizeType n, bool copy) { return doc.Key(s, n, copy); }
    bool StartObject() { return open() && doc.StartObject(); }
    bool EndObject(rapidjson::SizeType n) { --depth; return doc.EndObject(n); }
    bool StartArray() { return open() && doc.StartArray(); }
    bool EndArray(rapidjson::SizeType n) { --depth; return doc.EndArray(n); }
    bool open() {
        too_deep = ++depth > kMaxJsonDepth;
        return !too_deep;
    }
};

}  // namespace

std::string parse_json(rapidjson::Document& doc, std::string_view text) {
    rapidjson::MemoryStream ms(text.data(), text.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> is(ms);
    rapidjson::Reader reader;
    DepthCappedBuilder builder{doc};
    rapidjson::ParseResult result;
    auto generate = [&](rapidjson::Document&) {
        result = reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag>(is, builder);
        return !result.IsError();
    };
    doc.Populate(generate);
    if (builder.too_deep) return "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    if (result.IsError())
        return "invalid JSON at offset " + std::to_string(result.Offset()) + ": " + rapidjson::GetParseError_En(result.Code());
    return {};
}

std::string to_json(const Value& v) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    v.Accept(w);
    return std::string(buf.GetString(), buf.GetSize());
}

const Value* find_member(const Value& obj, std::string_view name) {
    if (!obj.IsObject()) return nullptr;
    if (name.data() == nullptr) name = "";  // RapidJSON refuses a null pointer even with length 0
    auto it = obj.FindMember(Value(rapidjson::StringRef(name.data(), rapidjson::SizeType(name.size()))));
    return it == obj.MemberEnd() ? nullptr : &it->value;
}

Value* find_member(Value& obj, std::string_view name) {
    return const_cast<Value*>(find_member(static_cast<const Value&>(obj), name));
}

std::string_view string_member(const Value& obj, std::string_view name) {
    const Value* v = find_member(obj, name);
    return v ? as_view(*v) : std::string_view();
}

void set_member(Value& obj, std::string_view name, Value value, Alloc& a) {
    if (Value* existing = find_member(obj, name)) {
        *existing = std::move(value);
        return;
    }
    obj.AddMember(str(name, a), std::move(value), a);
}

std::string_view trim(std::string_view s) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

}  // namespace nexus::mistral
