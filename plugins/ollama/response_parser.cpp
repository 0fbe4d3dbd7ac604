#include "response_parser.hpp"

#include "chat_output.hpp"
#include "embedding_encoding.hpp"
#include "error_classifier.hpp"
#include "json_util.hpp"
#include "timestamps.hpp"

namespace nexus::ollama {

namespace {

[[noreturn]] void protocol(int status, const std::string& what) {
    throw sdk::UpstreamError(NX_EC_PROTOCOL, status, -1, "Ollama response " + what);
}

int64_t created_of(const Value& obj, std::string_view key, int64_t fallback) {
    auto t = parse_rfc3339_seconds(string_member(obj, key));
    return t ? *t : fallback;
}

std::string chat_response(const Value& doc, const ResponseContext& ctx, int status, Alloc& a) {
    const Value* message = find_member(doc, "message");
    if (!message || !message->IsObject()) protocol(status, "has no \"message\" object");
    std::string id = completion_id(ctx.id_salt);

    Value msg(rapidjson::kObjectType);
    msg.AddMember("role", "assistant", a);
    Value calls(rapidjson::kArrayType);
    if (const Value* tc = find_member(*message, "tool_calls"); tc && tc->IsArray()) {
        for (const auto& call : tc->GetArray()) {
            std::string_view upstream_id = string_member(call, "id");
            std::string call_id = upstream_id.empty() ? tool_call_id(id, calls.Size()) : std::string(upstream_id);
            Value c = canonical_tool_call(call, call_id, 0, false, a);
            if (c.IsNull()) protocol(status, "has a tool call without a function name");
            calls.PushBack(std::move(c), a);
        }
    }
    std::string_view content = string_member(*message, "content");
    bool had_calls = !calls.Empty();
    if (had_calls && content.empty()) msg.AddMember("content", Value(rapidjson::kNullType), a);
    else msg.AddMember("content", str(content, a), a);
    msg.AddMember("refusal", Value(rapidjson::kNullType), a);
    if (std::string_view thinking = string_member(*message, "thinking"); !thinking.empty())
        msg.AddMember("reasoning_content", str(thinking, a), a);
    if (had_calls) msg.AddMember("tool_calls", std::move(calls), a);

    std::string_view done_reason = string_member(doc, "done_reason");
    std::string_view finish = finish_reason(had_calls, done_reason);
    Value choice(rapidjson::kObjectType);
    choice.AddMember("index", 0, a);
    choice.AddMember("message", std::move(msg), a);
    choice.AddMember("logprobs", Value(rapidjson::kNullType), a);
    choice.AddMember("finish_reason", str(finish, a), a);
    if (!done_reason.empty() && done_reason != finish) choice.AddMember("native_finish_reason", str(done_reason, a), a);
    Value choices(rapidjson::kArrayType);
    choices.PushBack(std::move(choice), a);

    Value out(rapidjson::kObjectType);
    out.AddMember("id", str(id, a), a);
    out.AddMember("object", "chat.completion", a);
    out.AddMember("created", created_of(doc, "created_at", ctx.now_unix_ms / 1000), a);
    out.AddMember("model", str(string_member(doc, "model").empty() ? ctx.model : string_member(doc, "model"), a), a);
    out.AddMember("choices", std::move(choices), a);
    out.AddMember("usage", usage_of(doc, a), a);
    return to_json(out);
}

std::string embeddings_response(const Value& doc, const ResponseContext& ctx, int status, Alloc& a) {
    const Value* embeddings = find_member(doc, "embeddings");
    if (!embeddings || !embeddings->IsArray()) protocol(status, "has no \"embeddings\" array");
    Value data(rapidjson::kArrayType);
    for (rapidjson::SizeType i = 0; i < embeddings->Size(); ++i) {
        const Value& vec = (*embeddings)[i];
        Value item(rapidjson::kObjectType);
        item.AddMember("object", "embedding", a);
        item.AddMember("index", i, a);
        if (ctx.embeddings_base64) {
            auto encoded = float32_base64(vec);
            if (!encoded) protocol(status, "has an embedding that is not an array of numbers");
            item.AddMember("embedding", str(*encoded, a), a);
        } else {
            if (!vec.IsArray()) protocol(status, "has an embedding that is not an array of numbers");
            item.AddMember("embedding", Value(vec, a), a);
        }
        data.PushBack(std::move(item), a);
    }
    const Value* pec = find_member(doc, "prompt_eval_count");
    int64_t prompt = pec && pec->IsInt64() ? pec->GetInt64() : 0;
    Value usage(rapidjson::kObjectType);
    usage.AddMember("prompt_tokens", prompt, a);
    usage.AddMember("total_tokens", prompt, a);

    Value out(rapidjson::kObjectType);
    out.AddMember("object", "list", a);
    out.AddMember("data", std::move(data), a);
    out.AddMember("model", str(string_member(doc, "model").empty() ? ctx.model : string_member(doc, "model"), a), a);
    out.AddMember("usage", std::move(usage), a);
    return to_json(out);
}

std::string models_response(const Value& doc, int status, Alloc& a) {
    const Value* models = find_member(doc, "models");
    if (!models || !models->IsArray()) protocol(status, "has no \"models\" array");
    Value data(rapidjson::kArrayType);
    for (const auto& m : models->GetArray()) {
        std::string_view name = string_member(m, "name");
        if (name.empty()) name = string_member(m, "model");
        if (name.empty()) continue;
        Value item(rapidjson::kObjectType);
        item.AddMember("id", str(name, a), a);
        item.AddMember("object", "model", a);
        item.AddMember("created", created_of(m, "modified_at", 0), a);
        item.AddMember("owned_by", "ollama", a);
        data.PushBack(std::move(item), a);
    }
    Value out(rapidjson::kObjectType);
    out.AddMember("object", "list", a);
    out.AddMember("data", std::move(data), a);
    return to_json(out);
}

}  // namespace

bool wants_base64(std::string_view canonical) {
    if (canonical.find("base64") == std::string_view::npos) return false;  // the common case, no parse
    rapidjson::Document doc;
    return parse_json(doc, canonical).empty() && string_member(doc, "encoding_format") == "base64";
}

std::string parse_upstream_response(const ResponseContext& ctx, int status, const sdk::HeaderView& headers,
                                    std::string_view body) {
    if (status < 200 || status > 299)
        throw classify_http_error(status, headers, body, ctx.model, ctx.api_key, ctx.now_unix_ms);

    rapidjson::Document doc;
    if (std::string err = parse_json(doc, body); !err.empty()) protocol(status, "is not JSON (" + err + ")");
    if (!doc.IsObject()) protocol(status, "is not a JSON object");
    if (const Value* e = find_member(doc, "error"); e && !e->IsNull())
        throw classify_inband_error(e->IsString() ? as_view(*e) : std::string_view(to_json(*e)), status);

    Alloc& a = doc.GetAllocator();
    switch (ctx.op) {
        case NX_OP_CHAT: return chat_response(doc, ctx, status, a);
        case NX_OP_EMBEDDINGS: return embeddings_response(doc, ctx, status, a);
        case NX_OP_LIST_MODELS: return models_response(doc, status, a);
        default:
            throw sdk::Error(NX_ERR_UNSUPPORTED, "the ollama provider does not support operation " + std::to_string(ctx.op));
    }
}

}  // namespace nexus::ollama
