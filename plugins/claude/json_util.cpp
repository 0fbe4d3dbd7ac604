#include "json_util.hpp"

#include "nexus/json.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>

namespace nexus::claude {

namespace {

constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag;

// Forwards SAX events to `Next` while counting nesting.
template <class Next>
struct DepthLimited {
    Next& next;
    unsigned depth = 0;
    bool too_deep = false;

    bool Null() { return next.Null(); }
    bool Bool(bool b) { return next.Bool(b); }
    bool Int(int i) { return next.Int(i); }
    bool Uint(unsigned u) { return next.Uint(u); }
    bool Int64(int64_t i) { return next.Int64(i); }
    bool Uint64(uint64_t u) { return next.Uint64(u); }
    bool Double(double d) { return next.Double(d); }
    bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) { return next.RawNumber(s, n, copy); }
    bool String(const char* s, rapidjson::SizeType n, bool copy) { return next.String(s, n, copy); }
    bool Key(const char* s, rapidjson::SizeType n, bool copy) { return next.Key(s, n, copy); }
    bool StartObject() { return enter() && next.StartObject(); }
    bool EndObject(rapidjson::SizeType n) { --depth; return next.EndObject(n); }
    bool StartArray() { return enter() && next.StartArray(); }
    bool EndArray(rapidjson::SizeType n) { --depth; return next.EndArray(n); }

    bool enter() {
        if (++depth > kMaxJsonDepth) {
            too_deep = true;
            return false;
        }
        return true;
    }
};

std::string describe(const rapidjson::ParseResult& result, bool too_deep) {
    if (too_deep) return "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    if (result.IsError()) {
        return "invalid JSON at offset " + std::to_string(result.Offset()) + ": " + rapidjson::GetParseError_En(result.Code());
    }
    return {};
}

}  // namespace

std::string parse_json(rapidjson::Document& doc, std::string_view text) { return sdk::json::parse_json(doc, text); }

std::string validate_json(std::string_view text) {
    rapidjson::MemoryStream ms(text.data(), text.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> is(ms);
    rapidjson::Reader reader;
    rapidjson::BaseReaderHandler<> sink;
    DepthLimited<rapidjson::BaseReaderHandler<>> checker{sink};
    rapidjson::ParseResult result = reader.Parse<kParseFlags>(is, checker);
    return describe(result, checker.too_deep);
}

std::string to_json(const rapidjson::Value& v) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    v.Accept(w);
    return std::string(buf.GetString(), buf.GetSize());
}

const rapidjson::Value* find_member(const rapidjson::Value& obj, std::string_view name) {
    if (!obj.IsObject()) return nullptr;
    auto it = obj.FindMember(rapidjson::Value(rapidjson::StringRef(name.data(), name.size())));
    return it == obj.MemberEnd() ? nullptr : &it->value;
}

const rapidjson::Value* find_present(const rapidjson::Value& obj, std::string_view name) {
    const rapidjson::Value* v = find_member(obj, name);
    return v && !v->IsNull() ? v : nullptr;
}

std::string_view string_member(const rapidjson::Value& obj, std::string_view name) {
    const rapidjson::Value* v = find_member(obj, name);
    return v ? as_view(*v) : std::string_view();
}

std::optional<int64_t> int_member(const rapidjson::Value& obj, std::string_view name) {
    const rapidjson::Value* v = find_member(obj, name);
    if (!v) return std::nullopt;
    if (v->IsInt64()) return v->GetInt64();
    if (v->IsDouble()) {
        double d = v->GetDouble();
        if (d == double(int64_t(d)) && d >= -9.2e18 && d <= 9.2e18) return int64_t(d);
    }
    return std::nullopt;
}

void add(rapidjson::Value& obj, std::string_view name, rapidjson::Value value, Alloc& alloc) {
    obj.AddMember(str(name, alloc), std::move(value), alloc);
}

std::string_view trim(std::string_view s) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

bool contains_nocase(std::string_view hay, std::string_view needle) {
    auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    return it != hay.end();
}

}  // namespace nexus::claude
