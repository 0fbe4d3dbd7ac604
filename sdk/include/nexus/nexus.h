/*
 * Nexus plugin SDK, ABI v1 — the stable C boundary between the Nexus host and its plugins.
 *
 * Modelled on SQLite's sqlite3ext.h (the host hands its services over in one table; the
 * plugin imports nothing from the host) and Envoy's dynamic-module abi.h (ownership is
 * written on every type, filter status codes drive the chain).
 *
 * Rules that keep this boundary stable:
 *  - One exported symbol per plugin: NX_PLUGIN_ENTRY_SYMBOL (see nx_plugin_init_fn).
 *  - abi_major must match exactly; abi_minor changes are additive only.
 *  - Every struct begins with `struct_size`. A reader never touches a field that lies
 *    beyond the struct_size the writer declared; a newer struct is read up to the size the
 *    reader knows. Tables are append-only; host functions added in a later minor may be
 *    NULL in an older host: check NX_HOST_HAS(host, fn) before calling them.
 *  - Only plain data crosses: byte views, opaque handles, fixed-width integers, enums with
 *    explicit values. No C++ types, no exceptions, no memory freed on the other side.
 *
 * Ownership vocabulary used on every pointer below:
 *  - "borrowed (call)":   valid only for the duration of the call that received it.
 *  - "static (plugin)":   owned by the plugin, valid until the library is unloaded.
 *  - "host-owned handle": opaque; the plugin writes through host functions, never frees.
 *  - "plugin-owned":      created by a plugin function, released by its matching destroy.
 *
 * The canonical JSON formats that cross this boundary are specified in
 * sdk/docs/canonical-format.md.
 */
#ifndef NEXUS_NEXUS_H
#define NEXUS_NEXUS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NX_ABI_MAJOR 1
#define NX_ABI_MINOR 2

#define NX_PLUGIN_ENTRY_SYMBOL "nexus_plugin_init_v1"

#if defined(_WIN32)
#define NX_EXPORT __declspec(dllexport)
#else
#define NX_EXPORT __attribute__((visibility("default")))
#endif

/* ---------------------------------------------------------------- basic types */

/* A byte view. Not NUL-terminated unless stated. Ownership is given where it is used. */
typedef struct nx_str {
    const char* ptr;
    size_t len;
} nx_str;

/* One HTTP header, both views borrowed from whoever holds the header list. */
typedef struct nx_header {
    nx_str name;
    nx_str value;
} nx_header;

typedef int32_t nx_status;
#define NX_OK 0
#define NX_ERR 1             /* generic failure; details through host->set_error */
#define NX_ERR_INVALID 2     /* the input was malformed (bad JSON, wrong type, ...) */
#define NX_ERR_UNSUPPORTED 3 /* the operation or field is not supported by this plugin */
#define NX_ERR_NOMEM 4
#define NX_ERR_UPSTREAM 5    /* parse_response classified an upstream error */

typedef int32_t nx_plugin_kind;
#define NX_KIND_PROVIDER 1
#define NX_KIND_MIDDLEWARE 2

/* Capability bits, reported in nx_plugin_info.capabilities. */
#define NX_CAP_CHAT ((uint64_t)1 << 0)
#define NX_CAP_STREAM ((uint64_t)1 << 1)
#define NX_CAP_EMBEDDINGS ((uint64_t)1 << 2)
#define NX_CAP_TOOLS ((uint64_t)1 << 3)
#define NX_CAP_VISION ((uint64_t)1 << 4)
#define NX_CAP_JSON_MODE ((uint64_t)1 << 5)
#define NX_CAP_LIST_MODELS ((uint64_t)1 << 6)
#define NX_CAP_NATIVE_ANTHROPIC ((uint64_t)1 << 7) /* v1.1: takes Anthropic Messages bodies as they are */
#define NX_CAP_PULL_MODELS ((uint64_t)1 << 8)      /* v1.1: supports NX_OP_PULL_MODEL */
#define NX_CAP_REQUEST_HOOK ((uint64_t)1 << 16) /* middleware: has on_request  */
#define NX_CAP_RESPONSE_HOOK ((uint64_t)1 << 17) /* middleware: has on_response */
#define NX_CAP_CHUNK_HOOK ((uint64_t)1 << 18)   /* middleware: has on_chunk    */
#define NX_CAP_COMPLETE_HOOK ((uint64_t)1 << 19) /* middleware: has on_complete */

