// Header-only RapidJSON helpers for plugin authors (optional: include it only if the plugin
// uses RapidJSON, from Debian's rapidjson-dev). Every in-tree translator needs the same few:
// a parse that refuses hostile nesting, compact serialization, member lookups that do not
// assert, and safe string values.
#ifndef NEXUS_JSON_HPP
#define NEXUS_JSON_HPP

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace nexus::sdk::json {

using Value = rapidjson::Value;
using Alloc = rapidjson::Document::AllocatorType;

// Deepest nesting accepted: RapidJSON's writer recurses once per level, so the cap keeps a
// hostile body from exhausting the stack.
inline constexpr unsigned kMaxJsonDepth = 256;

namespace detail {
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
}  // namespace detail

// Parses `text` into `doc` (iteratively, full-precision numbers, depth-capped). Returns ""
// on success, else why ("invalid JSON at offset 12: ...").
inline std::string parse_json(rapidjson::Document& doc, std::string_view text) {
    constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag;
    // JSON has no place for a raw NUL, and every RapidJSON stream would read it as the end.
    if (const void* nul = std::memchr(text.data(), '\0', text.size()))
        return "invalid JSON at offset " + std::to_string(static_cast<const char*>(nul) - text.data()) +
               ": raw NUL byte";
    rapidjson::Reader reader;
    detail::DepthCappedBuilder builder{doc};
    rapidjson::ParseResult result;
    // A NUL-terminated copy lets RapidJSON scan strings with SIMD (when built with
    // RAPIDJSON_SSE2/SSE42), which more than pays for the copy on long prompts.
    const std::string terminated(text);
    auto generate = [&](rapidjson::Document&) {
        rapidjson::StringStream is(terminated.c_str());
        result = reader.Parse<kFlags>(is, builder);
        return !result.IsError();
    };
    doc.Populate(generate);
    if (builder.too_deep) return "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    if (result.IsError())
        return "invalid JSON at offset " + std::to_string(result.Offset()) + ": " + rapidjson::GetParseError_En(result.Code());
    return {};
}

// Compact serialization.
inline std::string to_json(const Value& v) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    v.Accept(w);
    return std::string(buf.GetString(), buf.GetSize());
}

inline std::string_view as_view(const Value& v) {
    return v.IsString() ? std::string_view(v.GetString(), v.GetStringLength()) : std::string_view();
}

// obj[name], or nullptr when `obj` is not an object or has no such member.
inline const Value* find_member(const Value& obj, std::string_view name) {
    if (!obj.IsObject()) return nullptr;
    if (name.data() == nullptr) name = "";  // RapidJSON refuses a null pointer even with length 0
    auto it = obj.FindMember(Value(rapidjson::StringRef(name.data(), rapidjson::SizeType(name.size()))));
    return it == obj.MemberEnd() ? nullptr : &it->value;
}
inline Value* find_member(Value& obj, std::string_view name) {
    return const_cast<Value*>(find_member(static_cast<const Value&>(obj), name));
}

// The string member `name`, or "" when absent or not a string.
inline std::string_view string_member(const Value& obj, std::string_view name) {
    const Value* v = find_member(obj, name);
    return v ? as_view(*v) : std::string_view();
}

// A string value holding a copy of `s` (an empty view may have a null data pointer, which
// RapidJSON refuses).
inline Value str(std::string_view s, Alloc& a) {
    return s.empty() ? Value("", a) : Value(s.data(), rapidjson::SizeType(s.size()), a);
}

// obj[name] = value, replacing an existing member in place or appending a new one.
inline void set_member(Value& obj, std::string_view name, Value value, Alloc& a) {
    if (Value* existing = find_member(obj, name)) {
        *existing = std::move(value);
        return;
    }
    obj.AddMember(str(name, a), std::move(value), a);
}

// `s` without leading and trailing ASCII whitespace.
inline std::string_view trim(std::string_view s) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

}  // namespace nexus::sdk::json

#endif  // NEXUS_JSON_HPP
