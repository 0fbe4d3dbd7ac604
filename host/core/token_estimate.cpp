#include "core/token_estimate.hpp"

#include "core/json_text.hpp"

namespace nexus::core {

namespace {
constexpr int64_t kPerMessage = 4;  // role and separators, as OpenAI's cookbook counts them
constexpr int64_t kPerImage = 765;  // a 1024x1024 image at high detail in OpenAI's accounting

int64_t text_tokens(size_t chars) { return int64_t((chars + 3) / 4); }

int64_t content_tokens(const rapidjson::Value& content) {
    if (content.IsString()) return text_tokens(content.GetStringLength());
    int64_t n = 0;
    if (content.IsArray())
        for (const auto& part : content.GetArray()) {
            if (const auto* t = member(part, "text"); t && t->IsString()) n += text_tokens(t->GetStringLength());
            else if (member(part, "image_url")) n += kPerImage;
        }
    return n;
}
}  // namespace

int64_t estimate_prompt_tokens(const rapidjson::Value& req) {
    int64_t n = 3;  // reply priming
    if (const auto* msgs = member(req, "messages"); msgs && msgs->IsArray())
        for (const auto& m : msgs->GetArray()) {
            n += kPerMessage;
            if (const auto* c = member(m, "content")) n += content_tokens(*c);
            if (const auto* calls = member(m, "tool_calls"); calls && calls->IsArray())
                n += text_tokens(to_json(*calls).size());
        }
    if (const auto* tools = member(req, "tools"); tools && tools->IsArray()) n += text_tokens(to_json(*tools).size());
    if (const auto* input = member(req, "input")) {
        if (input->IsString()) n += text_tokens(input->GetStringLength());
        else if (input->IsArray())
            for (const auto& v : input->GetArray())
                if (v.IsString()) n += text_tokens(v.GetStringLength());
    }
    return n;
}

}  // namespace nexus::core