typedef int32_t nx_log_level;
#define NX_LOG_TRACE 0
#define NX_LOG_DEBUG 1
#define NX_LOG_INFO 2
#define NX_LOG_WARN 3
#define NX_LOG_ERROR 4

/* What a request asks of a provider. */
typedef int32_t nx_op;
#define NX_OP_CHAT 1        /* canonical body: OpenAI chat.completions request */
#define NX_OP_EMBEDDINGS 2  /* canonical body: OpenAI embeddings request */
#define NX_OP_LIST_MODELS 3 /* no body; response: OpenAI {object:"list",data:[...]} */
#define NX_OP_PULL_MODEL 4  /* v1.1: body {"model":...}; streamed: each event becomes one progress
                               JSON {"status","digest"?,"total"?,"completed"?}; DONE on success */

/* How the host frames a streamed upstream body before calling stream_event. */
typedef int32_t nx_framing;
#define NX_FRAMING_NONE 0
#define NX_FRAMING_SSE 1    /* text/event-stream: one event per call, data lines joined by \n */
#define NX_FRAMING_NDJSON 2 /* one line per call, without its newline */

/* Why an upstream call failed: drives retry, fallback and the client-facing error. */
typedef int32_t nx_error_class;
#define NX_EC_NONE 0
#define NX_EC_INVALID_REQUEST 1 /* 400/422: never retried */
#define NX_EC_AUTHENTICATION 2  /* 401 */
#define NX_EC_PERMISSION 3      /* 403 */
#define NX_EC_NOT_FOUND 4       /* 404: model or endpoint unknown upstream */
#define NX_EC_CONTEXT_LENGTH 5  /* prompt exceeds the model's window */
#define NX_EC_RATE_LIMITED 6    /* 429 that may be retried after retry_after_ms */
#define NX_EC_QUOTA_EXHAUSTED 7 /* 429/402 that retrying will not fix */
#define NX_EC_SERVER 8          /* 500/502 */
#define NX_EC_OVERLOADED 9      /* 503/529 */
#define NX_EC_TIMEOUT 10        /* 408/504 */
#define NX_EC_CONTENT_FILTER 11
#define NX_EC_PROTOCOL 12       /* upstream bytes did not follow the protocol */
#define NX_EC_NETWORK 13        /* set by the host only: connect/reset/TLS */
#define NX_EC_INTERNAL 14       /* a plugin failed in a way no upstream caused */

/* Envoy-style chain control, returned by middleware request/response hooks. */
typedef int32_t nx_filter_status;
#define NX_FILTER_CONTINUE 0 /* go on to the next middleware */
#define NX_FILTER_RESPOND 1  /* short-circuit with the response set by host->respond */
#define NX_FILTER_REJECT 2   /* short-circuit with the error set by host->reject */
#define NX_FILTER_PENDING 3  /* the hook will finish later through host->resume */

/* Returned by on_chunk. */
typedef int32_t nx_chunk_status;
#define NX_CHUNK_PASS 0  /* forward the chunk (possibly changed through text_set / doc_set on NX_DOC_CHUNK) */
#define NX_CHUNK_DROP 1  /* do not forward this chunk */
#define NX_CHUNK_ABORT 2 /* end the stream with the error set by host->reject */

/* Returned by a provider's stream_event. */
typedef int32_t nx_stream_result;
#define NX_STREAM_CONTINUE 0 /* more events expected */
#define NX_STREAM_DONE 1     /* the upstream said the stream is complete */
#define NX_STREAM_ERROR 2    /* an in-band upstream error; see host->set_upstream_error */

/* Which canonical document a middleware accessor works on. */
typedef int32_t nx_doc;
#define NX_DOC_REQUEST 1
#define NX_DOC_RESPONSE 2
#define NX_DOC_CHUNK 3

/* ------------------------------------------------------------- opaque handles */

/* All handles are host-owned: the plugin never frees them, and keeps them only as long as
 * the text beside each one says. */
typedef struct nx_call nx_call;         /* one plugin call: error slot, log context; valid for the call */
typedef struct nx_buf nx_buf;           /* a growable byte buffer the plugin writes into; valid for the call */
typedef struct nx_headers nx_headers;   /* a header list the plugin appends to; valid for the call */
typedef struct nx_chunk_sink nx_chunk_sink; /* where a provider emits canonical chunks; valid for the call */
typedef struct nx_exchange nx_exchange; /* one client request in flight; valid until on_complete returns */

