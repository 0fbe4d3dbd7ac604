// The `openai` provider plugin: OpenAI Chat Completions, Embeddings and Models, and any
// server that speaks the same API (vLLM, llama.cpp, LM Studio, ... : set base_url, and leave
// the key empty when the server needs none). The translation lives in the files next to
// this one; this file only binds it to the SDK.
#include "provider_config.hpp"
#include "request_builder.hpp"
#include "response_parser.hpp"
#include "stream_translator.hpp"

#include "nexus/nexus.hpp"

#include <memory>

namespace nexus::openai {

namespace {

class OpenAIStream final : public sdk::ProviderStream {
public:
    nx_stream_result on_event(sdk::Call&, const sdk::StreamEvent& ev, sdk::ChunkSink& sink) override {
        return translator_.on_event(ev.event, ev.data, [&sink](std::string_view chunk) { sink.emit(chunk); });
    }
    void finish(sdk::Call&, sdk::ChunkSink&) override { translator_.finish(); }

private:
    StreamTranslator translator_;
};

class OpenAIProvider final : public sdk::Provider {
public:
    OpenAIProvider(sdk::Call&, std::string_view config_json) : config_(parse_config(config_json)) {}

    void prepare(sdk::Call&, const sdk::ProviderRequest& req, sdk::HttpRequestOut& out) override {
        RequestInput in{req.op, req.body, req.upstream_model, req.base_url, req.api_key, req.stream};
        UpstreamRequest r = build_request(config_, in);
        out.method(r.method);
        out.url(r.url);
        for (const auto& [name, value] : r.headers) out.header(name, value);
        if (!r.body.empty()) out.body().assign(r.body);
        out.framing(r.framing);
    }

    void parse_response(sdk::Call& call, const sdk::ProviderRequest& req, const sdk::HttpResponse& resp,
                        sdk::Buf& out) override {
        auto now = int64_t(sdk::host().now_unix_ms());
        Usage usage;
        out.assign(parse_upstream_response(req.op, resp.status, resp.headers, resp.body, req.api_key, now, &usage));
        if (req.op == NX_OP_CHAT || req.op == NX_OP_EMBEDDINGS) call.report_usage(usage.prompt, usage.completion, usage.cached);
    }

    std::unique_ptr<sdk::ProviderStream> open_stream(sdk::Call&, const sdk::ProviderRequest& req) override {
        if (req.op != NX_OP_CHAT) throw sdk::Error(NX_ERR_UNSUPPORTED, "the openai provider streams chat completions only");
        return std::make_unique<OpenAIStream>();
    }

private:
    const ProviderConfig config_;
};

}  // namespace

}  // namespace nexus::openai

NEXUS_PROVIDER_PLUGIN(nexus::openai::OpenAIProvider, "openai", "0.1.0",
                      "OpenAI Chat Completions, Embeddings and Models (and OpenAI-compatible servers)",
                      NX_CAP_CHAT | NX_CAP_STREAM | NX_CAP_EMBEDDINGS | NX_CAP_TOOLS | NX_CAP_VISION |
                          NX_CAP_JSON_MODE | NX_CAP_LIST_MODELS)
