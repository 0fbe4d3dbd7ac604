/* A provider built against the frozen v1.0 header only (tests/sdk/abi_v1), never against
 * sdk/include: the loader tests load it and call through its vtable, proving that a plugin
 * built for ABI 1.0 keeps working with the current host. */
#include "nexus/nexus.h"

#include <string.h>

static const nx_host_api* host;

static nx_str cstr(const char* s) {
    nx_str v;
    v.ptr = s;
    v.len = strlen(s);
    return v;
}

static nx_status create(nx_call* call, nx_str config_json, void** out_instance) {
    (void)call;
    (void)config_json;
    *out_instance = NULL;
    return NX_OK;
}

static void destroy(void* instance) { (void)instance; }

static nx_status prepare(nx_call* call, void* instance, const nx_provider_request* req, nx_http_request_out* out) {
    static const char path[] = "/frozen";
    (void)instance;
    if (req->op != NX_OP_CHAT) {
        host->set_error(call, cstr("frozen_v1: only chat is supported"));
        return NX_ERR_UNSUPPORTED;
    }
    if (host->buf_append(out->method, "POST", 4) != NX_OK) return NX_ERR_NOMEM;
    if (host->buf_append(out->url, req->base_url.ptr, req->base_url.len) != NX_OK) return NX_ERR_NOMEM;
    if (host->buf_append(out->url, path, sizeof path - 1) != NX_OK) return NX_ERR_NOMEM;
    if (host->headers_add(out->headers, cstr("x-frozen-abi"), cstr("1.0")) != NX_OK) return NX_ERR_NOMEM;
    if (host->buf_append(out->body, req->body.ptr, req->body.len) != NX_OK) return NX_ERR_NOMEM;
    out->framing = NX_FRAMING_NONE;
    return NX_OK;
}

static nx_status parse_response(nx_call* call, void* instance, const nx_provider_request* req,
                                const nx_http_response_in* resp, nx_buf* out) {
    (void)instance;
    (void)req;
    if (resp->status < 200 || resp->status > 299) {
        host->set_upstream_error(call, NX_EC_SERVER, resp->status, -1, cstr("frozen_v1: upstream failed"));
        return NX_ERR_UPSTREAM;
    }
    return host->buf_append(out, resp->body.ptr, resp->body.len);
}

static const nx_provider_vtable vtable = {sizeof(nx_provider_vtable), 0, create, destroy, prepare, parse_response,
                                          NULL, NULL, NULL, NULL};

static const nx_plugin_info info = {sizeof(nx_plugin_info), NX_ABI_MAJOR, NX_ABI_MINOR, NX_KIND_PROVIDER, 0,
                                    NX_CAP_CHAT, "frozen_v1", "1.0.0", "built against the frozen v1.0 header",
                                    &vtable, NULL};

NX_EXPORT nx_status nexus_plugin_init_v1(const nx_host_api* host_api, nx_call* call, const nx_plugin_info** out) {
    (void)call;
    host = host_api;
    *out = &info;
    return NX_OK;
}
