#include "json_shape.hpp"

#include <rapidjson/error/en.h>

#include <cstring>

namespace nexus::openai {

namespace {

enum class TopKey { other, error, choices, usage, data };

TopKey classify_key(std::string_view k) {
    if (k == "choices") return TopKey::choices;
    if (k == "usage") return TopKey::usage;
    if (k == "error") return TopKey::error;
    if (k == "data") return TopKey::data;
    return TopKey::other;
}

// Depth 1 is the root object, 2 the value of a top-level member (e.g. the choices array),
// 3 a choice object inside it.
struct ShapeHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, ShapeHandler> {
    JsonShape& shape;
    unsigned depth = 0;
    TopKey top = TopKey::other;
    bool finish_key = false;  // the last key at choice level was "finish_reason"

    explicit ShapeHandler(JsonShape& s) : shape(s) {}

    void top_value(JsonKind kind) {
        if (depth != 1) return;
        switch (top) {
            case TopKey::error: shape.error = kind; break;
            case TopKey::choices: shape.choices = kind; break;
            case TopKey::usage: shape.usage = kind; break;
            case TopKey::data: shape.data = kind; break;
            case TopKey::other: break;
        }
    }
    bool in_choice() const { return depth == 3 && top == TopKey::choices && shape.choices == JsonKind::array; }
    bool scalar(JsonKind kind) {
        top_value(kind);
        if (in_choice() && finish_key && kind == JsonKind::string) ++shape.finish_reasons;
        finish_key = false;
        return true;
    }
    bool start(JsonKind kind) {
        if (depth == 0) {
            shape.root_is_object = kind == JsonKind::object;
        } else {
            top_value(kind);
            if (depth == 2 && kind == JsonKind::object && top == TopKey::choices && shape.choices == JsonKind::array)
                ++shape.choice_count;
        }
        finish_key = false;
        ++depth;
        return true;
    }
    bool end() {
        --depth;
        return true;
    }

    bool Default() { return scalar(JsonKind::number); }  // ints, doubles, raw numbers
    bool Null() { return scalar(JsonKind::null); }
    bool Bool(bool) { return scalar(JsonKind::boolean); }
    bool String(const char*, rapidjson::SizeType, bool) { return scalar(JsonKind::string); }
    bool Key(const char* s, rapidjson::SizeType n, bool) {
        std::string_view k(s, n);
        if (depth == 1) top = classify_key(k);
        finish_key = in_choice() && k == "finish_reason";
        return true;
    }
    bool StartObject() { return start(JsonKind::object); }
    bool EndObject(rapidjson::SizeType) { return end(); }
    bool StartArray() { return start(JsonKind::array); }
    bool EndArray(rapidjson::SizeType) { return end(); }
};

}  // namespace

std::string ShapeScanner::scan(std::string_view json, JsonShape& out) {
    out = JsonShape{};
    // JSON has no place for a raw NUL, and the NUL-terminated parse below would stop there.
    if (const void* nul = std::memchr(json.data(), '\0', json.size()))
        return "invalid JSON at offset " + std::to_string(static_cast<const char*>(nul) - json.data()) +
               ": raw NUL byte";
    // In situ on a NUL-terminated copy: strings are not copied out and the SIMD string scan
    // applies, several times faster than a byte stream.
    scratch_.assign(json);
    rapidjson::InsituStringStream is(scratch_.data());
    ShapeHandler handler(out);
    rapidjson::ParseResult r = reader_.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseInsituFlag>(is, handler);
    if (r.IsError())
        return "invalid JSON at offset " + std::to_string(r.Offset()) + ": " + rapidjson::GetParseError_En(r.Code());
    return {};
}

}  // namespace nexus::openai
