#include "json_shape.hpp"

#include "insitu_copy.hpp"

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
        pending = nullptr;
        details_next = false;
        top_value(kind);
        if (in_choice() && finish_key && kind == JsonKind::string) ++shape.finish_reasons;
        finish_key = false;
        return true;
    }
    bool start(JsonKind kind) {
        if (depth == 2) in_details = details_next && kind == JsonKind::object;
        details_next = false;
        pending = nullptr;
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
        if (depth == 3) in_details = false;
        --depth;
        return true;
    }

    // Usage counts: `pending` is the one the next value fills, if it is an integer.
    int64_t* pending = nullptr;
    bool details_next = false;  // the last key was usage.prompt_tokens_details
    bool in_details = false;    // inside usage.prompt_tokens_details
    bool in_usage() const { return top == TopKey::usage && shape.usage == JsonKind::object; }
    bool integer(int64_t v) {
        if (pending && v >= 0) *pending = v;
        return scalar(JsonKind::number);
    }

    bool Default() { return scalar(JsonKind::number); }  // doubles, raw numbers
    bool Int(int v) { return integer(v); }
    bool Uint(unsigned v) { return integer(v); }
    bool Int64(int64_t v) { return integer(v); }
    bool Uint64(uint64_t v) { return v <= uint64_t(INT64_MAX) ? integer(int64_t(v)) : scalar(JsonKind::number); }
    bool Null() { return scalar(JsonKind::null); }
    bool Bool(bool) { return scalar(JsonKind::boolean); }
    bool String(const char*, rapidjson::SizeType, bool) { return scalar(JsonKind::string); }
    bool Key(const char* s, rapidjson::SizeType n, bool) {
        std::string_view k(s, n);
        if (depth == 1) top = classify_key(k);
        finish_key = in_choice() && k == "finish_reason";
        pending = nullptr;
        details_next = false;
        if (in_usage() && depth == 2) {
            if (k == "prompt_tokens") pending = &shape.prompt_tokens;
            else if (k == "completion_tokens") pending = &shape.completion_tokens;
            else details_next = k == "prompt_tokens_details";
        } else if (in_usage() && depth == 3 && in_details && k == "cached_tokens") {
            pending = &shape.cached_tokens;
        }
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
    InsituCopy scratch(json);
    rapidjson::InsituStringStream is(scratch.data());
    ShapeHandler handler(out);
    rapidjson::ParseResult r = reader_.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseInsituFlag>(is, handler);
    if (r.IsError())
        return "invalid JSON at offset " + std::to_string(r.Offset()) + ": " + rapidjson::GetParseError_En(r.Code());
    return {};
}

}  // namespace nexus::openai
