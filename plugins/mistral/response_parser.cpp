#include "response_parser.hpp"

#include "embedding_encoding.hpp"
#include "error_classifier.hpp"
#include "json_util.hpp"
#include "message_content.hpp"

namespace nexus::mistral {

namespace {

[[noreturn]] void protocol(int status, const std::string& what) {
    throw sdk::UpstreamError(NX_EC_PROTOCOL, status, -1, "Mistral response " + what);
}

void normalize_choice(Value& choice, int status, Alloc& a) {
    Value* message = find_member(choice, "message");
    if (!message || !message->IsObject()) protocol(status, "has a choice without a message");

    message->RemoveMember("prefix");  // a request-side flag Mistral echoes back; not canonical
    Value* calls = find_member(*message, "tool_calls");
    bool has_calls = calls && calls->IsArray() && !calls->Empty();
    if (has_calls) {
        for (auto& call : calls->GetArray()) {
            if (!normalize_tool_call(call, a, "{}")) protocol(status, "has a malformed tool call");
            call.RemoveMember("index");  // only stream deltas carry an index
        }
    } else if (calls) {
        message->RemoveMember("tool_calls");  // null or []
    }

    if (Value* content = find_member(*message, "content")) {
        auto flat = flatten_content(*content);
        if (!flat) protocol(status, "has message content of an unknown shape");
        if (has_calls && flat->text.empty()) *content = Value(rapidjson::kNullType);
        else *content = str(flat->text, a);
        if (!flat->reasoning.empty()) set_member(*message, "reasoning_content", str(flat->reasoning, a), a);
    } else {
        message->AddMember("content", has_calls ? Value(rapidjson::kNullType) : str("", a), a);
    }

    std::string_view native = string_member(choice, "finish_reason");
    if (native == "error")
        throw sdk::UpstreamError(NX_EC_SERVER, status, -1, "Mistral stopped the generation with finish_reason \"error\"");
    if (!native.empty()) {
        std::string_view mapped = canonical_finish_reason(native);
        if (mapped != native) {
            Value original = str(native, a);
            set_member(choice, "finish_reason", str(mapped, a), a);
            set_member(choice, "native_finish_reason", std::move(original), a);
        }
    }
    if (!find_member(choice, "logprobs")) choice.AddMember("logprobs", Value(rapidjson::kNullType), a);
}

std::string chat_response(rapidjson::Document& doc, int status, int64_t now_unix_ms) {
    Alloc& a = doc.GetAllocator();
    Value* choices = find_member(doc, "choices");
    if (!choices || !choices->IsArray()) protocol(status, "has no \"choices\" array");
    for (auto& choice : choices->GetArray()) {
        if (!choice.IsObject()) protocol(status, "has a choice that is not an object");
        normalize_choice(choice, status, a);
    }
    set_member(doc, "object", str("chat.completion", a), a);
    if (const Value* created = find_member(doc, "created"); !created || !created->IsNumber())
        set_member(doc, "created", Value(int64_t(now_unix_ms / 1000)), a);
    return to_json(doc);
}

std::string embeddings_response(rapidjson::Document& doc, int status, bool base64) {
    Alloc& a = doc.GetAllocator();
    Value* data = find_member(doc, "data");
    if (!data || !data->IsArray()) protocol(status, "has no \"data\" array");
    for (auto& item : data->GetArray()) {
        Value* vec = find_member(item, "embedding");
        if (!vec || !vec->IsArray()) protocol(status, "has an embedding that is not an array of numbers");
        if (base64) {
            auto encoded = float32_base64(*vec);
            if (!encoded) protocol(status, "has an embedding that is not an array of numbers");
            *vec = str(*encoded, a);
        }
        if (!find_member(item, "object")) item.AddMember("object", "embedding", a);
    }
    Value out(rapidjson::kObjectType);
    out.AddMember("object", "list", a);
    out.AddMember("data", std::move(*data), a);
    if (Value* model = find_member(doc, "model")) out.AddMember("model", std::move(*model), a);
    Value usage(rapidjson::kObjectType);
    if (const Value* u = find_member(doc, "usage"); u && u->IsObject()) {
        for (std::string_view key : {"prompt_tokens", "total_tokens"})
            if (const Value* v = find_member(*u, key); v && v->IsNumber()) usage.AddMember(str(key, a), Value(*v, a), a);
    }
    out.AddMember("usage", std::move(usage), a);
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
    if (status < 200 || status > 299) throw classify_http_error(status, headers, body, ctx.api_key, ctx.now_unix_ms);

    rapidjson::Document doc;
    if (std::string err = parse_json(doc, body); !err.empty()) protocol(status, "is not JSON (" + err + ")");
    if (!doc.IsObject()) protocol(status, "is not a JSON object");
    if (is_error_object(doc)) throw classify_inband_error(doc, status);

    switch (ctx.op) {
        case NX_OP_CHAT: return chat_response(doc, status, ctx.now_unix_ms);
        case NX_OP_EMBEDDINGS: return embeddings_response(doc, status, ctx.embeddings_base64);
        case NX_OP_LIST_MODELS:
            if (const Value* data = find_member(doc, "data"); !data || !data->IsArray()) protocol(status, "has no \"data\" array");
            return std::string(body);
        default:
            throw sdk::Error(NX_ERR_UNSUPPORTED, "the mistral provider does not support operation " + std::to_string(ctx.op));
    }
}

}  // namespace nexus::mistral