/* Completion callback of the asynchronous key-value service. `value` is borrowed (call);
 * `found` is 0 when the key did not exist; for incr, `number` holds the new value. The
 * callback may run on another thread than the caller, never before the call that started
 * it has returned. */
typedef void (*nx_kv_callback)(void* user, nx_status status, int32_t found, nx_str value, int64_t number);

/* ------------------------------------------------------------ the host table */

/* Token counts of one response (v1.2). -1: the upstream did not report that count. */
typedef struct nx_usage {
    uint32_t struct_size;
    uint32_t reserved;
    int64_t prompt_tokens;
    int64_t completion_tokens;
    int64_t cached_tokens;     /* the part of prompt_tokens served from the provider's cache */
} nx_usage;

typedef struct nx_host_api {
    uint32_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;

    /* Logging; `msg` borrowed (call). Never pass secrets. `call` may be NULL. */
    void (*log)(nx_call* call, nx_log_level level, nx_str msg);

    /* Record why the current call failed; the message is copied. Return a non-OK status after. */
    void (*set_error)(nx_call* call, nx_str message);

    /* Byte buffers. `data` is copied. */
    nx_status (*buf_append)(nx_buf* buf, const char* data, size_t len);
    void (*buf_clear)(nx_buf* buf);

    /* Append a header to a host-owned list; both views are copied. */
    nx_status (*headers_add)(nx_headers* headers, nx_str name, nx_str value);

    /* Provider calls: classify an upstream failure. `message` is copied; retry_after_ms < 0
     * means the upstream gave no hint. `upstream_status` is the HTTP status seen (0: none). */
    void (*set_upstream_error)(nx_call* call, nx_error_class cls, int32_t upstream_status,
                               int64_t retry_after_ms, nx_str message);

    /* Provider streaming: emit one canonical chunk (chat.completion.chunk JSON); copied. */
    nx_status (*emit_chunk)(nx_chunk_sink* sink, nx_str chunk_json);

    /* Clocks. */
    uint64_t (*now_unix_ms)(void);
    uint64_t (*monotonic_ns)(void);

    /* Metrics: add `value` to a counter. `name` is a Prometheus metric name, `labels` the
     * text between the braces (`a="x",b="y"`, may be empty); both copied. */
    void (*counter_add)(nx_str name, nx_str labels, double value);

    /* Asynchronous key-value service (memory or Redis, as configured). Keys are namespaced
     * per plugin by the host. ttl_ms == 0: no expiry. All strings are copied. */
    nx_status (*kv_get)(nx_call* call, nx_str key, nx_kv_callback cb, void* user);
    nx_status (*kv_set)(nx_call* call, nx_str key, nx_str value, uint64_t ttl_ms, nx_kv_callback cb, void* user);
    nx_status (*kv_incr)(nx_call* call, nx_str key, int64_t delta, uint64_t ttl_ms, nx_kv_callback cb, void* user);
    nx_status (*kv_del)(nx_call* call, nx_str key, nx_kv_callback cb, void* user);

    /* Middleware: finish a hook that returned NX_FILTER_PENDING. Thread-safe. A hook that
     * returns PENDING must call this exactly once; the exchange stays valid (and the request
     * waits, even if the client leaves) until it does. */
    void (*resume)(nx_exchange* ex, nx_filter_status status);

    /* Middleware: read the canonical document (request, response, or current chunk) as
     * compact JSON. The view is borrowed until the next call that changes the exchange. */
    nx_status (*doc_json)(nx_exchange* ex, nx_doc doc, nx_str* out);
    /* Read one value by JSON Pointer (RFC 6901), serialized as JSON into `out`.
     * Returns NX_ERR_INVALID when the pointer resolves to nothing. */
    nx_status (*doc_get)(nx_exchange* ex, nx_doc doc, nx_str json_pointer, nx_buf* out);
    /* Set one value by JSON Pointer; `json_value` is parsed and copied. Creates missing
     * object members along the path. */
    nx_status (*doc_set)(nx_exchange* ex, nx_doc doc, nx_str json_pointer, nx_str json_value);

    /* The text parts of a document (message contents, content-part texts, deltas), in order.
     * Redaction uses these to rewrite text without re-parsing. `out` borrowed as doc_json. */
    size_t (*text_count)(nx_exchange* ex, nx_doc doc);
    nx_status (*text_get)(nx_exchange* ex, nx_doc doc, size_t index, nx_str* out);
    nx_status (*text_set)(nx_exchange* ex, nx_doc doc, size_t index, nx_str text);

    /* Request headers from the client (name case-insensitive; borrowed as doc_json), and
     * headers to add to the client's response (copied). */
    nx_status (*request_header)(nx_exchange* ex, nx_str name, nx_str* out);
    nx_status (*response_header_set)(nx_exchange* ex, nx_str name, nx_str value);

    /* Per-request string attributes shared along the chain and reported in on_complete,
     * e.g. "key_id", "cache". Well-known read-only ones: "request_id", "model", "route",
     * "client_ip", "ingress" ("openai" | "anthropic"), "stream" ("true" | "false"),
     * "prompt_tokens_estimate" (the host's estimate, decimal), "attempts" (each upstream
     * attempt, set before on_complete, "[]" until then: a compact JSON array of
     * {"provider","model","outcome","status","ms"}, where outcome is "ok", an error class
     * name as in /metrics ("rate_limited", "server", "overloaded", "timeout", "network",
     * "protocol", ...) or "cancelled", status the upstream's HTTP status (0: none came) and
     * ms the attempt's duration; targets skipped for an open circuit are not attempts).
     * Setting "chain" in on_request names a configured chain that runs after the current
     * one (once per request): how a virtual key brings its own middleware. */
    nx_status (*attr_get)(nx_exchange* ex, nx_str name, nx_str* out);
    nx_status (*attr_set)(nx_exchange* ex, nx_str name, nx_str value);

    /* Short-circuit: `respond` sets a canonical response (a chat.completion JSON, replayed
     * as a stream when the client asked for one); `reject` sets an error. Then return
     * NX_FILTER_RESPOND / NX_FILTER_REJECT. Both copy. */
    nx_status (*respond)(nx_exchange* ex, int32_t http_status, nx_str canonical_json);
    nx_status (*reject)(nx_exchange* ex, int32_t http_status, nx_str error_type, nx_str message);

    /* v1.1. Middleware, during create only: the NX_CAP_*_HOOK bits this instance really uses
     * (e.g. a redactor configured for requests only). The host then skips the other hooks
     * for this instance: no per-chunk work, and same-wire relay stays possible. Without the
     * call, an instance uses every hook its plugin declares. */
    void (*set_instance_hooks)(nx_call* call, uint64_t hook_caps);

    /* v1.2. Providers, during parse_response: the token counts the upstream reported for
     * this response (`usage` borrowed, call). The host then takes them from here instead of
     * reading the canonical response a second time; without the call it reads them itself. */
    void (*report_usage)(nx_call* call, const nx_usage* usage);
} nx_host_api;

