// Header-only C++ wrapper over the Nexus C ABI (nexus.h).
//
// A plugin derives from nexus::sdk::Provider or nexus::sdk::Middleware and exports itself
// with NEXUS_PROVIDER_PLUGIN / NEXUS_MIDDLEWARE_PLUGIN. Everything here lives in the plugin's
// own binary: no C++ type crosses the boundary, and every boundary function catches every
// exception and turns it into a status plus a host error message.
//
// Build plugins with hidden visibility (CMake's nexus_add_plugin sets it), so that the
// per-plugin state below (detail::g_host) is private to each plugin library.
#ifndef NEXUS_NEXUS_HPP
#define NEXUS_NEXUS_HPP

#include "nexus/nexus.h"

#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace nexus::sdk {

inline nx_str to_nx(std::string_view s) noexcept { return nx_str{s.data(), s.size()}; }
inline std::string_view to_sv(nx_str s) noexcept { return s.ptr ? std::string_view(s.ptr, s.len) : std::string_view(); }

namespace detail {
// The host table handed to this plugin's entry point; valid until the library is unloaded.
inline const nx_host_api* g_host = nullptr;
}  // namespace detail

inline const nx_host_api& host() { return *detail::g_host; }

// Thrown by plugin code to fail a call with a status and message.
class Error : public std::runtime_error {
public:
    Error(nx_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
    nx_status status() const noexcept { return status_; }

private:
    nx_status status_;
};

// Thrown by parse_response / stream code to classify an upstream failure.
class UpstreamError : public std::runtime_error {
public:
    UpstreamError(nx_error_class cls, int32_t upstream_status, int64_t retry_after_ms, const std::string& message)
        : std::runtime_error(message), cls_(cls), upstream_status_(upstream_status), retry_after_ms_(retry_after_ms) {}
    nx_error_class error_class() const noexcept { return cls_; }
    int32_t upstream_status() const noexcept { return upstream_status_; }
    int64_t retry_after_ms() const noexcept { return retry_after_ms_; }

private:
    nx_error_class cls_;
    int32_t upstream_status_;
    int64_t retry_after_ms_;
};

// One plugin call: logging and error reporting. Valid only during the call.
class Call {
public:
    explicit Call(nx_call* c) noexcept : c_(c) {}
    nx_call* raw() const noexcept { return c_; }
    void log(nx_log_level level, std::string_view msg) const { host().log(c_, level, to_nx(msg)); }
    void error(std::string_view msg) const { host().set_error(c_, to_nx(msg)); }
    // Middleware constructors: the NX_CAP_*_HOOK bits this instance uses (see nexus.h).
    void use_hooks(uint64_t hook_caps) const {
        if (NX_HOST_HAS(&host(), set_instance_hooks)) host().set_instance_hooks(c_, hook_caps);
    }
    // Providers, in parse_response: the token counts the upstream reported (-1: not given).
    // A host older than v1.2 reads them from the canonical response instead.
    void report_usage(int64_t prompt_tokens, int64_t completion_tokens, int64_t cached_tokens = -1) const {
        if (!NX_HOST_HAS(&host(), report_usage)) return;
        nx_usage u{sizeof(nx_usage), 0, prompt_tokens, completion_tokens, cached_tokens};
        host().report_usage(c_, &u);
    }
    void upstream_error(const UpstreamError& e) const {
        host().set_upstream_error(c_, e.error_class(), e.upstream_status(), e.retry_after_ms(), to_nx(e.what()));
    }

private:
    nx_call* c_;
};

// A host-owned output buffer; writes are copied into host memory at once.
class Buf {
public:
    explicit Buf(nx_buf* b) noexcept : b_(b) {}
    Buf& append(std::string_view s) {
        nx_status st = host().buf_append(b_, s.data(), s.size());
        if (st != NX_OK) throw Error(st, "host buf_append failed");
        return *this;
    }
    Buf& operator<<(std::string_view s) { return append(s); }
    void clear() { host().buf_clear(b_); }
    void assign(std::string_view s) { clear(); append(s); }

private:
    nx_buf* b_;
};

// Headers of an HTTP message, borrowed for the call.
class HeaderView {
public:
    HeaderView(const nx_header* h, size_t n) noexcept : h_(h), n_(n) {}
    std::optional<std::string_view> get(std::string_view name) const {
        for (size_t i = 0; i < n_; ++i) {
            std::string_view k = to_sv(h_[i].name);
            if (k.size() == name.size() && strncasecmp_(k, name)) return to_sv(h_[i].value);
        }
        return std::nullopt;
    }
    std::span<const nx_header> all() const noexcept { return {h_, n_}; }

private:
    static bool strncasecmp_(std::string_view a, std::string_view b) noexcept {
        for (size_t i = 0; i < a.size(); ++i) {
            char x = a[i], y = b[i];
            if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
            if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
            if (x != y) return false;
        }
        return true;
    }
    const nx_header* h_;
    size_t n_;
};

// ------------------------------------------------------------------ providers

struct ProviderRequest {
    explicit ProviderRequest(const nx_provider_request* r)
        : op(r->op), body(to_sv(r->body)), upstream_model(to_sv(r->upstream_model)), base_url(to_sv(r->base_url)),
          api_key(to_sv(r->api_key)), stream(r->stream != 0), client_headers(r->client_headers, r->client_header_count) {
        if (r->struct_size >= offsetof(nx_provider_request, native_body) + sizeof(nx_str)) {
            native_format = to_sv(r->native_format);
            native_body = to_sv(r->native_body);
        }
    }
    nx_op op;
    std::string_view body;
    std::string_view upstream_model;
    std::string_view base_url;
    std::string_view api_key;  // never log
    bool stream;
    HeaderView client_headers;
    std::string_view native_format;  // v1.1: "anthropic" when native_body should be sent as is
    std::string_view native_body;
};

// Where prepare() writes the upstream request; every write goes straight to the host.
class HttpRequestOut {
public:
    explicit HttpRequestOut(nx_http_request_out* o) noexcept : o_(o) {}
    void method(std::string_view m) { Buf(o_->method).assign(m); }
    void url(std::string_view u) { Buf(o_->url).assign(u); }
    void header(std::string_view name, std::string_view value) {
        // The host refuses names that are not HTTP tokens and values holding CR, LF or NUL.
        nx_status st = host().headers_add(o_->headers, to_nx(name), to_nx(value));
        if (st != NX_OK) throw Error(st, "host refused header '" + std::string(name) + "'");
    }
    Buf body() noexcept { return Buf(o_->body); }
    void framing(nx_framing f) noexcept { o_->framing = f; }

private:
    nx_http_request_out* o_;
};

struct HttpResponse {
    explicit HttpResponse(const nx_http_response_in* r)
        : status(r->status), headers(r->headers, r->header_count), body(to_sv(r->body)) {}
    int32_t status;
    HeaderView headers;
    std::string_view body;
};

struct StreamEvent {
    explicit StreamEvent(const nx_stream_event* e) : event(to_sv(e->event)), data(to_sv(e->data)), id(to_sv(e->id)) {}
    std::string_view event;
    std::string_view data;
    std::string_view id;
};

class ChunkSink {
public:
    explicit ChunkSink(nx_chunk_sink* s) noexcept : s_(s) {}
    void emit(std::string_view chunk_json) {
        if (host().emit_chunk(s_, to_nx(chunk_json)) != NX_OK) throw Error(NX_ERR, "emit_chunk failed");
    }

private:
    nx_chunk_sink* s_;
};

// Per-request stream translation state.
class ProviderStream {
public:
    virtual ~ProviderStream() = default;
    virtual nx_stream_result on_event(Call& call, const StreamEvent& ev, ChunkSink& sink) = 0;
    // Upstream EOF. Throw UpstreamError when the stream ended before its terminator.
    virtual void finish(Call& call, ChunkSink& sink) { (void)call; (void)sink; }
};

// Base class of provider plugins. One instance per configured provider; its methods are
// called concurrently from several threads, so keep per-request state in ProviderStream.
class Provider {
public:
    virtual ~Provider() = default;
    virtual void prepare(Call& call, const ProviderRequest& req, HttpRequestOut& out) = 0;
    // Write the canonical response to `out`, or throw UpstreamError.
    virtual void parse_response(Call& call, const ProviderRequest& req, const HttpResponse& resp, Buf& out) = 0;
    virtual std::unique_ptr<ProviderStream> open_stream(Call& call, const ProviderRequest& req) {
        (void)call; (void)req;
        throw Error(NX_ERR_UNSUPPORTED, "this provider does not stream");
    }
};

// ----------------------------------------------------------------- middleware

// One client request in flight, as a middleware sees it.
class Exchange {
public:
    explicit Exchange(nx_exchange* ex) noexcept : ex_(ex) {}
    nx_exchange* raw() const noexcept { return ex_; }

