#include "json_util.hpp"

#include <cstring>

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace nexus::openai {

namespace {

// Forwards SAX events to the document while counting nesting.
struct DepthLimitedBuilder {
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
    bool StartObject() { return enter() && doc.StartObject(); }
    bool EndObject(rapidjson::SizeType n) { --depth; return doc.EndObject(n); }
    bool StartArray() { return enter() && doc.StartArray(); }
    bool EndArray(rapidjson::SizeType n) { --depth; return doc.EndArray(n); }

    bool enter() {
        if (++depth > kMaxJsonDepth) {
            too_deep = true;
            return false;
        }
        return true;
    }
};

}  // namespace

std::string parse_json(rapidjson::Document& doc, std::string_view text) {
    constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag;
    rapidjson::Reader reader;
    DepthLimitedBuilder builder{doc};
    rapidjson::ParseResult result;
    // A NUL-terminated copy lets RapidJSON scan strings with SIMD, which more than pays for the
    // copy on long prompts. A raw NUL (never valid JSON) takes the length-bounded path, which
    // reports it precisely instead of stopping early.
    std::string terminated;
    bool has_nul = std::memchr(text.data(), '\0', text.size()) != nullptr;
    if (!has_nul) terminated.assign(text);
    auto generate = [&](rapidjson::Document&) {
        if (has_nul) {
            rapidjson::MemoryStream ms(text.data(), text.size());
            rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> is(ms);
            result = reader.Parse<kFlags>(is, builder);
        } else {
            rapidjson::StringStream is(terminated.c_str());
            result = reader.Parse<kFlags>(is, builder);
        }
        return !result.IsError();
    };
    doc.Populate(generate);
    if (builder.too_deep) return "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    if (result.IsError()) {
        return "invalid JSON at offset " + std::to_string(result.Offset()) + ": " +
               rapidjson::GetParseError_En(result.Code());
    }
    return {};
}

std::string to_json(const rapidjson::Value& v) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    v.Accept(w);
    return std::string(buf.GetString(), buf.GetSize());
}

std::string json_string(std::string_view s) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.String(s.data(), rapidjson::SizeType(s.size()));
    return std::string(buf.GetString(), buf.GetSize());
}

const rapidjson::Value* find_member(const rapidjson::Value& obj, std::string_view name) {
    if (!obj.IsObject()) return nullptr;
    auto it = obj.FindMember(rapidjson::Value(rapidjson::StringRef(name.data(), name.size())));
    return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::string_view string_member(const rapidjson::Value& obj, std::string_view name) {
    const rapidjson::Value* v = find_member(obj, name);
    return v ? as_view(*v) : std::string_view();
}

std::string_view trim(std::string_view s) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

}  // namespace nexus::openai
