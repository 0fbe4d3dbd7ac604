// The `claude` provider plugin: Anthropic's Messages API (chat, streaming, tools, vision,
// extended thinking, prompt caching) and Models API, translated to and from the canonical
// OpenAI format, plus same-wire passthrough for Anthropic clients. The translation lives in
// the files next to this one; this file only binds it to the SDK.
#include "provider_config.hpp"
#include "request_builder.hpp"
#include "response_parser.hpp"
#include "stream_translator.hpp"

#include "nexus/nexus.hpp"

#include <memory>
#include <string>

namespace nexus::claude {

namespace {

int64_t now_ms() { return int64_t(sdk::host().now_unix_ms()); }

// Every value of a header the client may have repeated (anthropic-beta), joined with ",".
std::string joined_header(const sdk::HeaderView& headers, std::string_view name) {
    std::string out;
    for (const nx_header& h : headers.all()) {
        if (sdk::HeaderView(&h, 1).get(name)) {
            if (!out.empty()) out += ",";
            out += sdk::to_sv(h.value);
        }
    }
    return out;
}

class ClaudeStream final : public sdk::ProviderStream {
public:
    explicit ClaudeStream(int64_t created_unix_s) : translator_(created_unix_s) {}
    nx_stream_result on_event(sdk::Call&, const sdk::StreamEvent& ev, sdk::ChunkSink& sink) override {
        return translator_.on_event(ev.event, ev.data, [&sink](std::string_view chunk) { sink.emit(chunk); });
    }
    void finish(sdk::Call&, sdk::ChunkSink&) override { translator_.finish(); }

private:
    StreamTranslator translator_;
};

class ClaudeProvider final : public sdk::Provider {
public:
    ClaudeProvider(sdk::Call&, std::string_view config_json) : config_(parse_config(config_json)) {}

    void prepare(sdk::Call&, const sdk::ProviderRequest& req, sdk::HttpRequestOut& out) override {
        RequestInput in;
        in.op = req.op;
        in.body = req.body;
        in.upstream_model = req.upstream_model;
        in.base_url = req.base_url;
        in.api_key = req.api_key;
        in.stream = req.stream;
        in.native_format = req.native_format;
        in.native_body = req.native_body;
        std::string beta = joined_header(req.client_headers, "anthropic-beta");
        if (!beta.empty()) in.client_anthropic_beta = beta;
        in.client_anthropic_version = req.client_headers.get("anthropic-version");
        UpstreamRequest r = build_request(config_, in);
        out.method(r.method);
        out.url(r.url);
        for (const auto& [name, value] : r.headers) out.header(name, value);
        if (!r.body.empty()) out.body().assign(r.body);
        out.framing(r.framing);
    }

    void parse_response(sdk::Call& call, const sdk::ProviderRequest& req, const sdk::HttpResponse& resp,
                        sdk::Buf& out) override {
        Usage usage;
        out.assign(parse_upstream_response(req.op, resp.status, resp.headers, resp.body, req.api_key, now_ms(), &usage));
        // The canonical usage the translation wrote, reported so the host need not read it again.
        if (req.op == NX_OP_CHAT)
            call.report_usage(usage.prompt_tokens(), usage.output_tokens, usage.cache_read_input_tokens);
    }

    std::unique_ptr<sdk::ProviderStream> open_stream(sdk::Call&, const sdk::ProviderRequest& req) override {
        if (req.op != NX_OP_CHAT) throw sdk::Error(NX_ERR_UNSUPPORTED, "the claude provider streams chat only");
        return std::make_unique<ClaudeStream>(now_ms() / 1000);
    }

private:
    const ProviderConfig config_;
};

}  // namespace

}  // namespace nexus::claude

NEXUS_PROVIDER_PLUGIN(nexus::claude::ClaudeProvider, "claude", "0.1.0",
                      "Anthropic Messages and Models API (Claude), with same-wire passthrough for Anthropic clients",
                      NX_CAP_CHAT | NX_CAP_STREAM | NX_CAP_TOOLS | NX_CAP_VISION | NX_CAP_JSON_MODE |
                          NX_CAP_LIST_MODELS | NX_CAP_NATIVE_ANTHROPIC)