/* True when `host` is new enough to have function `fn` and it is not NULL. */
#define NX_HOST_HAS(host, fn) \
    ((host)->struct_size >= offsetof(nx_host_api, fn) + sizeof((host)->fn) && (host)->fn != NULL)

/* ------------------------------------------------------------ provider table */

/* What the host asks a provider to send upstream. Every view is borrowed (call). */
typedef struct nx_provider_request {
    uint32_t struct_size;
    nx_op op;
    nx_str body;           /* canonical JSON (see canonical-format.md); empty for LIST_MODELS */
    nx_str upstream_model; /* the model name to send upstream (already routed) */
    nx_str base_url;       /* e.g. "https://api.openai.com/v1", no trailing slash */
    nx_str api_key;        /* the credential chosen by the host; may be empty. Never log it. */
    const nx_header* client_headers; /* the client's request headers; borrowed (call) */
    size_t client_header_count;
    int32_t stream;        /* 1 when the client asked for a stream */
    int32_t reserved;
    /* v1.1: same-wire passthrough. Set only for a provider that declares the matching
     * NX_CAP_NATIVE_* bit, when the client spoke that provider's own wire format and no
     * middleware changed the request: the provider should send `native_body` (the client's
     * bytes; replace only the model) instead of translating `body`, and forward the client's
     * provider-specific headers (e.g. anthropic-beta). Its upstream responses are then
     * relayed to the client unchanged. Empty otherwise. Borrowed (call). */
    nx_str native_format;  /* "anthropic" */
    nx_str native_body;
} nx_provider_request;

/* Where a provider writes the upstream HTTP request. Handles are host-owned (call). */
typedef struct nx_http_request_out {
    uint32_t struct_size;
    nx_framing framing;  /* set by the plugin: how to frame a streamed response */
    nx_buf* method;      /* e.g. "POST" */
    nx_buf* url;         /* absolute URL, usually base_url + path */
    nx_headers* headers; /* content-type, auth, version headers ... */
    nx_buf* body;
} nx_http_request_out;

