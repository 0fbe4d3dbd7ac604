#include "core/json_text.hpp"

#include "nexus/json.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/encodedstream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstring>

namespace nexus::core {

static_assert(kMaxJsonDepth == sdk::json::kMaxJsonDepth, "host and SDK refuse the same nesting");

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

namespace {
// Iterative (no recursion), depth-bounded, with a reader whose stack the thread keeps.
template <typename Stream>
bool parse_into(Stream& is, rapidjson::Document& doc, std::string* error) {
    thread_local rapidjson::Reader reader;
    sdk::json::detail::DepthCappedBuilder builder{doc};  // RapidJSON recurses per level otherwise
    rapidjson::ParseResult result;
    auto generate = [&](rapidjson::Document&) {
        result = reader.Parse<rapidjson::kParseIterativeFlag>(is, builder);
        return !result.IsError();
    };
    doc.Populate(generate);
    if (!result.IsError()) return true;
    if (error) {
        if (builder.too_deep)
            *error = "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
        else
            *error = std::string("malformed JSON at byte ") + std::to_string(result.Offset()) + ": " +
                     rapidjson::GetParseError_En(result.Code());
    }
    return false;
}

// JSON has no place for a raw NUL, and every RapidJSON stream reads one as the end of input.
bool has_nul(std::string_view text, std::string* error) {
    const void* nul = std::memchr(text.data(), '\0', text.size());
    if (nul && error)
        *error = "malformed JSON at byte " + std::to_string(static_cast<const char*>(nul) - text.data()) +
                 ": raw NUL byte";
    return nul != nullptr;
}
}  // namespace

bool parse_json(std::string_view text, rapidjson::Document& doc, std::string* error) {
    if (has_nul(text, error)) return false;
    rapidjson::MemoryStream ms(text.data(), text.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> is(ms);
    return parse_into(is, doc, error);
}

bool parse_whole_json(const std::string& text, rapidjson::Document& doc, std::string* error) {
    if (has_nul(text, error)) return false;
    rapidjson::StringStream is(text.c_str());  // NUL-terminated: RapidJSON scans strings with SIMD
    return parse_into(is, doc, error);
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
