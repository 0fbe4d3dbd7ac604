// Edits the top-level members of a JSON object in its text, without building a DOM: one
// in-situ SAX pass records where each member's key and value lie, then set / erase splice
// the text. Everything else, unknown fields included, passes through byte for byte. For a
// translator that changes a few top-level fields of a body it otherwise relays, this costs a
// fraction of parse + serialize.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nexus::openai {

class JsonObjectEditor {
public:
    // "" when `text` is one JSON object nested at most kMaxJsonDepth deep; else why, in
    // parse_json's words, or kNotAnObject. The editor refers to `text`, which must outlive it.
    std::string parse(std::string_view text);
    static constexpr const char* kNotAnObject = "not a JSON object";

    // The raw JSON text of the first member named `key`, if there is one.
    std::optional<std::string_view> raw(std::string_view key) const;
    // Replaces the value of the first member named `key` with `raw_json` (which must be one
    // JSON value), or appends the member when there is none: what Value::AddMember /
    // assignment do on a DOM.
    void set(std::string_view key, std::string_view raw_json);
    // Removes the first member named `key`, if any; the others keep their order.
    void erase(std::string_view key);

    std::string str() const;

private:
    struct Member {
        std::string key;          // unescaped
        size_t key_begin = 0;     // the opening quote of the key
        size_t value_begin = 0;   // the first byte of the value
        size_t value_end = 0;     // one past the value's last byte
        std::optional<std::string> replacement;  // set() on an existing member
        bool erased = false;
    };
    Member* find(std::string_view key);
    const Member* find(std::string_view key) const;

    std::string_view text_;
    size_t close_ = 0;  // the root's closing brace
    std::vector<Member> members_;
    std::vector<std::pair<std::string, std::string>> appended_;  // key (unescaped), raw JSON value
};

}  // namespace nexus::openai