/* An upstream HTTP response (complete body), borrowed (call). */
typedef struct nx_http_response_in {
    uint32_t struct_size;
    int32_t status;
    const nx_header* headers;
    size_t header_count;
    nx_str body;
} nx_http_response_in;

/* One framed upstream stream event, borrowed (call). For NDJSON `event` is empty. */
typedef struct nx_stream_event {
    uint32_t struct_size;
    int32_t reserved;
    nx_str event; /* SSE `event:` name, empty when absent */
    nx_str data;  /* SSE data lines joined by "\n", or one NDJSON line */
    nx_str id;    /* SSE `id:`, empty when absent */
} nx_stream_event;

typedef struct nx_provider_vtable {
    uint32_t struct_size;
    uint32_t reserved;

    /* One instance per configured provider. `config_json` (borrowed) is the provider's YAML
     * block as JSON, without keys. *out_instance is plugin-owned until destroy. */
    nx_status (*create)(nx_call* call, nx_str config_json, void** out_instance);
    void (*destroy)(void* instance);

    /* Build the upstream request. Thread-safe: called concurrently on one instance. */
    nx_status (*prepare)(nx_call* call, void* instance, const nx_provider_request* req,
                         nx_http_request_out* out);

    /* Turn a complete upstream response into a canonical response (chat.completion,
     * embeddings list, or models list) written to `out`. For a non-2xx status, or a 2xx body
     * that carries an error, call host->set_upstream_error and return NX_ERR_UPSTREAM. */
    nx_status (*parse_response)(nx_call* call, void* instance, const nx_provider_request* req,
                                const nx_http_response_in* resp, nx_buf* out);

    /* Streaming. stream_open is called once the upstream answered 2xx; *out_state is
     * plugin-owned until stream_close. stream_event translates one framed event into zero
     * or more canonical chunks through host->emit_chunk. stream_finish runs at upstream EOF
     * (may emit final chunks; returns NX_ERR_UPSTREAM if the stream was cut short). */
    nx_status (*stream_open)(nx_call* call, void* instance, const nx_provider_request* req,
                             void** out_state);
    nx_stream_result (*stream_event)(nx_call* call, void* instance, void* state,
                                     const nx_stream_event* ev, nx_chunk_sink* sink);
    nx_status (*stream_finish)(nx_call* call, void* instance, void* state, nx_chunk_sink* sink);
    void (*stream_close)(void* instance, void* state);
} nx_provider_vtable;

/* ---------------------------------------------------------- middleware table */

/* What on_complete learns about a finished request. Views borrowed (call). */
typedef struct nx_completion {
    uint32_t struct_size;
    int32_t http_status;       /* what the client got */
    nx_error_class error_class;/* NX_EC_NONE on success */
    int32_t cache_hit;         /* 1 when served without an upstream call */
    int64_t prompt_tokens;     /* -1 when unknown */
    int64_t completion_tokens; /* -1 when unknown */
    int64_t cached_tokens;     /* -1 when unknown */
    double cost_usd;           /* -1 when unknown */
    uint64_t latency_us;       /* client request received -> last byte sent */
    uint64_t upstream_latency_us; /* 0 when no upstream call */
    uint32_t attempts;
    uint32_t reserved;
    nx_str outcome;            /* "ok" | "error" | "rejected" | "responded" | "cancelled" */
    nx_str provider;           /* final provider name, empty when none */
    nx_str upstream_model;
} nx_completion;

typedef struct nx_middleware_vtable {
    uint32_t struct_size;
    uint32_t reserved;

    /* One instance per chain entry. `config_json` (borrowed) is the entry's YAML as JSON
     * ("{}" when it had none). On a bad config: host->set_error naming the field, and
     * return NX_ERR_INVALID. *out_instance is plugin-owned until destroy. */
    nx_status (*create)(nx_call* call, nx_str config_json, void** out_instance);
    void (*destroy)(void* instance);

    /* Hooks; any may be NULL. Called concurrently on one instance from several threads. */
    nx_filter_status (*on_request)(nx_call* call, void* instance, nx_exchange* ex);
    nx_filter_status (*on_response)(nx_call* call, void* instance, nx_exchange* ex);
    nx_chunk_status (*on_chunk)(nx_call* call, void* instance, nx_exchange* ex);
    void (*on_complete)(nx_call* call, void* instance, nx_exchange* ex, const nx_completion* info);
} nx_middleware_vtable;

