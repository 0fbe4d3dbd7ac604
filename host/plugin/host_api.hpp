// The one host services table handed to every plugin, and how the gateway runtime fills in
// the services that need a running gateway (exchange access, key-value store, metrics).
#pragma once

#include "nexus/nexus.h"

namespace nexus::plugin {

// The same table host_api() returns, writable. The runtime installs its exchange functions
// (doc_*, text_*, request_header, response_header_set, attr_*, respond, reject, resume),
// kv_* and counter_add here once at startup, before it calls into any plugin; plugins keep
// the pointer, so they see the installed functions. Never set an entry to NULL.
nx_host_api* mutable_host_api();

// Put every entry back to the defaults of a host without a runtime (tests, `nexus plugins
// inspect`): exchange and key-value functions answer NX_ERR_UNSUPPORTED, counter_add does
// nothing. Call it only while no plugin call is in flight.
void restore_default_host_api();

}  // namespace nexus::plugin
