// A canonical JSON document held both as text and, once somebody needs it, as a parsed DOM:
// parsed at most once, serialized again only after a change.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace nexus::core {

class DocSlot {
public:
    void set_text(std::string text);          // replaces the document; parsed lazily
    void adopt(std::string text, rapidjson::Document&& parsed);  // text and its parse, already done
    void clear();
    bool present() const { return present_; }
    // The DOM, parsing the text on first use; nullptr (and *error) when the text is not JSON.
    rapidjson::Document* dom(std::string* error = nullptr);
    // The DOM only when somebody already parsed it; nullptr otherwise.
    rapidjson::Document* parsed_dom() { return present_ && parsed_ ? &doc_ : nullptr; }
    // Call after changing the DOM; text() serializes again.
    void mark_changed() { changed_ = true; }
    bool changed_since_set() const { return ever_changed_ || changed_; }
    std::string_view text();
    std::string take_text();
    // Changes whenever the document is replaced or its structure may have changed (not on
    // in-place string edits), so views into the DOM can be cached against it.
    uint64_t generation() const { return generation_; }
    void structure_changed() { ++generation_; }

private:
    std::string text_;
    rapidjson::Document doc_;
    bool present_ = false;
    bool parsed_ = false;
    bool changed_ = false;
    bool ever_changed_ = false;
    uint64_t generation_ = 0;
};

}  // namespace nexus::core
