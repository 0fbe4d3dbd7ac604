#include "native_body.hpp"

#include "json_util.hpp"

#include "nexus/nexus.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <utility>
#include <vector>

namespace nexus::claude {

namespace {

[[noreturn]] void invalid(const std::string& what) {
    throw sdk::Error(NX_ERR_INVALID, "invalid Anthropic request body: " + what);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

size_t skip_space(std::string_view s, size_t pos) {
    while (pos < s.size() && is_space(s[pos])) ++pos;
    return pos;
}

// `pos` is at an opening quote; returns the position after the closing one.
size_t skip_string(std::string_view s, size_t pos) {
    for (++pos; pos < s.size(); ++pos) {
        if (s[pos] == '\\') ++pos;
        else if (s[pos] == '"') return pos + 1;
    }
    return s.size();
}

// `pos` is at the first byte of a value; returns the position after it. The document was
// validated before, so only strings and nesting need care.
size_t skip_value(std::string_view s, size_t pos) {
    if (s[pos] == '"') return skip_string(s, pos);
    if (s[pos] == '{' || s[pos] == '[') {
        int depth = 0;
        while (pos < s.size()) {
            char c = s[pos];
            if (c == '"') {
                pos = skip_string(s, pos);
                continue;
            }
            if (c == '{' || c == '[') ++depth;
            if ((c == '}' || c == ']') && --depth == 0) return pos + 1;
            ++pos;
        }
        return pos;
    }
    while (pos < s.size() && s[pos] != ',' && s[pos] != '}' && s[pos] != ']' && !is_space(s[pos])) ++pos;
    return pos;
}

std::string json_string(std::string_view v) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.String(v.data(), rapidjson::SizeType(v.size()));
    return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace

std::string replace_model(std::string_view body, std::string_view model) {
    if (std::string err = validate_json(body); !err.empty()) invalid(err);
    size_t pos = skip_space(body, 0);
    if (pos >= body.size() || body[pos] != '{') invalid("the body must be a JSON object");
    const size_t open = pos;
    if (model.empty()) return std::string(body);

    std::vector<std::pair<size_t, size_t>> spans;  // [begin, end) of each top-level "model" value
    pos = skip_space(body, pos + 1);
    while (pos < body.size() && body[pos] != '}') {
        size_t key_end = skip_string(body, pos);
        std::string_view key = body.substr(pos + 1, key_end - pos - 2);
        pos = skip_space(body, key_end) + 1;  // past ':'
        pos = skip_space(body, pos);
        size_t value_end = skip_value(body, pos);
        if (key == "model") spans.emplace_back(pos, value_end);
        pos = skip_space(body, value_end);
        if (pos < body.size() && body[pos] == ',') pos = skip_space(body, pos + 1);
    }

    const std::string value = json_string(model);
    if (spans.empty()) {
        bool empty_object = skip_space(body, open + 1) < body.size() && body[skip_space(body, open + 1)] == '}';
        std::string out;
        out.reserve(body.size() + value.size() + 10);
        out.append(body.substr(0, open + 1)).append("\"model\":").append(value);
        if (!empty_object) out.push_back(',');
        out.append(body.substr(open + 1));
        return out;
    }
    std::string out;
    out.reserve(body.size() + value.size());
    size_t copied = 0;
    for (const auto& [begin, end] : spans) {
        out.append(body.substr(copied, begin - copied)).append(value);
        copied = end;
    }
    out.append(body.substr(copied));
    return out;
}

}  // namespace nexus::claude
