// The `ollama` provider plugin: a local (or ollama.com) Ollama server through its native
// API (https://github.com/ollama/ollama/blob/main/docs/api.md): /api/chat, /api/embed,
// /api/tags. The translation lives in the files next to this one; this file only binds it
// to the SDK.
#include "chat_output.hpp"
#include "model_pull.hpp"
#include "provider_config.hpp"
#include "request_builder.hpp"
#include "response_parser.hpp"
#include "stream_translator.hpp"

#include "nexus/nexus.hpp"

#include <atomic>
#include <memory>

namespace nexus::ollama {

namespace {

class OllamaStream final : public sdk::ProviderStream {
public:
    OllamaStream(std::string id, int64_t now_unix_s, std::string model) : translator_(std::move(id), now_unix_s, std::move(model)) {}
    nx_stream_result on_event(sdk::Call&, const sdk::StreamEvent& ev, sdk::ChunkSink& sink) override {
        return translator_.on_line(ev.data, [&sink](std::string_view chunk) { sink.emit(chunk); });
    }
    void finish(sdk::Call&, sdk::ChunkSink&) override { translator_.finish(); }

private:
    StreamTranslator translator_;
};

class PullStream final : public sdk::ProviderStream {
public:
    nx_stream_result on_event(sdk::Call&, const sdk::StreamEvent& ev, sdk::ChunkSink& sink) override {
        return progress_.on_line(ev.data, [&sink](std::string_view line) { sink.emit(line); });
    }
    void finish(sdk::Call&, sdk::ChunkSink&) override { progress_.finish(); }

private:
    PullProgress progress_;
};

class OllamaProvider final : public sdk::Provider {
public:
    OllamaProvider(sdk::Call&, std::string_view config_json) : config_(parse_config(config_json)) {}

    void prepare(sdk::Call& call, const sdk::ProviderRequest& req, sdk::HttpRequestOut& out) override {
        RequestInput in{req.op, req.body, req.upstream_model, req.base_url, req.api_key, req.stream};
        UpstreamRequest r = build_request(config_, in);
        if (!r.dropped.empty()) {
            std::string names;
            for (const auto& d : r.dropped) names += (names.empty() ? "" : ", ") + d;
            call.log(NX_LOG_DEBUG, "ollama: not sent (no Ollama equivalent): " + names);
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
        ctx.model = req.upstream_model;
        ctx.api_key = req.api_key;
        ctx.now_unix_ms = int64_t(sdk::host().now_unix_ms());
        ctx.id_salt = next_salt();
        ctx.embeddings_base64 = req.op == NX_OP_EMBEDDINGS && wants_base64(req.body);
        out.assign(parse_upstream_response(ctx, resp.status, resp.headers, resp.body));
    }

    std::unique_ptr<sdk::ProviderStream> open_stream(sdk::Call&, const sdk::ProviderRequest& req) override {
        if (req.op == NX_OP_PULL_MODEL) return std::make_unique<PullStream>();
        if (req.op != NX_OP_CHAT) throw sdk::Error(NX_ERR_UNSUPPORTED, "the ollama provider streams chat completions and pulls only");
        int64_t now_s = int64_t(sdk::host().now_unix_ms() / 1000);
        return std::make_unique<OllamaStream>(completion_id(next_salt()), now_s, std::string(req.upstream_model));
    }

private:
    // Distinct per response and per process start: a counter mixed with the clock.
    uint64_t next_salt() { return sdk::host().monotonic_ns() ^ (counter_.fetch_add(1) * 0x9e3779b97f4a7c15ull); }

    const ProviderConfig config_;
    std::atomic<uint64_t> counter_{0};
};

}  // namespace

}  // namespace nexus::ollama

NEXUS_PROVIDER_PLUGIN(nexus::ollama::OllamaProvider, "ollama", "0.1.0",
                      "Ollama (local or ollama.com) chat, embeddings and model list through its native API",
                      NX_CAP_CHAT | NX_CAP_STREAM | NX_CAP_EMBEDDINGS | NX_CAP_TOOLS | NX_CAP_VISION |
                          NX_CAP_JSON_MODE | NX_CAP_LIST_MODELS | NX_CAP_PULL_MODELS)
