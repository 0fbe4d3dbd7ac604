// Canonical (OpenAI) content -> Anthropic content blocks.
//
// Anthropic block shapes: https://docs.anthropic.com/en/api/messages (text, image with a
// base64 or url source, document), vision guide https://docs.anthropic.com/en/docs/build-with-claude/vision.
#pragma once

#include "json_util.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace nexus::claude {

// A `data:<media type>[;params];base64,<data>` URL split up. `data` points into the input.
struct DataUrl {
    std::string media_type;  // lower case; "image/jpg" normalized to "image/jpeg"
    std::string_view data;
};

// nullopt when `url` is not a base64 data URL.
std::optional<DataUrl> parse_data_url(std::string_view url);

// Which canonical part types a message may hold.
enum class PartSet {
    text,       // system, developer, assistant: text (assistant refusal parts are dropped)
    user,       // text, image_url, file (PDF data)
    tool_result // text and image_url
};

// Appends the Anthropic blocks for a canonical `content` (a string, an array of parts, or
// null) to the array `blocks`. Empty texts are left out (Anthropic refuses empty text
// blocks); `cache_control` on a part is kept. `where` names the content for errors, e.g.
// "messages[3].content". Throws sdk::Error: NX_ERR_INVALID for a malformed part,
// NX_ERR_UNSUPPORTED for a part Claude cannot take (audio, file ids, ...).
void append_content(const rapidjson::Value& content, rapidjson::Value& blocks, Alloc& alloc, const std::string& where,
                    PartSet parts);

// Errors naming the place in the canonical request: NX_ERR_INVALID / NX_ERR_UNSUPPORTED.
[[noreturn]] void throw_invalid(const std::string& where, const std::string& what);
[[noreturn]] void throw_unsupported(const std::string& where, const std::string& what);

}  // namespace nexus::claude