    std::string_view json(nx_doc doc) const {
        nx_str out{nullptr, 0};
        check(host().doc_json(ex_, doc, &out), "doc_json");
        return to_sv(out);
    }
    size_t text_count(nx_doc doc) const { return host().text_count(ex_, doc); }
    std::string_view text(nx_doc doc, size_t i) const {
        nx_str out{nullptr, 0};
        check(host().text_get(ex_, doc, i, &out), "text_get");
        return to_sv(out);
    }
    void set_text(nx_doc doc, size_t i, std::string_view t) { check(host().text_set(ex_, doc, i, to_nx(t)), "text_set"); }
    void set(nx_doc doc, std::string_view pointer, std::string_view json_value) {
        check(host().doc_set(ex_, doc, to_nx(pointer), to_nx(json_value)), "doc_set");
    }
    std::optional<std::string_view> header(std::string_view name) const {
        nx_str out{nullptr, 0};
        if (host().request_header(ex_, to_nx(name), &out) != NX_OK) return std::nullopt;
        return to_sv(out);
    }
    void set_response_header(std::string_view name, std::string_view value) {
        check(host().response_header_set(ex_, to_nx(name), to_nx(value)), "response_header_set");
    }
    std::optional<std::string_view> attr(std::string_view name) const {
        nx_str out{nullptr, 0};
        if (host().attr_get(ex_, to_nx(name), &out) != NX_OK) return std::nullopt;
        return to_sv(out);
    }
    void set_attr(std::string_view name, std::string_view value) { check(host().attr_set(ex_, to_nx(name), to_nx(value)), "attr_set"); }
    nx_filter_status respond(int32_t status, std::string_view canonical_json) {
        check(host().respond(ex_, status, to_nx(canonical_json)), "respond");
        return NX_FILTER_RESPOND;
    }
    nx_filter_status reject(int32_t status, std::string_view type, std::string_view message) {
        check(host().reject(ex_, status, to_nx(type), to_nx(message)), "reject");
        return NX_FILTER_REJECT;
    }
    void resume(nx_filter_status st) { host().resume(ex_, st); }

private:
    static void check(nx_status st, const char* what) {
        if (st != NX_OK) throw Error(st, std::string("host ") + what + " failed");
    }
    nx_exchange* ex_;
};

// Base class of middleware plugins. One instance per chain entry, shared by all threads.
class Middleware {
public:
    virtual ~Middleware() = default;
    virtual nx_filter_status on_request(Call&, Exchange&) { return NX_FILTER_CONTINUE; }
    virtual nx_filter_status on_response(Call&, Exchange&) { return NX_FILTER_CONTINUE; }
    virtual nx_chunk_status on_chunk(Call&, Exchange&) { return NX_CHUNK_PASS; }
    virtual void on_complete(Call&, Exchange&, const nx_completion&) {}
};

// Key-value service with C++ callbacks (the callback may run on another thread).
using KvCallback = std::function<void(nx_status, std::optional<std::string_view> value, int64_t number)>;

namespace detail {
inline void kv_trampoline(void* user, nx_status st, int32_t found, nx_str value, int64_t number) {
    std::unique_ptr<KvCallback> cb(static_cast<KvCallback*>(user));
    try {
        (*cb)(st, found ? std::optional<std::string_view>(to_sv(value)) : std::nullopt, number);
    } catch (...) {
        host().log(nullptr, NX_LOG_ERROR, to_nx("exception in a key-value callback"));
    }
}
template <class Start>
nx_status kv_start(KvCallback cb, Start start) {
    auto* holder = new KvCallback(std::move(cb));
    nx_status st = start(holder);
    if (st != NX_OK) delete holder;
    return st;
}
}  // namespace detail

inline nx_status kv_get(Call& c, std::string_view key, KvCallback cb) {
    return detail::kv_start(std::move(cb), [&](KvCallback* h) { return host().kv_get(c.raw(), to_nx(key), detail::kv_trampoline, h); });
}
inline nx_status kv_set(Call& c, std::string_view key, std::string_view value, uint64_t ttl_ms, KvCallback cb) {
    return detail::kv_start(std::move(cb), [&](KvCallback* h) {
        return host().kv_set(c.raw(), to_nx(key), to_nx(value), ttl_ms, detail::kv_trampoline, h);
    });
}
inline nx_status kv_incr(Call& c, std::string_view key, int64_t delta, uint64_t ttl_ms, KvCallback cb) {
    return detail::kv_start(std::move(cb), [&](KvCallback* h) {
        return host().kv_incr(c.raw(), to_nx(key), delta, ttl_ms, detail::kv_trampoline, h);
    });
}
inline nx_status kv_del(Call& c, std::string_view key, KvCallback cb) {
    return detail::kv_start(std::move(cb), [&](KvCallback* h) { return host().kv_del(c.raw(), to_nx(key), detail::kv_trampoline, h); });
}

inline void counter_add(std::string_view name, std::string_view labels, double v) {
    host().counter_add(to_nx(name), to_nx(labels), v);
}

// ------------------------------------------------------------ boundary guards

namespace detail {

// Runs `fn`, turning every exception into a status plus a host error message.
template <class Fn>
nx_status guard(nx_call* c, Fn&& fn) noexcept {
    try {
        fn();
        return NX_OK;
    } catch (const UpstreamError& e) {
        try { Call(c).upstream_error(e); } catch (...) {}
        return NX_ERR_UPSTREAM;
    } catch (const Error& e) {
        try { Call(c).error(e.what()); } catch (...) {}
        return e.status();
    } catch (const std::bad_alloc&) {
        return NX_ERR_NOMEM;
    } catch (const std::exception& e) {
        try { Call(c).error(e.what()); } catch (...) {}
        return NX_ERR;
    } catch (...) {
        try { Call(c).error("unknown exception"); } catch (...) {}
        return NX_ERR;
    }
}

template <class T>
struct ProviderAdapter {
    static nx_status create(nx_call* c, nx_str cfg, void** out) {
        return guard(c, [&] {
            Call call(c);
            *out = static_cast<Provider*>(new T(call, to_sv(cfg)));
        });
    }
    static void destroy(void* inst) { delete static_cast<Provider*>(inst); }
    static nx_status prepare(nx_call* c, void* inst, const nx_provider_request* r, nx_http_request_out* o) {
        return guard(c, [&] {
            Call call(c);
            ProviderRequest req(r);
            HttpRequestOut out(o);
            static_cast<Provider*>(inst)->prepare(call, req, out);
        });
    }
    static nx_status parse_response(nx_call* c, void* inst, const nx_provider_request* r, const nx_http_response_in* resp,
                                    nx_buf* out) {
        return guard(c, [&] {
            Call call(c);
            ProviderRequest req(r);
            HttpResponse response(resp);
            Buf buf(out);
            static_cast<Provider*>(inst)->parse_response(call, req, response, buf);
        });
    }
    static nx_status stream_open(nx_call* c, void* inst, const nx_provider_request* r, void** state) {
        return guard(c, [&] {
            Call call(c);
            ProviderRequest req(r);
            *state = static_cast<Provider*>(inst)->open_stream(call, req).release();
        });
    }
    static nx_stream_result stream_event(nx_call* c, void*, void* state, const nx_stream_event* ev, nx_chunk_sink* s) {
        nx_stream_result result = NX_STREAM_ERROR;
        nx_status st = guard(c, [&] {
            Call call(c);
            StreamEvent event(ev);
            ChunkSink sink(s);
            result = static_cast<ProviderStream*>(state)->on_event(call, event, sink);
        });
        return st == NX_OK ? result : NX_STREAM_ERROR;
    }
    static nx_status stream_finish(nx_call* c, void*, void* state, nx_chunk_sink* s) {
        return guard(c, [&] {
            Call call(c);
            ChunkSink sink(s);
            static_cast<ProviderStream*>(state)->finish(call, sink);
        });
    }
    static void stream_close(void*, void* state) { delete static_cast<ProviderStream*>(state); }

