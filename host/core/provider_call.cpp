#include "core/provider_call.hpp"

#include "core/loop_context.hpp"
#include "core/upstream_request.hpp"
#include "net/stream_framers.hpp"
#include "plugin/abi_objects.hpp"

#include <optional>

namespace nexus::core {

namespace {

nx_str nx(std::string_view s) { return nx_str{s.data(), s.size()}; }

struct CallState : std::enable_shared_from_this<CallState> {
    std::shared_ptr<ProviderRuntime> p;
    ProviderCall call;
    std::string key;
    nx_provider_request preq{};
    nx_framing framing = NX_FRAMING_NONE;
    int status = 0;
    net::HeaderList headers;
    std::string body;
    void* stream_state = nullptr;
    bool stream_done = false;
    std::optional<ApiError> error;
    std::optional<net::SseFramer> sse;
    std::optional<net::NdjsonFramer> ndjson;
    nx_chunk_sink sink;
    bool finished = false;

    ~CallState() {
        if (stream_state) p->plugin->provider->stream_close(p->instance, stream_state);
    }

    nx_call plugin_call() const {
        nx_call c;
        c.plugin = p->plugin->name;
        return c;
    }

    ApiError classify(const nx_call& c, const char* what) const {
        ApiError e;
        e.error_class = c.error_class != NX_EC_NONE ? c.error_class : NX_EC_INTERNAL;
        e.status = status_for_error_class(e.error_class, c.upstream_status);
        e.type = type_for_status(e.status);
        e.retry_after_ms = c.retry_after_ms;
        e.message = "provider '" + p->name + "': " +
                    (!c.upstream_message.empty() ? c.upstream_message : !c.error.empty() ? c.error : std::string(what) + " failed");
        return e;
    }

    void done(bool ok, std::string out, ApiError e = {}) {
        if (finished) return;
        finished = true;
        call.on_done(ok, std::move(out), std::move(e));
    }

    void event(std::string_view ev, std::string_view data) {
        if (stream_done || error) return;
        nx_stream_event e{sizeof(nx_stream_event), 0, nx(ev), nx(data), nx_str{nullptr, 0}};
        nx_call c = plugin_call();
        nx_stream_result r = p->plugin->provider->stream_event(&c, p->instance, stream_state, &e, &sink);
        if (r == NX_STREAM_DONE) stream_done = true;
        else if (r != NX_STREAM_CONTINUE) error = classify(c, "stream_event");
    }

    void on_headers(int st, net::HeaderList&& h) {
        status = st;
        headers = std::move(h);
        if (!call.stream || st < 200 || st > 299) return;
        nx_call c = plugin_call();
        if (!p->plugin->provider->stream_open || p->plugin->provider->stream_open(&c, p->instance, &preq, &stream_state) != NX_OK) {
            stream_state = nullptr;
            error = classify(c, "stream_open");
            return;
        }
        sink.emit = [this](std::string_view chunk) {
            if (call.on_event) call.on_event(chunk);
            return NX_OK;
        };
        if (framing == NX_FRAMING_NDJSON) ndjson.emplace();
        else sse.emplace();
    }

    bool on_data(std::string_view d) {
        if (error) return false;
        if (!stream_state) {
            body.append(d);
            return body.size() < (64u << 20);
        }
        if (sse) sse->feed(d, [this](const net::SseEvent& e) { event(e.event, e.data); return !error; });
        if (ndjson) ndjson->feed(d, [this](std::string_view line) { event({}, line); return !error; });
        return !error;
    }

    void on_done(net::ClientError err, const std::string& detail) {
        if (error) return done(false, {}, *error);
        if (err != net::ClientError::none) {
            ApiError e;
            e.status = 502;
            e.error_class = NX_EC_NETWORK;
            e.type = "server_error";
            e.message = "provider '" + p->name + "': " + net::to_string(err) + (detail.empty() ? "" : ": " + detail);
            return done(false, {}, std::move(e));
        }
        if (stream_state) {
            if (sse) sse->finish([this](const net::SseEvent& e) { event(e.event, e.data); return true; });
            if (ndjson) ndjson->finish([this](std::string_view line) { event({}, line); return true; });
            if (!stream_done && !error && p->plugin->provider->stream_finish) {
                nx_call c = plugin_call();
                if (p->plugin->provider->stream_finish(&c, p->instance, stream_state, &sink) != NX_OK)
                    error = classify(c, "stream_finish");
            }
            if (error) return done(false, {}, *error);
            return done(true, {});
        }
        std::vector<nx_header> hs;
        for (const auto& [k, v] : headers) hs.push_back(nx_header{nx(k), nx(v)});
        nx_http_response_in resp{sizeof(nx_http_response_in), status, hs.data(), hs.size(), nx(body)};
        nx_buf out;
        nx_call c = plugin_call();
        if (p->plugin->provider->parse_response(&c, p->instance, &preq, &resp, &out) == NX_OK) return done(true, std::move(out.data));
        done(false, {}, classify(c, "parse_response"));
    }
};

}  // namespace

void call_provider(const std::shared_ptr<ProviderRuntime>& provider, ProviderCall call) {
    auto st = std::make_shared<CallState>();
    st->p = provider;
    st->call = std::move(call);
    if (!provider->available || !provider->plugin) {
        ApiError e;
        e.status = 503;
        e.message = "provider '" + provider->name + "' is unavailable: " + provider->unavailable_reason;
        return st->done(false, {}, std::move(e));
    }
    st->key = provider->pick_key();
    st->preq.struct_size = sizeof st->preq;
    st->preq.op = st->call.op;
    st->preq.body = nx(st->call.body);
    st->preq.upstream_model = nx(st->call.upstream_model);
    st->preq.base_url = nx(provider->cfg.base_url);
    st->preq.api_key = nx(st->key);
    st->preq.stream = st->call.stream ? 1 : 0;
    nx_buf method, url, body;
    nx_headers headers;
    nx_http_request_out out{sizeof(nx_http_request_out), NX_FRAMING_NONE, &method, &url, &headers, &body};
    nx_call c = st->plugin_call();
    if (provider->plugin->provider->prepare(&c, provider->instance, &st->preq, &out) != NX_OK) {
        ApiError e = ApiError::invalid("provider '" + provider->name + "': " + c.error);
        return st->done(false, {}, std::move(e));
    }
    st->framing = out.framing;
    auto cr = make_client_request(provider->cfg, std::move(method.data), std::move(url.data), std::move(headers.items),
                                  std::move(body.data));
    if (st->call.total_timeout.count() > 0) cr.timeouts.total = std::min(cr.timeouts.total, st->call.total_timeout);
    net::ClientCallbacks cb;
    cb.on_headers = [st](int s, net::HeaderList&& h) { st->on_headers(s, std::move(h)); };
    cb.on_data = [st](std::string_view d) { return st->on_data(d); };
    cb.on_done = [st](net::ClientError err, const std::string& detail) { st->on_done(err, detail); };
    loop_http_client().send(std::move(cr), std::move(cb));
}

}  // namespace nexus::core
