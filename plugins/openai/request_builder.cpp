#include "request_builder.hpp"

#include "json_util.hpp"

#include "nexus/nexus.hpp"

// Wire format: https://platform.openai.com/docs/api-reference/chat/create,
// https://platform.openai.com/docs/api-reference/embeddings/create,
// https://platform.openai.com/docs/api-reference/models/list (auth, OpenAI-Organization and
// OpenAI-Project headers: https://platform.openai.com/docs/api-reference/authentication).

namespace nexus::openai {

namespace {

using rapidjson::Value;

const char* op_name(nx_op op) { return op == NX_OP_EMBEDDINGS ? "embeddings" : "chat"; }

rapidjson::Document parse_body(const RequestInput& in) {
    rapidjson::Document doc;
    if (std::string err = parse_json(doc, in.body); !err.empty())
        throw sdk::Error(NX_ERR_INVALID, std::string("invalid canonical ") + op_name(in.op) + " request: " + err);
    if (!doc.IsObject())
        throw sdk::Error(NX_ERR_INVALID, std::string("invalid canonical ") + op_name(in.op) + " request: the body must be a JSON object");
    return doc;
}

// Sets doc[name] = value, adding the member when missing.
void set_member(rapidjson::Document& doc, Value& obj, std::string_view name, Value value) {
    auto it = obj.FindMember(Value(rapidjson::StringRef(name.data(), name.size())));
    if (it != obj.MemberEnd()) {
        it->value = std::move(value);
    } else {
        obj.AddMember(Value(name.data(), rapidjson::SizeType(name.size()), doc.GetAllocator()), std::move(value),
                      doc.GetAllocator());
    }
}

void replace_model(rapidjson::Document& doc, const RequestInput& in) {
    if (!in.upstream_model.empty()) {
        set_member(doc, doc, "model", Value(in.upstream_model.data(), rapidjson::SizeType(in.upstream_model.size()),
                                            doc.GetAllocator()));
    } else if (string_member(doc, "model").empty()) {
        throw sdk::Error(NX_ERR_INVALID, std::string("invalid canonical ") + op_name(in.op) +
                                             " request: no model (the body has no \"model\" and none was routed)");
    }
}

void apply_stream_options(rapidjson::Document& doc, bool stream) {
    if (stream) {
        set_member(doc, doc, "stream", Value(true));
        auto it = doc.FindMember("stream_options");
        if (it == doc.MemberEnd() || !it->value.IsObject()) set_member(doc, doc, "stream_options", Value(rapidjson::kObjectType));
        Value& opts = doc["stream_options"];
        set_member(doc, opts, "include_usage", Value(true));
        return;
    }
    if (doc.HasMember("stream")) doc["stream"] = Value(false);
    if (auto it = doc.FindMember("stream_options"); it != doc.MemberEnd()) doc.EraseMember(it);  // keeps order
}

std::string serialize(const rapidjson::Document& doc) { return to_json(doc); }

void add_common_headers(const ProviderConfig& cfg, const RequestInput& in, UpstreamRequest& r, bool has_body,
                        bool event_stream) {
    if (!in.api_key.empty()) r.headers.emplace_back("Authorization", "Bearer " + std::string(in.api_key));
    if (has_body) r.headers.emplace_back("Content-Type", "application/json");
    r.headers.emplace_back("Accept", event_stream ? "text/event-stream" : "application/json");
    if (!cfg.organization.empty()) r.headers.emplace_back("OpenAI-Organization", cfg.organization);
    if (!cfg.project.empty()) r.headers.emplace_back("OpenAI-Project", cfg.project);
    for (const auto& h : cfg.extra_headers) r.headers.push_back(h);
}

std::string base_url(const ProviderConfig& cfg, const RequestInput& in) {
    std::string base(in.base_url.empty() ? std::string_view(cfg.base_url) : in.base_url);
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base;
}

}  // namespace

UpstreamRequest build_request(const ProviderConfig& cfg, const RequestInput& in) {
    UpstreamRequest r;
    switch (in.op) {
        case NX_OP_CHAT: {
            rapidjson::Document doc = parse_body(in);
            replace_model(doc, in);
            apply_stream_options(doc, in.stream);
            r.method = "POST";
            r.url = base_url(cfg, in) + "/chat/completions";
            r.body = serialize(doc);
            r.framing = NX_FRAMING_SSE;
            add_common_headers(cfg, in, r, true, in.stream);
            return r;
        }
        case NX_OP_EMBEDDINGS: {
            rapidjson::Document doc = parse_body(in);
            replace_model(doc, in);
            r.method = "POST";
            r.url = base_url(cfg, in) + "/embeddings";
            r.body = serialize(doc);
            add_common_headers(cfg, in, r, true, false);
            return r;
        }
        case NX_OP_LIST_MODELS:
            r.method = "GET";
            r.url = base_url(cfg, in) + "/models";
            add_common_headers(cfg, in, r, false, false);
            return r;
        default:
            throw sdk::Error(NX_ERR_UNSUPPORTED, "the openai provider does not support operation " + std::to_string(in.op));
    }
}

}  // namespace nexus::openai