    static constexpr nx_provider_vtable vtable{sizeof(nx_provider_vtable), 0, &create, &destroy, &prepare,
                                               &parse_response, &stream_open, &stream_event, &stream_finish,
                                               &stream_close};
};

template <class T>
struct MiddlewareAdapter {
    static Middleware* self(void* inst) { return static_cast<Middleware*>(inst); }
    static nx_status create(nx_call* c, nx_str cfg, void** out) {
        return guard(c, [&] {
            Call call(c);
            *out = static_cast<Middleware*>(new T(call, to_sv(cfg)));
        });
    }
    static void destroy(void* inst) { delete self(inst); }
    // A hook that throws rejects the request with a 500 naming the failure; the host
    // applies the middleware's on_error policy.
    static nx_filter_status on_request(nx_call* c, void* inst, nx_exchange* ex) {
        nx_filter_status r = NX_FILTER_CONTINUE;
        nx_status st = guard(c, [&] { Call call(c); Exchange e(ex); r = self(inst)->on_request(call, e); });
        return st == NX_OK ? r : NX_FILTER_REJECT;
    }
    static nx_filter_status on_response(nx_call* c, void* inst, nx_exchange* ex) {
        nx_filter_status r = NX_FILTER_CONTINUE;
        nx_status st = guard(c, [&] { Call call(c); Exchange e(ex); r = self(inst)->on_response(call, e); });
        return st == NX_OK ? r : NX_FILTER_REJECT;
    }
    static nx_chunk_status on_chunk(nx_call* c, void* inst, nx_exchange* ex) {
        nx_chunk_status r = NX_CHUNK_PASS;
        nx_status st = guard(c, [&] { Call call(c); Exchange e(ex); r = self(inst)->on_chunk(call, e); });
        return st == NX_OK ? r : NX_CHUNK_ABORT;
    }
    static void on_complete(nx_call* c, void* inst, nx_exchange* ex, const nx_completion* info) {
        (void)guard(c, [&] { Call call(c); Exchange e(ex); self(inst)->on_complete(call, e, *info); });
    }

