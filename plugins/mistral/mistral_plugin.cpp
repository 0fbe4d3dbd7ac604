// The `mistral` provider plugin: Mistral's chat completions, embeddings and models APIs
// (https://docs.mistral.ai/api/). The translation lives in the files next to this one;
// this file only binds it to the SDK.
#include "provider_config.hpp"
#include "request_builder.hpp"
#include "response_parser.hpp"
#include "stream_translator.hpp"

#include "nexus/nexus.hpp"

#include <memory>

namespace nexus::mistral {

namespace {

class MistralStream final : public sdk::ProviderStream {
public:
    nx_stream_result on_event(sdk::Call&, const sdk::StreamEvent& ev, sdk::ChunkSink& sink) override {
        return translator_.on_event(ev.event, ev.data, [&sink](std::string_view chunk) { sink.emit(chunk); });
    }
    void finish(sdk::Call&, sdk::ChunkSink&) override { translator_.finish(); }

private:
    StreamTranslator translator_;
};

class MistralProvider final : public sdk::Provider {
public:
    MistralProvider(sdk::Call&, std::string_view config_json) : config_(parse_config(config_json)) {}

    void prepare(sdk::Call& call, const sdk::ProviderRequest& req, sdk::HttpRequestOut& out) override {
        RequestInput in{req.op, req.body, req.upstream_model, req.base_url, req.api_key, req.stream};
        UpstreamRequest r = build_request(config_, in);
        if (!r.dropped.empty()) {
            std::string names;
            for (const auto& d : r.dropped) names += (names.empty() ? "" : ", ") + d;
            call.log(NX_LOG_DEBUG, "mistral: not sent (no Mistral equivalent): " + names);
        }
        out.method(r.method);
        out.url(r.url);
        for (const auto& [name, value] : r.headers) out.header(name, value);
        if (!r.body.empty()) out.body().assign(r.body);
        out.framing(r.framing);
    }

    void parse_response(sdk::Call&, const sdk::ProviderRequest& req, const sdk::HttpResponse& resp, sdk::Buf& out) override {
        ResponseContext ctx;
        ctx.op = req.op;
        ctx.api_key = req.api_key;
        ctx.now_unix_ms = int64_t(sdk::host().now_unix_ms());
        ctx.embeddings_base64 = req.op == NX_OP_EMBEDDINGS && wants_base64(req.body);
        out.assign(parse_upstream_response(ctx, resp.status, resp.headers, resp.body));
    }

    std::unique_ptr<sdk::ProviderStream> open_stream(sdk::Call&, const sdk::ProviderRequest& req) override {
        if (req.op != NX_OP_CHAT) throw sdk::Error(NX_ERR_UNSUPPORTED, "the mistral provider streams chat completions only");
        return std::make_unique<MistralStream>();
    }

private:
    const ProviderConfig config_;
};

}  // namespace

}  // namespace nexus::mistral

NEXUS_PROVIDER_PLUGIN(nexus::mistral::MistralProvider, "mistral", "0.1.0",
                      "Mistral AI chat completions, embeddings and models",
                      NX_CAP_CHAT | NX_CAP_STREAM | NX_CAP_EMBEDDINGS | NX_CAP_TOOLS | NX_CAP_VISION |
                          NX_CAP_JSON_MODE | NX_CAP_LIST_MODELS)
