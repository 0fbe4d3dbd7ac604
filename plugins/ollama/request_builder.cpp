#include "request_builder.hpp"

#include "chat_request.hpp"
#include "embeddings_request.hpp"
#include "model_pull.hpp"

#include "nexus/nexus.hpp"

namespace nexus::ollama {

namespace {

std::string base_url(const ProviderConfig& cfg, const RequestInput& in) {
    std::string base(in.base_url.empty() ? std::string_view(cfg.base_url) : in.base_url);
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base;
}

void add_headers(const RequestInput& in, UpstreamRequest& r, bool has_body, bool ndjson) {
    if (!in.api_key.empty()) r.headers.emplace_back("Authorization", "Bearer " + std::string(in.api_key));
    if (has_body) r.headers.emplace_back("Content-Type", "application/json");
    r.headers.emplace_back("Accept", ndjson ? "application/x-ndjson" : "application/json");
}

}  // namespace

UpstreamRequest build_request(const ProviderConfig& cfg, const RequestInput& in) {
    UpstreamRequest r;
    switch (in.op) {
        case NX_OP_CHAT: {
            ChatRequestOut chat = translate_chat_request(in.body, in.upstream_model, in.stream, cfg);
            r.method = "POST";
            r.url = base_url(cfg, in) + "/api/chat";
            r.body = std::move(chat.body);
            r.dropped = std::move(chat.dropped);
            r.framing = NX_FRAMING_NDJSON;
            add_headers(in, r, true, in.stream);
            return r;
        }
        case NX_OP_EMBEDDINGS:
            r.method = "POST";
            r.url = base_url(cfg, in) + "/api/embed";
            r.body = translate_embeddings_request(in.body, in.upstream_model, cfg);
            add_headers(in, r, true, false);
            return r;
        case NX_OP_LIST_MODELS:
            r.method = "GET";
            r.url = base_url(cfg, in) + "/api/tags";
            add_headers(in, r, false, false);
            return r;
        case NX_OP_PULL_MODEL:
            r.method = "POST";
            r.url = base_url(cfg, in) + "/api/pull";
            r.body = pull_request_body(in.upstream_model);
            r.framing = NX_FRAMING_NDJSON;
            add_headers(in, r, true, true);
            return r;
        default:
            throw sdk::Error(NX_ERR_UNSUPPORTED, "the ollama provider does not support operation " + std::to_string(in.op));
    }
}

}  // namespace nexus::ollama
