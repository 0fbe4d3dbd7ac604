#include "json_object_editor.hpp"

#include "insitu_copy.hpp"
#include "json_util.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <cstring>

namespace nexus::openai {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Records where each key of the root object starts. RapidJSON reads from a local copy of the
// stream, so its position is not visible from a handler; but in situ, a key's characters
// start where they stood in the text, so the key's own pointer gives its offset.
struct KeyRecorder : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, KeyRecorder> {
    struct Found {
        std::string key;
        size_t quote;  // offset of the key's opening quote
    };
    const char* base;
    std::vector<Found> found;
    unsigned depth = 0;
    bool root_is_object = false;
    bool too_deep = false;

    explicit KeyRecorder(const char* b) : base(b) {}

    bool open(bool object) {
        if (depth == 0) root_is_object = object;
        if (++depth > kMaxJsonDepth) {
            too_deep = true;
            return false;
        }
        return true;
    }
    bool Key(const char* s, rapidjson::SizeType n, bool) {
        if (depth == 1) found.push_back({std::string(s, n), size_t(s - base) - 1});
        return true;
    }
    bool StartObject() { return open(true); }
    bool EndObject(rapidjson::SizeType) { --depth; return true; }
    bool StartArray() { return open(false); }
    bool EndArray(rapidjson::SizeType) { --depth; return true; }
};

// One past the closing quote of the JSON string whose opening quote is at `quote`.
size_t string_end(std::string_view text, size_t quote) {
    size_t i = quote + 1;
    while (text[i] != '"') i += text[i] == '\\' ? 2 : 1;
    return i + 1;
}

// Back from `pos` (exclusive) over whitespace, then over one `sep` and whitespace again if
// present: where the value before a separator ends.
size_t end_before(std::string_view text, size_t pos, char sep) {
    while (pos > 0 && is_space(text[pos - 1])) --pos;
    if (pos > 0 && text[pos - 1] == sep) --pos;
    while (pos > 0 && is_space(text[pos - 1])) --pos;
    return pos;
}

}  // namespace

std::string JsonObjectEditor::parse(std::string_view text) {
    text_ = text;
    members_.clear();
    appended_.clear();
    if (const void* nul = std::memchr(text.data(), '\0', text.size()))
        return "invalid JSON at offset " + std::to_string(static_cast<const char*>(nul) - text.data()) +
               ": raw NUL byte";
    InsituCopy scratch(text);
    rapidjson::InsituStringStream is(scratch.data());
    KeyRecorder rec(scratch.data());
    rec.found.reserve(32);
    thread_local rapidjson::Reader reader;  // keeps its stack between parses
    rapidjson::ParseResult r = reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseInsituFlag>(is, rec);
    if (rec.too_deep) return "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    if (r.IsError())
        return "invalid JSON at offset " + std::to_string(r.Offset()) + ": " + rapidjson::GetParseError_En(r.Code());
    if (!rec.root_is_object) return kNotAnObject;
    // The text is valid: only whitespace follows the root's closing brace.
    close_ = text_.find_last_of('}');
    members_.resize(rec.found.size());
    for (size_t i = 0; i < members_.size(); ++i) {
        Member& m = members_[i];
        m.key = std::move(rec.found[i].key);
        m.key_begin = rec.found[i].quote;
        size_t v = string_end(text_, m.key_begin);
        while (is_space(text_[v]) || text_[v] == ':') ++v;
        m.value_begin = v;
        m.value_end = i + 1 < members_.size() ? end_before(text_, rec.found[i + 1].quote, ',') : end_before(text_, close_, '\0');
    }
    return {};
}

JsonObjectEditor::Member* JsonObjectEditor::find(std::string_view key) {
    for (auto& m : members_)
        if (!m.erased && m.key == key) return &m;
    return nullptr;
}

const JsonObjectEditor::Member* JsonObjectEditor::find(std::string_view key) const {
    return const_cast<JsonObjectEditor*>(this)->find(key);
}

std::optional<std::string_view> JsonObjectEditor::raw(std::string_view key) const {
    if (const Member* m = find(key))
        return m->replacement ? std::string_view(*m->replacement)
                              : text_.substr(m->value_begin, m->value_end - m->value_begin);
    for (const auto& [k, v] : appended_)
        if (k == key) return std::string_view(v);
    return std::nullopt;
}

void JsonObjectEditor::set(std::string_view key, std::string_view raw_json) {
    if (Member* m = find(key)) {
        m->replacement = std::string(raw_json);
        return;
    }
    for (auto& [k, v] : appended_)
        if (k == key) {
            v = std::string(raw_json);
            return;
        }
    appended_.emplace_back(std::string(key), std::string(raw_json));
}

void JsonObjectEditor::erase(std::string_view key) {
    if (Member* m = find(key)) {
        m->erased = true;
        return;
    }
    for (auto it = appended_.begin(); it != appended_.end(); ++it)
        if (it->first == key) {
            appended_.erase(it);
            return;
        }
}

std::string JsonObjectEditor::str() const {
    std::string out;
    out.reserve(text_.size() + 64);
    // Everything up to the first member (the opening brace and any leading whitespace).
    size_t head_end = members_.empty() ? close_ : members_.front().key_begin;
    out.append(text_.substr(0, head_end));
    bool any = false;
    for (const auto& m : members_) {
        if (m.erased) continue;
        if (any) out += ',';
        any = true;
        out.append(text_.substr(m.key_begin, m.value_begin - m.key_begin));  // "key":
        if (m.replacement) out += *m.replacement;
        else out.append(text_.substr(m.value_begin, m.value_end - m.value_begin));
    }
    for (const auto& [k, v] : appended_) {
        if (any) out += ',';
        any = true;
        out += json_string(k);
        out += ':';
        out += v;
    }
    out.append(text_.substr(close_));  // the closing brace and anything after it
    return out;
}

}  // namespace nexus::openai
