#include "embeddings_request.hpp"

#include "json_util.hpp"

#include "nexus/nexus.hpp"

namespace nexus::ollama {

namespace {

[[noreturn]] void invalid(const std::string& msg) { throw sdk::Error(NX_ERR_INVALID, "invalid embeddings request: " + msg); }

void check_input(const Value& input) {
    if (input.IsString()) return;
    if (!input.IsArray() || input.Empty()) invalid("input must be a string or a non-empty array of strings");
    for (rapidjson::SizeType i = 0; i < input.Size(); ++i) {
        if (input[i].IsString()) continue;
        if (input[i].IsNumber() || input[i].IsArray())
            throw sdk::Error(NX_ERR_UNSUPPORTED, "ollama provider: embeddings of token arrays are not supported; send text");
        invalid("input[" + std::to_string(i) + "] must be a string");
    }
}

}  // namespace

std::string translate_embeddings_request(std::string_view canonical, std::string_view model, const ProviderConfig& cfg) {
    rapidjson::Document doc;
    if (std::string err = parse_json(doc, canonical); !err.empty()) invalid(err);
    if (!doc.IsObject()) invalid("the body must be a JSON object");
    Alloc& a = doc.GetAllocator();
    if (model.empty()) model = string_member(doc, "model");
    if (model.empty()) invalid("no model (the body has no \"model\" and none was routed)");
    Value* input = find_member(doc, "input");
    if (!input) invalid("input is missing");
    check_input(*input);

    Value out(rapidjson::kObjectType);
    out.AddMember("model", str(model, a), a);
    out.AddMember("input", std::move(*input), a);
    if (Value* d = find_member(doc, "dimensions"); d && !d->IsNull()) {
        if (!d->IsInt() || d->GetInt() < 1) invalid("dimensions must be a positive integer");
        out.AddMember("dimensions", d->GetInt(), a);
    }
    if (Value* t = find_member(doc, "truncate"); t && t->IsBool()) out.AddMember("truncate", t->GetBool(), a);

    int64_t num_ctx = cfg.num_ctx.value_or(0);
    if (const Value* n = find_member(doc, "num_ctx"); n && n->IsInt64() && n->GetInt64() > 0) num_ctx = n->GetInt64();
    if (num_ctx > 0) {
        Value options(rapidjson::kObjectType);
        options.AddMember("num_ctx", num_ctx, a);
        out.AddMember("options", std::move(options), a);
    }
    if (Value* ka = find_member(doc, "keep_alive"); ka && (ka->IsString() || ka->IsNumber())) {
        out.AddMember("keep_alive", std::move(*ka), a);
    } else if (!cfg.keep_alive_json.empty()) {
        rapidjson::Document parsed(&a);
        parsed.Parse(cfg.keep_alive_json.c_str(), cfg.keep_alive_json.size());
        out.AddMember("keep_alive", Value(parsed, a), a);
    }
    return to_json(out);
}

}  // namespace nexus::ollama
