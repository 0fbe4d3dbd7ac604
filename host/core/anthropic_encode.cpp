#include "core/anthropic_encode.hpp"

#include "core/json_text.hpp"

#include <rapidjson/document.h>

namespace nexus::core {

namespace {
using rapidjson::Value;
using Alloc = rapidjson::Document::AllocatorType;

Value str(std::string_view s, Alloc& a) { return Value(s.data(), rapidjson::SizeType(s.size()), a); }

std::string message_id(const Value& completion) {
    const Value* id = member(completion, "id");
    std::string s = id && id->IsString() ? id->GetString() : "nexus";
    return s.rfind("msg_", 0) == 0 ? s : "msg_" + s;
}

// Anthropic counts cache reads and writes apart from input_tokens.
void usage_object(const Value* usage, Value& out, Alloc& a) {
    int64_t prompt = 0, completion = 0, cached = 0, created = 0;
    if (usage && usage->IsObject()) {
        if (auto* p = member(*usage, "prompt_tokens"); p && p->IsInt64()) prompt = p->GetInt64();
        if (auto* c = member(*usage, "completion_tokens"); c && c->IsInt64()) completion = c->GetInt64();
        if (auto* d = member(*usage, "prompt_tokens_details"); d && d->IsObject())
            if (auto* c = member(*d, "cached_tokens"); c && c->IsInt64()) cached = c->GetInt64();
        if (auto* cc = member(*usage, "cache_creation_input_tokens"); cc && cc->IsInt64()) created = cc->GetInt64();
    }
    out.SetObject();
    out.AddMember("input_tokens", std::max<int64_t>(0, prompt - cached - created), a);
    out.AddMember("output_tokens", completion, a);
    out.AddMember("cache_creation_input_tokens", created, a);
    out.AddMember("cache_read_input_tokens", cached, a);
}

Value tool_use_block(const Value& call, Alloc& a) {
    Value b(rapidjson::kObjectType);
    b.AddMember("type", "tool_use", a);
    const Value* id = member(call, "id");
    b.AddMember("id", id && id->IsString() ? Value(*id, a) : Value("toolu_nexus", a), a);
    const Value* fn = member(call, "function");
    const Value* name = fn ? member(*fn, "name") : nullptr;
    b.AddMember("name", name && name->IsString() ? Value(*name, a) : Value("", a), a);
    const Value* args = fn ? member(*fn, "arguments") : nullptr;
    rapidjson::Document input(&a);
    if (args && args->IsString() && parse_json(std::string_view(args->GetString(), args->GetStringLength()), input, nullptr) &&
        input.IsObject())
        b.AddMember("input", Value(input, a), a);
    else if (args && args->IsObject())
        b.AddMember("input", Value(*args, a), a);
    else
        b.AddMember("input", Value(rapidjson::kObjectType), a);
    return b;
}
}  // namespace

const char* anthropic_stop_reason(std::string_view fr) {
    if (fr == "length") return "max_tokens";
    if (fr == "tool_calls" || fr == "function_call") return "tool_use";
    if (fr == "content_filter") return "refusal";
    return "end_turn";
}

bool is_anthropic_only_stop(std::string_view r) { return r == "pause_turn" || r == "refusal"; }

std::string canonical_to_anthropic_message(std::string_view canonical) {
    rapidjson::Document in;
    rapidjson::Document out(rapidjson::kObjectType);
    auto& a = out.GetAllocator();
    if (!parse_json(canonical, in, nullptr)) in.SetObject();
    out.AddMember("id", str(message_id(in), a), a);
    out.AddMember("type", "message", a);
    out.AddMember("role", "assistant", a);
    const Value* model = member(in, "model");
    out.AddMember("model", model && model->IsString() ? Value(*model, a) : Value("", a), a);

    Value content(rapidjson::kArrayType);
    std::string stop_reason = "end_turn";
    Value stop_sequence(rapidjson::kNullType);
    const Value* choices = member(in, "choices");
    if (choices && choices->IsArray() && !choices->Empty()) {
        const Value& choice = (*choices)[0];
        const Value* msg = member(choice, "message");
        if (msg) {
            if (const Value* tb = member(*msg, "thinking_blocks"); tb && tb->IsArray())
                for (const auto& b : tb->GetArray()) content.PushBack(Value(b, a), a);
            const Value* text = member(*msg, "content");
            if (text && text->IsString() && text->GetStringLength() > 0) {
                Value b(rapidjson::kObjectType);
                b.AddMember("type", "text", a);
                b.AddMember("text", Value(*text, a), a);
                content.PushBack(b, a);
            }
            if (const Value* calls = member(*msg, "tool_calls"); calls && calls->IsArray())
                for (const auto& c : calls->GetArray()) content.PushBack(tool_use_block(c, a), a);
        }
        if (const Value* fr = member(choice, "finish_reason"); fr && fr->IsString())
            stop_reason = anthropic_stop_reason(fr->GetString());
        if (const Value* nfr = member(choice, "native_finish_reason"); nfr && nfr->IsString() && is_anthropic_only_stop(nfr->GetString()))
            stop_reason = nfr->GetString();
        if (const Value* ss = member(choice, "stop_sequence"); ss && ss->IsString()) {
            stop_reason = "stop_sequence";
            stop_sequence = Value(*ss, a);
        }
    }
    out.AddMember("content", content, a);
    out.AddMember("stop_reason", str(stop_reason, a), a);
    out.AddMember("stop_sequence", stop_sequence, a);
    Value usage;
    usage_object(member(in, "usage"), usage, a);
    out.AddMember("usage", usage, a);
    return to_json(out);
}

const char* anthropic_error_type(const ApiError& e) {
    if (e.error_class == NX_EC_OVERLOADED) return "overloaded_error";
    switch (e.status) {
        case 400: case 422: return "invalid_request_error";
        case 401: return "authentication_error";
        case 402: return "billing_error";
        case 403: return "permission_error";
        case 404: return "not_found_error";
        case 408: case 504: return "timeout_error";
        case 409: return "conflict_error";
        case 413: return "request_too_large";
        case 429: return "rate_limit_error";
        case 503: case 529: return "overloaded_error";
        default: return e.status >= 500 ? "api_error" : "invalid_request_error";
    }
}

std::string anthropic_error_body(const ApiError& e) {
    std::string out = "{\"type\":\"error\",\"error\":{\"type\":\"";
    out += anthropic_error_type(e);
    out += "\",\"message\":";
    append_json_string(e.message, out);
    out += "}}";
    return out;
}

}  // namespace nexus::core