/* ---------------------------------------------------------------- plugin info */

/* The fields up to and including `name` keep their offsets in every ABI major, so that any
 * host can read abi_major and name a plugin it refuses. */
typedef struct nx_plugin_info {
    uint32_t struct_size;
    uint16_t abi_major;        /* NX_ABI_MAJOR the plugin was built with */
    uint16_t abi_minor;
    nx_plugin_kind kind;
    uint32_t reserved;
    uint64_t capabilities;     /* NX_CAP_* bits */
    const char* name;          /* static (plugin), NUL-terminated, [a-z0-9_-]+ */
    const char* version;       /* static (plugin), NUL-terminated */
    const char* description;   /* static (plugin), NUL-terminated, may be NULL */
    const nx_provider_vtable* provider;     /* static (plugin); set when kind == PROVIDER */
    const nx_middleware_vtable* middleware; /* static (plugin); set when kind == MIDDLEWARE */
} nx_plugin_info;

/* The one exported entry point, named NX_PLUGIN_ENTRY_SYMBOL. `host` stays valid until the
 * library is unloaded. On success *out_info points to static (plugin) data. On failure call
 * host->set_error(call, ...) and return non-OK; the host refuses the plugin with that
 * message. The host reads abi_major before anything else in *out_info. */
typedef nx_status (*nx_plugin_init_fn)(const nx_host_api* host, nx_call* call,
                                       const nx_plugin_info** out_info);

/* The smallest struct sizes a v1 host accepts (the v1.0 layouts). */
#define NX_PLUGIN_INFO_V1_SIZE 64u
#define NX_PROVIDER_VTABLE_V1_SIZE 72u
#define NX_MIDDLEWARE_VTABLE_V1_SIZE 56u

#ifdef __cplusplus
} /* extern "C" */
#endif

/* Layout pins: these only change with NX_ABI_MAJOR. */
#if defined(__cplusplus)
#define NX_STATIC_ASSERT(c, m) static_assert(c, m)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define NX_STATIC_ASSERT(c, m) _Static_assert(c, m)
#else
#define NX_STATIC_ASSERT_CAT2(a, b) a##b
#define NX_STATIC_ASSERT_CAT(a, b) NX_STATIC_ASSERT_CAT2(a, b)
#define NX_STATIC_ASSERT(c, m) typedef char NX_STATIC_ASSERT_CAT(nx_static_assert_, __LINE__)[(c) ? 1 : -1]
#endif

#if UINTPTR_MAX == 0xffffffffffffffffu
NX_STATIC_ASSERT(sizeof(nx_str) == 16, "nx_str layout");
NX_STATIC_ASSERT(sizeof(nx_header) == 32, "nx_header layout");
NX_STATIC_ASSERT(sizeof(nx_plugin_info) == NX_PLUGIN_INFO_V1_SIZE, "nx_plugin_info v1 layout");
NX_STATIC_ASSERT(offsetof(nx_plugin_info, capabilities) == 16, "nx_plugin_info layout");
NX_STATIC_ASSERT(offsetof(nx_plugin_info, provider) == 48, "nx_plugin_info layout");
NX_STATIC_ASSERT(sizeof(nx_provider_vtable) == NX_PROVIDER_VTABLE_V1_SIZE, "provider vtable v1 layout");
NX_STATIC_ASSERT(sizeof(nx_middleware_vtable) == NX_MIDDLEWARE_VTABLE_V1_SIZE, "middleware vtable v1 layout");
NX_STATIC_ASSERT(sizeof(nx_provider_request) == 128, "nx_provider_request v1.1 layout");
NX_STATIC_ASSERT(offsetof(nx_provider_request, native_format) == 96, "nx_provider_request v1.0 prefix");
NX_STATIC_ASSERT(sizeof(nx_http_request_out) == 40, "nx_http_request_out v1 layout");
NX_STATIC_ASSERT(sizeof(nx_http_response_in) == 40, "nx_http_response_in v1 layout");
NX_STATIC_ASSERT(sizeof(nx_stream_event) == 56, "nx_stream_event v1 layout");
NX_STATIC_ASSERT(sizeof(nx_completion) == 120, "nx_completion v1 layout");
NX_STATIC_ASSERT(offsetof(nx_host_api, log) == 8, "nx_host_api layout");
NX_STATIC_ASSERT(sizeof(nx_usage) == 32, "nx_usage v1.2 layout");
#endif

#endif /* NEXUS_NEXUS_H */
