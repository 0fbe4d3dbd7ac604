#include "content_blocks.hpp"

#include "nexus/nexus.hpp"

#include <algorithm>
#include <cctype>

namespace nexus::claude {

using rapidjson::Value;

void throw_invalid(const std::string& where, const std::string& what) {
    throw sdk::Error(NX_ERR_INVALID, "invalid chat request for claude: " + where + ": " + what);
}

void throw_unsupported(const std::string& where, const std::string& what) {
    throw sdk::Error(NX_ERR_UNSUPPORTED, "claude cannot take " + where + ": " + what);
}

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

void copy_cache_control(const Value& from, Value& to, Alloc& alloc, const std::string& where) {
    const Value* cc = find_present(from, "cache_control");
    if (!cc) return;
    if (!cc->IsObject()) throw_invalid(where + ".cache_control", "must be an object such as {\"type\":\"ephemeral\"}");
    add(to, "cache_control", Value(*cc, alloc), alloc);
}

Value text_block(std::string_view text, Alloc& alloc) {
    Value b(rapidjson::kObjectType);
    add(b, "type", Value("text"), alloc);
    add(b, "text", str(text, alloc), alloc);
    return b;
}

// {"type":"image_url","image_url":{"url":...}} (or, as Mistral sends it, "image_url":"...").
Value image_block(const Value& part, Alloc& alloc, const std::string& where) {
    const Value* iu = find_member(part, "image_url");
    std::string_view url;
    if (iu && iu->IsString()) url = as_view(*iu);
    else if (iu && iu->IsObject()) url = string_member(*iu, "url");
    if (url.empty()) throw_invalid(where, "an image_url part needs image_url.url");

    Value source(rapidjson::kObjectType);
    if (url.rfind("data:", 0) == 0) {
        std::optional<DataUrl> d = parse_data_url(url);
        if (!d) throw_unsupported(where, "only base64 data URLs can carry images (data:<type>;base64,<data>)");
        if (d->media_type.rfind("image/", 0) != 0) throw_invalid(where, "the data URL holds '" + d->media_type + "', not an image");
        add(source, "type", Value("base64"), alloc);
        add(source, "media_type", str(d->media_type, alloc), alloc);
        add(source, "data", str(d->data, alloc), alloc);
    } else if (url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0) {
        add(source, "type", Value("url"), alloc);
        add(source, "url", str(url, alloc), alloc);
    } else {
        throw_invalid(where, "image_url.url must be an http(s) URL or a data: URL");
    }
    Value b(rapidjson::kObjectType);
    add(b, "type", Value("image"), alloc);
    add(b, "source", std::move(source), alloc);
    return b;
}

// {"type":"file","file":{"file_data":"data:application/pdf;base64,...","filename":...}} ->
// a PDF document block (https://docs.anthropic.com/en/docs/build-with-claude/pdf-support).
Value document_block(const Value& part, Alloc& alloc, const std::string& where) {
    const Value* file = find_member(part, "file");
    if (!file || !file->IsObject()) throw_invalid(where, "a file part needs a \"file\" object");
    if (find_present(*file, "file_id")) throw_unsupported(where, "file_id refers to an OpenAI file; send file_data instead");
    std::optional<DataUrl> d = parse_data_url(string_member(*file, "file_data"));
    if (!d) throw_invalid(where, "file.file_data must be a base64 data URL");
    if (d->media_type != "application/pdf") throw_unsupported(where, "files of type '" + d->media_type + "' (only application/pdf)");
    Value source(rapidjson::kObjectType);
    add(source, "type", Value("base64"), alloc);
    add(source, "media_type", Value("application/pdf"), alloc);
    add(source, "data", str(d->data, alloc), alloc);
    Value b(rapidjson::kObjectType);
    add(b, "type", Value("document"), alloc);
    add(b, "source", std::move(source), alloc);
    if (std::string_view name = string_member(*file, "filename"); !name.empty()) add(b, "title", str(name, alloc), alloc);
    return b;
}

void append_part(const Value& part, Value& blocks, Alloc& alloc, const std::string& where, PartSet parts) {
    if (!part.IsObject()) throw_invalid(where, "a content part must be an object");
    std::string_view type = string_member(part, "type");
    Value block;
    if (type == "text") {
        const Value* text = find_member(part, "text");
        if (!text || !text->IsString()) throw_invalid(where, "a text part needs a string \"text\"");
        if (text->GetStringLength() == 0) return;
        block = text_block(as_view(*text), alloc);
    } else if (type == "image_url" && parts != PartSet::text) {
        block = image_block(part, alloc, where);
    } else if (type == "file" && parts == PartSet::user) {
        block = document_block(part, alloc, where);
    } else if (type == "refusal" && parts == PartSet::text) {
        return;  // an earlier refusal has no Anthropic block; the model sees the text it refused with elsewhere
    } else if (type.empty()) {
        throw_invalid(where, "a content part needs a \"type\"");
    } else {
        throw_unsupported(where, "content parts of type '" + std::string(type) + "' here");
    }
    copy_cache_control(part, block, alloc, where);
    blocks.PushBack(std::move(block), alloc);
}

}  // namespace

std::optional<DataUrl> parse_data_url(std::string_view url) {
    if (url.size() < 5 || lower(url.substr(0, 5)) != "data:") return std::nullopt;
    size_t comma = url.find(',');
    if (comma == std::string_view::npos) return std::nullopt;
    std::string_view header = url.substr(5, comma - 5);
    size_t semi = header.find(';');
    std::string media = lower(trim(header.substr(0, semi)));
    bool base64 = false;
    while (semi != std::string_view::npos) {
        header.remove_prefix(semi + 1);
        semi = header.find(';');
        if (lower(trim(header.substr(0, semi))) == "base64") base64 = true;
    }
    if (!base64 || media.empty()) return std::nullopt;
    if (media == "image/jpg") media = "image/jpeg";
    return DataUrl{std::move(media), url.substr(comma + 1)};
}

void append_content(const Value& content, Value& blocks, Alloc& alloc, const std::string& where, PartSet parts) {
    if (content.IsNull()) return;
    if (content.IsString()) {
        if (content.GetStringLength() > 0) blocks.PushBack(text_block(as_view(content), alloc), alloc);
        return;
    }
    if (!content.IsArray()) throw_invalid(where, "content must be a string, an array of parts, or null");
    for (rapidjson::SizeType i = 0; i < content.Size(); ++i)
        append_part(content[i], blocks, alloc, where + "[" + std::to_string(i) + "]", parts);
}

}  // namespace nexus::claude
