/* nexus.h must compile as strict C (C99 and C11, -pedantic): a plugin may be written in C. */
#include "nexus/nexus.h"

static nx_status create(nx_call* call, nx_str config_json, void** out_instance) {
    (void)call;
    (void)config_json;
    *out_instance = NULL;
    return NX_OK;
}

static void destroy(void* instance) { (void)instance; }

static const nx_middleware_vtable vtable = {sizeof(nx_middleware_vtable), 0, create, destroy, NULL, NULL, NULL, NULL};

static const nx_plugin_info info = {sizeof(nx_plugin_info), NX_ABI_MAJOR, NX_ABI_MINOR, NX_KIND_MIDDLEWARE, 0,
                                    NX_CAP_REQUEST_HOOK, "c_compat", "1.0.0", NULL, NULL, &vtable};

NX_EXPORT nx_status nexus_plugin_init_v1(const nx_host_api* host, nx_call* call, const nx_plugin_info** out) {
    if (!NX_HOST_HAS(host, reject)) return NX_ERR_UNSUPPORTED;
    (void)call;
    *out = &info;
    return NX_OK;
}
