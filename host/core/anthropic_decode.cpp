#include "core/anthropic_decode.hpp"

#include "core/json_text.hpp"

#include <string>

namespace nexus::core {

namespace {

using rapidjson::Value;
using Alloc = rapidjson::Document::AllocatorType;

bool bad(ApiError* e, const std::string& field, const std::string& what) {
    *e = ApiError::invalid(field + ": " + what, field);
    return false;
}

Value str(std::string_view s, Alloc& a) { return Value(s.data(), rapidjson::SizeType(s.size()), a); }

// A canonical text part, keeping Anthropic's cache_control (a documented extension).
Value text_part(const Value& block, Alloc& a) {
    Value p(rapidjson::kObjectType);
    p.AddMember("type", "text", a);
    p.AddMember("text", Value(block["text"], a), a);
    if (auto* cc = member(block, "cache_control")) p.AddMember("cache_control", Value(*cc, a), a);
    return p;
}

bool image_part(const Value& block, const std::string& field, Value& out, Alloc& a, ApiError* e) {
    const Value* src = member(block, "source");
    const Value* type = src ? member(*src, "type") : nullptr;
    if (!type || !type->IsString()) return bad(e, field + ".source.type", "is required");
    std::string t = type->GetString();
    std::string url;
    if (t == "base64") {
        const Value* mt = member(*src, "media_type");
        const Value* data = member(*src, "data");
        if (!mt || !mt->IsString() || !data || !data->IsString())
            return bad(e, field + ".source", "a base64 image needs string 'media_type' and 'data'");
        url = std::string("data:") + mt->GetString() + ";base64," + data->GetString();
    } else if (t == "url") {
        const Value* u = member(*src, "url");
        if (!u || !u->IsString()) return bad(e, field + ".source.url", "is required");
        url = u->GetString();
    } else {
        return bad(e, field + ".source.type", "expected 'base64' or 'url', found '" + t + "'");
    }
    out.SetObject();
    out.AddMember("type", "image_url", a);
    Value iu(rapidjson::kObjectType);
    iu.AddMember("url", str(url, a), a);
    out.AddMember("image_url", iu, a);
    return true;
}

// tool_result content: a string, or text blocks joined.
bool tool_result_text(const Value& block, const std::string& field, std::string& out, ApiError* e) {
    const Value* c = member(block, "content");
    if (!c) return true;
    if (c->IsString()) {
        out = c->GetString();
        return true;
    }
    if (!c->IsArray()) return bad(e, field + ".content", "expected a string or an array of blocks");
    for (const auto& b : c->GetArray()) {
        const Value* t = member(b, "type");
        if (t && t->IsString() && std::string_view(t->GetString()) == "text" && member(b, "text") && b["text"].IsString()) {
            if (!out.empty()) out += "\n";
            out += b["text"].GetString();
        }
    }
    return true;
}

bool convert_system(const Value& sys, Value& messages, Alloc& a, ApiError* e);

bool convert_message(const Value& m, size_t index, Value& messages, Alloc& a, ApiError* e) {
    std::string f = "messages[" + std::to_string(index) + "]";
    if (!m.IsObject()) return bad(e, f, "expected an object");
    const Value* role = member(m, "role");
    if (!role || !role->IsString()) return bad(e, f + ".role", "is required");
    std::string r = role->GetString();
    // Newer Anthropic API versions (and @anthropic-ai/sdk 1.x types) accept system turns in
    // `messages`; they are system messages canonically.
    if (r == "system") {
        const Value* c = member(m, "content");
        if (!c) return bad(e, f + ".content", "is required");
        return convert_system(*c, messages, a, e);
    }
    if (r != "user" && r != "assistant")
        return bad(e, f + ".role", "expected 'user', 'assistant' or 'system', found '" + r + "'");
    const Value* content = member(m, "content");
    if (!content) return bad(e, f + ".content", "is required");

    Value msg(rapidjson::kObjectType);
    msg.AddMember("role", str(r, a), a);
    if (content->IsString()) {
        msg.AddMember("content", Value(*content, a), a);
        messages.PushBack(msg, a);
        return true;
    }
    if (!content->IsArray()) return bad(e, f + ".content", "expected a string or an array of content blocks");

    Value parts(rapidjson::kArrayType);
    Value tool_calls(rapidjson::kArrayType);
    Value thinking(rapidjson::kArrayType);
    std::string reasoning;
    size_t j = 0;
    for (const auto& b : content->GetArray()) {
        std::string bf = f + ".content[" + std::to_string(j++) + "]";
        const Value* type = member(b, "type");
        if (!type || !type->IsString()) return bad(e, bf + ".type", "is required");
        std::string t = type->GetString();
        if (t == "text") {
            if (!member(b, "text") || !b["text"].IsString()) return bad(e, bf + ".text", "is required");
            parts.PushBack(text_part(b, a), a);
        } else if (t == "image") {
            Value p;
            if (!image_part(b, bf, p, a, e)) return false;
            parts.PushBack(p, a);
        } else if (t == "tool_use") {
            if (r != "assistant") return bad(e, bf, "tool_use blocks belong in assistant messages");
            const Value* id = member(b, "id");
            const Value* name = member(b, "name");
            if (!id || !id->IsString() || !name || !name->IsString()) return bad(e, bf, "tool_use needs string 'id' and 'name'");
            Value call(rapidjson::kObjectType);
            call.AddMember("id", Value(*id, a), a);
            call.AddMember("type", "function", a);
            Value fn(rapidjson::kObjectType);
            fn.AddMember("name", Value(*name, a), a);
            const Value* input = member(b, "input");
            fn.AddMember("arguments", str(input ? to_json(*input) : "{}", a), a);
            call.AddMember("function", fn, a);
            tool_calls.PushBack(call, a);
        } else if (t == "tool_result") {
            if (r != "user") return bad(e, bf, "tool_result blocks belong in user messages");
            const Value* id = member(b, "tool_use_id");
            if (!id || !id->IsString()) return bad(e, bf + ".tool_use_id", "is required");
            std::string text;
            if (!tool_result_text(b, bf, text, e)) return false;
            Value tool(rapidjson::kObjectType);
            tool.AddMember("role", "tool", a);
            tool.AddMember("tool_call_id", Value(*id, a), a);
            tool.AddMember("content", str(text, a), a);
            if (const Value* err = member(b, "is_error"); err && err->IsBool() && err->GetBool())
                tool.AddMember("is_error", true, a);
            messages.PushBack(tool, a);  // tool results precede the rest of the user turn
        } else if (t == "thinking" || t == "redacted_thinking") {
            if (const Value* th = member(b, "thinking"); th && th->IsString()) reasoning += th->GetString();
            thinking.PushBack(Value(b, a), a);
        } else {
            return bad(e, bf + ".type", "content block type '" + t + "' is not supported by this gateway's translation");
        }
    }
    bool has_text = !parts.Empty();
    if (r == "assistant") {
        if (has_text) msg.AddMember("content", parts, a);
        else msg.AddMember("content", Value(rapidjson::kNullType), a);
        if (!tool_calls.Empty()) msg.AddMember("tool_calls", tool_calls, a);
        if (!thinking.Empty()) {
            msg.AddMember("reasoning_content", str(reasoning, a), a);
            msg.AddMember("thinking_blocks", thinking, a);
        }
        messages.PushBack(msg, a);
    } else if (has_text) {
        msg.AddMember("content", parts, a);
        messages.PushBack(msg, a);
    }
    return true;
}

bool convert_system(const Value& sys, Value& messages, Alloc& a, ApiError* e) {
    Value msg(rapidjson::kObjectType);
    msg.AddMember("role", "system", a);
    if (sys.IsString()) {
        msg.AddMember("content", Value(sys, a), a);
    } else if (sys.IsArray()) {
        Value parts(rapidjson::kArrayType);
        size_t i = 0;
        for (const auto& b : sys.GetArray()) {
            std::string f = "system[" + std::to_string(i++) + "]";
            if (!member(b, "text") || !b["text"].IsString()) return bad(e, f + ".text", "is required");
            parts.PushBack(text_part(b, a), a);
        }
        msg.AddMember("content", parts, a);
    } else {
        return bad(e, "system", "expected a string or an array of text blocks");
    }
    messages.PushBack(msg, a);
    return true;
}

bool convert_tools(const Value& tools, Value& out, Alloc& a, ApiError* e) {
    if (!tools.IsArray()) return bad(e, "tools", "expected an array");
    size_t i = 0;
    for (const auto& t : tools.GetArray()) {
        std::string f = "tools[" + std::to_string(i++) + "]";
        const Value* name = member(t, "name");
        if (!name || !name->IsString()) return bad(e, f + ".name", "is required");
        if (const Value* type = member(t, "type"); type && type->IsString() && std::string_view(type->GetString()) != "custom")
            return bad(e, f + ".type", std::string("server tool '") + type->GetString() + "' cannot be translated");
        Value fn(rapidjson::kObjectType);
        fn.AddMember("name", Value(*name, a), a);
        if (const Value* d = member(t, "description")) fn.AddMember("description", Value(*d, a), a);
        const Value* schema = member(t, "input_schema");
        fn.AddMember("parameters", schema ? Value(*schema, a) : Value(rapidjson::kObjectType), a);
        Value tool(rapidjson::kObjectType);
        tool.AddMember("type", "function", a);
        tool.AddMember("function", fn, a);
        if (const Value* cc = member(t, "cache_control")) tool.AddMember("cache_control", Value(*cc, a), a);
        out.PushBack(tool, a);
    }
    return true;
}

bool convert_tool_choice(const Value& tc, rapidjson::Document& out, ApiError* e) {
    auto& a = out.GetAllocator();
    const Value* type = member(tc, "type");
    if (!type || !type->IsString()) return bad(e, "tool_choice.type", "is required");
    std::string t = type->GetString();
    if (t == "auto") out.AddMember("tool_choice", "auto", a);
    else if (t == "any") out.AddMember("tool_choice", "required", a);
    else if (t == "none") out.AddMember("tool_choice", "none", a);
    else if (t == "tool") {
        const Value* name = member(tc, "name");
        if (!name || !name->IsString()) return bad(e, "tool_choice.name", "is required for type 'tool'");
        Value c(rapidjson::kObjectType);
        c.AddMember("type", "function", a);
        Value fn(rapidjson::kObjectType);
        fn.AddMember("name", Value(*name, a), a);
        c.AddMember("function", fn, a);
        out.AddMember("tool_choice", c, a);
    } else {
        return bad(e, "tool_choice.type", "expected auto, any, tool or none; found '" + t + "'");
    }
    if (const Value* d = member(tc, "disable_parallel_tool_use"); d && d->IsBool() && d->GetBool())
        out.AddMember("parallel_tool_calls", false, a);
    return true;
}

}  // namespace

bool anthropic_to_canonical(const Value& in, rapidjson::Document& out, ApiError* e) {
    if (!in.IsObject()) return bad(e, "body", "expected a JSON object");
    out.SetObject();
    auto& a = out.GetAllocator();
    const Value* model = member(in, "model");
    if (!model) return bad(e, "model", "is required");
    if (!model->IsString() || model->GetStringLength() == 0) return bad(e, "model", "expected a non-empty string");
    out.AddMember("model", Value(*model, a), a);

    const Value* msgs = member(in, "messages");
    if (!msgs) return bad(e, "messages", "is required");
    if (!msgs->IsArray() || msgs->Empty()) return bad(e, "messages", "expected a non-empty array");
    Value messages(rapidjson::kArrayType);
    if (const Value* sys = member(in, "system")) {
        if (!convert_system(*sys, messages, a, e)) return false;
    }
    size_t i = 0;
    for (const auto& m : msgs->GetArray())
        if (!convert_message(m, i++, messages, a, e)) return false;
    out.AddMember("messages", messages, a);

    const Value* max_tokens = member(in, "max_tokens");
    if (!max_tokens) return bad(e, "max_tokens", "is required");
    if (!max_tokens->IsInt64() || max_tokens->GetInt64() < 1) return bad(e, "max_tokens", "expected a positive integer");
    out.AddMember("max_tokens", Value(*max_tokens, a), a);

    for (const char* num : {"temperature", "top_p"}) {
        if (const Value* v = member(in, num)) {
            if (!v->IsNumber()) return bad(e, num, "expected a number");
            out.AddMember(Value(num, a), Value(*v, a), a);
        }
    }
    if (const Value* v = member(in, "top_k")) {
        if (!v->IsInt64()) return bad(e, "top_k", "expected an integer");
        out.AddMember("top_k", Value(*v, a), a);
    }
    if (const Value* v = member(in, "stop_sequences")) {
        if (!v->IsArray()) return bad(e, "stop_sequences", "expected an array of strings");
        for (const auto& s : v->GetArray())
            if (!s.IsString()) return bad(e, "stop_sequences", "expected an array of strings");
        if (!v->Empty()) out.AddMember("stop", Value(*v, a), a);
    }
    if (const Value* v = member(in, "stream")) {
        if (!v->IsBool()) return bad(e, "stream", "expected a boolean");
        out.AddMember("stream", v->GetBool(), a);
    }
    if (const Value* md = member(in, "metadata"))
        if (const Value* uid = member(*md, "user_id"); uid && uid->IsString()) out.AddMember("user", Value(*uid, a), a);
    if (const Value* tools = member(in, "tools")) {
        Value t(rapidjson::kArrayType);
        if (!convert_tools(*tools, t, a, e)) return false;
        out.AddMember("tools", t, a);
    }
    if (const Value* tc = member(in, "tool_choice")) {
        if (!convert_tool_choice(*tc, out, e)) return false;
    }
    if (const Value* th = member(in, "thinking")) out.AddMember("thinking", Value(*th, a), a);
    return true;
}

}  // namespace nexus::core
