#include "request_builder.hpp"

#include "json_object_editor.hpp"
#include "json_util.hpp"

#include "nexus/nexus.hpp"

// Wire format: https://platform.openai.com/docs/api-reference/chat/create,
// https://platform.openai.com/docs/api-reference/embeddings/create,
// https://platform.openai.com/docs/api-reference/models/list (auth, OpenAI-Organization and
// OpenAI-Project headers: https://platform.openai.com/docs/api-reference/authentication).

namespace nexus::openai {

namespace {

const char* op_name(nx_op op) { return op == NX_OP_EMBEDDINGS ? "embeddings" : "chat"; }

sdk::Error invalid(nx_op op, const std::string& why) {
    return sdk::Error(NX_ERR_INVALID, std::string("invalid canonical ") + op_name(op) + " request: " + why);
}

void parse_body(const RequestInput& in, JsonObjectEditor& body) {
    if (std::string err = body.parse(in.body); !err.empty())
        throw invalid(in.op, err == JsonObjectEditor::kNotAnObject ? "the body must be a JSON object" : err);
}

void replace_model(JsonObjectEditor& body, const RequestInput& in) {
    if (!in.upstream_model.empty()) {
        body.set("model", json_string(in.upstream_model));
        return;
    }
    auto model = body.raw("model");
    if (!model || model->size() < 3 || model->front() != '"')
        throw invalid(in.op, "no model (the body has no \"model\" and none was routed)");
}

// Streams always ask for the usage chunk, so usage is known for every streamed request.
void apply_stream_options(JsonObjectEditor& body, bool stream) {
    if (stream) {
        body.set("stream", "true");
        std::string options = R"({"include_usage":true})";
        if (auto existing = body.raw("stream_options"); existing && existing->front() == '{') {
            JsonObjectEditor opts;
            if (opts.parse(*existing).empty()) {
                opts.set("include_usage", "true");
                options = opts.str();
            }
        }
        body.set("stream_options", options);
        return;
    }
    if (body.raw("stream")) body.set("stream", "false");
    body.erase("stream_options");
}

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
    r.headers.reserve(4 + cfg.extra_headers.size());
    switch (in.op) {
        case NX_OP_CHAT: {
            JsonObjectEditor body;
            parse_body(in, body);
            replace_model(body, in);
            apply_stream_options(body, in.stream);
            r.method = "POST";
            r.url = base_url(cfg, in) + "/chat/completions";
            r.body = body.str();
            r.framing = NX_FRAMING_SSE;
            add_common_headers(cfg, in, r, true, in.stream);
            return r;
        }
        case NX_OP_EMBEDDINGS: {
            JsonObjectEditor body;
            parse_body(in, body);
            replace_model(body, in);
            r.method = "POST";
            r.url = base_url(cfg, in) + "/embeddings";
            r.body = body.str();
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
