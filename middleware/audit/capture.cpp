#include "capture.hpp"

namespace nexus::audit {

void TextCapture::append(size_t index, std::string_view text) {
    constexpr size_t kMaxParts = 64;
    if (index >= kMaxParts) {
        out_.truncated = true;
        return;
    }
    if (out_.parts.size() <= index) out_.parts.resize(index + 1);
    size_t room = max_ - used_;
    if (text.size() > room) {
        out_.truncated = true;
        size_t cut = room;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // whole characters only
        text = text.substr(0, cut);
    }
    out_.parts[index].append(text);
    used_ += text.size();
}

}  // namespace nexus::audit
