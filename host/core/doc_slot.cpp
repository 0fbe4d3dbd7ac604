#include "core/doc_slot.hpp"

#include "core/json_text.hpp"

namespace nexus::core {

void DocSlot::set_text(std::string text) {
    ++generation_;
    text_ = std::move(text);
    present_ = true;
    parsed_ = false;
    changed_ = false;
    ever_changed_ = false;
}

void DocSlot::adopt(std::string text, rapidjson::Document&& parsed) {
    ++generation_;
    text_ = std::move(text);
    doc_.Swap(parsed);
    present_ = true;
    parsed_ = true;
    changed_ = false;
    ever_changed_ = false;
}

void DocSlot::clear() {
    ++generation_;
    text_.clear();
    present_ = parsed_ = changed_ = ever_changed_ = false;
}

rapidjson::Document* DocSlot::dom(std::string* error) {
    if (!present_) {
        if (error) *error = "no document";
        return nullptr;
    }
    if (!parsed_) {
        if (!parse_whole_json(text_, doc_, error)) return nullptr;
        parsed_ = true;
    }
    return &doc_;
}

std::string_view DocSlot::text() {
    if (changed_) {
        text_.clear();
        append_json(doc_, text_);
        changed_ = false;
        ever_changed_ = true;
    }
    return text_;
}

std::string DocSlot::take_text() {
    ++generation_;
    text();
    parsed_ = false;
    present_ = false;
    return std::move(text_);
}

}  // namespace nexus::core
