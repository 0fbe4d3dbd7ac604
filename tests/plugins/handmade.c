/* Plugins written by hand against the raw C ABI (no C++ wrapper), one per NX_TEST_VARIANT
 * (see CMakeLists.txt). Most are broken on purpose: each shows the loader one way a plugin
 * can be unusable. newer_minor and dup_a/dup_b are valid. */
#include "nexus/nexus.h"

#include <stddef.h>

/* Each variant uses only some of the pieces below. */
#define MAYBE_UNUSED __attribute__((unused))

MAYBE_UNUSED static nx_status create(nx_call* call, nx_str config_json, void** out_instance) {
    (void)call;
    (void)config_json;
    *out_instance = NULL;
    return NX_OK;
}
MAYBE_UNUSED static void destroy(void* instance) { (void)instance; }
MAYBE_UNUSED static nx_status prepare(nx_call* call, void* instance, const nx_provider_request* req, nx_http_request_out* out) {
    (void)call;
    (void)instance;
    (void)req;
    (void)out;
    return NX_OK;
}
MAYBE_UNUSED static nx_status parse_response(nx_call* call, void* instance, const nx_provider_request* req,
                                const nx_http_response_in* resp, nx_buf* out) {
    (void)call;
    (void)instance;
    (void)req;
    (void)resp;
    (void)out;
    return NX_OK;
}

MAYBE_UNUSED static const nx_provider_vtable provider_v1 = {sizeof(nx_provider_vtable), 0, create, destroy, prepare,
                                               parse_response, NULL, NULL, NULL, NULL};
MAYBE_UNUSED static const nx_middleware_vtable middleware_v1 = {sizeof(nx_middleware_vtable), 0, create, destroy,
                                                   NULL, NULL, NULL, NULL};

#define PROVIDER_INFO(name, provider_table) \
    {sizeof(nx_plugin_info), NX_ABI_MAJOR, NX_ABI_MINOR, NX_KIND_PROVIDER, 0, NX_CAP_CHAT, name, "0.0.1", \
     "hand-written test plugin", provider_table, NULL}
#define MIDDLEWARE_INFO(name, version, middleware_table) \
    {sizeof(nx_plugin_info), NX_ABI_MAJOR, NX_ABI_MINOR, NX_KIND_MIDDLEWARE, 0, NX_CAP_REQUEST_HOOK, name, version, \
     "hand-written test plugin", NULL, middleware_table}

#if defined(NX_VARIANT_no_entry)

/* Exports something, but not the entry point. */
NX_EXPORT int nexus_something_else(void) { return 42; }

#else

#if defined(NX_VARIANT_wrong_major)
static const nx_plugin_info info = {sizeof(nx_plugin_info), 2, 3, NX_KIND_PROVIDER, 0, NX_CAP_CHAT, "wrong_major",
                                    "2.0.0", "built against a future SDK", &provider_v1, NULL};
#elif defined(NX_VARIANT_small_info)
static nx_plugin_info info = PROVIDER_INFO("small_info", &provider_v1);
#elif defined(NX_VARIANT_bad_name)
static const nx_plugin_info info = PROVIDER_INFO("Bad Name!", &provider_v1);
#elif defined(NX_VARIANT_no_name)
static const nx_plugin_info info = PROVIDER_INFO(NULL, &provider_v1);
#elif defined(NX_VARIANT_unknown_kind)
static nx_plugin_info info = PROVIDER_INFO("unknown_kind", &provider_v1);
#elif defined(NX_VARIANT_missing_vtable)
static const nx_plugin_info info = PROVIDER_INFO("missing_vtable", NULL);
#elif defined(NX_VARIANT_small_vtable)
static const nx_provider_vtable small_vtable = {40, 0, create, destroy, prepare, parse_response, NULL, NULL, NULL, NULL};
static const nx_plugin_info info = PROVIDER_INFO("small_vtable", &small_vtable);
#elif defined(NX_VARIANT_null_prepare)
static const nx_provider_vtable no_prepare = {sizeof(nx_provider_vtable), 0, create, destroy, NULL, parse_response,
                                              NULL, NULL, NULL, NULL};
static const nx_plugin_info info = PROVIDER_INFO("null_prepare", &no_prepare);
#elif defined(NX_VARIANT_null_destroy)
static const nx_middleware_vtable no_destroy = {sizeof(nx_middleware_vtable), 0, create, NULL, NULL, NULL, NULL, NULL};
static const nx_plugin_info info = MIDDLEWARE_INFO("null_destroy", "0.0.1", &no_destroy);
#elif defined(NX_VARIANT_dup_a)
static const nx_plugin_info info = MIDDLEWARE_INFO("dup", "1.0.0-a", &middleware_v1);
#elif defined(NX_VARIANT_dup_b)
static const nx_plugin_info info = MIDDLEWARE_INFO("dup", "1.0.0-b", &middleware_v1);
#elif defined(NX_VARIANT_newer_minor)
/* What a plugin built against a future SDK 1.7 would hand over: both structs grew at the end. */
typedef struct {
    nx_middleware_vtable v1;
    void (*on_future_hook)(void* instance);
} middleware_vtable_1_7;
typedef struct {
    nx_plugin_info v1;
    uint64_t future_flags;
    const char* future_text;
} plugin_info_1_7;
static void on_future_hook(void* instance) { (void)instance; }
static const middleware_vtable_1_7 newer_vtable = {
    {sizeof(middleware_vtable_1_7), 0, create, destroy, NULL, NULL, NULL, NULL}, on_future_hook};
static const plugin_info_1_7 newer_info = {
    {sizeof(plugin_info_1_7), NX_ABI_MAJOR, 7, NX_KIND_MIDDLEWARE, 0, NX_CAP_REQUEST_HOOK, "newer_minor", "1.7.0",
     "built against a newer SDK minor", NULL, &newer_vtable.v1},
    0xffffffffffffffffu,
    "a field this host does not know"};
#define info (newer_info.v1)
#elif !defined(NX_VARIANT_init_fails) && !defined(NX_VARIANT_null_info)
#error "unknown NX_TEST_VARIANT"
#endif

NX_EXPORT nx_status nexus_plugin_init_v1(const nx_host_api* host, nx_call* call, const nx_plugin_info** out) {
#if defined(NX_VARIANT_init_fails)
    static const char msg[] = "init_fails: license file /etc/nexus/example.lic is missing";
    nx_str m = {msg, sizeof msg - 1};
    host->set_error(call, m);
    (void)out;
    return NX_ERR;
#elif defined(NX_VARIANT_null_info)
    (void)host;
    (void)call;
    *out = NULL;
    return NX_OK;
#else
    (void)host;
    (void)call;
#if defined(NX_VARIANT_small_info)
    info.struct_size = 24;
#elif defined(NX_VARIANT_unknown_kind)
    info.kind = 7;
#endif
    *out = &info;
    return NX_OK;
#endif
}

#endif