    static constexpr nx_middleware_vtable vtable{sizeof(nx_middleware_vtable), 0, &create, &destroy,
                                                 &on_request, &on_response, &on_chunk, &on_complete};
};

inline nx_status init_plugin(const nx_host_api* host_api, nx_call* call, const nx_plugin_info** out,
                             const nx_plugin_info* info) {
    (void)call;
    if (host_api == nullptr || out == nullptr) return NX_ERR_INVALID;
    if (host_api->abi_major != NX_ABI_MAJOR) {
        // The host refuses us anyway; say why from our side too.
        *out = info;
        return NX_OK;
    }
    g_host = host_api;
    *out = info;
    return NX_OK;
}

}  // namespace detail
}  // namespace nexus::sdk

// Export a provider plugin. `Class` derives from nexus::sdk::Provider and has a constructor
// Class(nexus::sdk::Call&, std::string_view config_json) that throws on a bad config.
#define NEXUS_PROVIDER_PLUGIN(Class, name_, version_, description_, capabilities_)                              \
    extern "C" NX_EXPORT nx_status nexus_plugin_init_v1(const nx_host_api* host, nx_call* call,                 \
                                                        const nx_plugin_info** out) {                           \
        static const nx_plugin_info info{sizeof(nx_plugin_info), NX_ABI_MAJOR, NX_ABI_MINOR, NX_KIND_PROVIDER,   \
                                         0, (capabilities_), (name_), (version_), (description_),              \
                                         &::nexus::sdk::detail::ProviderAdapter<Class>::vtable, nullptr};       \
        return ::nexus::sdk::detail::init_plugin(host, call, out, &info);                                        \
    }

// Export a middleware plugin. `Class` derives from nexus::sdk::Middleware and has a
// constructor Class(nexus::sdk::Call&, std::string_view config_json).
#define NEXUS_MIDDLEWARE_PLUGIN(Class, name_, version_, description_, capabilities_)                            \
    extern "C" NX_EXPORT nx_status nexus_plugin_init_v1(const nx_host_api* host, nx_call* call,                 \
                                                        const nx_plugin_info** out) {                           \
        static const nx_plugin_info info{sizeof(nx_plugin_info), NX_ABI_MAJOR, NX_ABI_MINOR, NX_KIND_MIDDLEWARE, \
                                         0, (capabilities_), (name_), (version_), (description_), nullptr,      \
                                         &::nexus::sdk::detail::MiddlewareAdapter<Class>::vtable};              \
        return ::nexus::sdk::detail::init_plugin(host, call, out, &info);                                        \
    }

#endif  // NEXUS_NEXUS_HPP
