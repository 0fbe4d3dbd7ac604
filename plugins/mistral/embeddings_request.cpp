#include "embeddings_request.hpp"

#include "json_util.hpp"

#include "nexus/nexus.hpp"

namespace nexus::mistral {

namespace {

[[noreturn]] void invalid(const std::string& msg) { throw sdk::Error(NX_ERR_INVALID, "invalid embeddings request: " + msg); }

void check_input(const Value& input) {
    if (input.IsString()) return;
    if (!input.IsArray() || input.Empty()) invalid("input must be a string or a non-empty array of strings");
    for (rapidjson::SizeType i = 0; i < input.Size(); ++i) {
        if (input[i].IsString()) continue;
        if (input[i].IsNumber() || input[i].IsArray())
            throw sdk::Error(NX_ERR_UNSUPPORTED, "mistral provider: embeddings of token arrays are not supported; send text");
        invalid("input[" + std::to_string(i) + "] must be a string");
    }
}

}  // namespace

std::string translate_embeddings_request(std::string_view canonical, std::string_view model) {
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
    for (std::string_view key : {"dimensions", "output_dimension"}) {
        if (Value* d = find_member(doc, key); d && !d->IsNull()) {
            if (!d->IsInt() || d->GetInt() < 1) invalid(std::string(key) + " must be a positive integer");
            set_member(out, "output_dimension", Value(d->GetInt()), a);
        }
    }
    if (Value* dtype = find_member(doc, "output_dtype"); dtype && dtype->IsString()) out.AddMember("output_dtype", std::move(*dtype), a);
    return to_json(out);
}

}  // namespace nexus::mistral
