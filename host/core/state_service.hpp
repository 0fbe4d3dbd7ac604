// The key-value service plugins reach through nx_host_api.kv_*: which store backs it
// (config.state: memory by default, or Redis) and how plugin calls map onto it (keys
// namespaced "<plugin>:", KvStatus -> nx_status).
#pragma once

#include "config/config.hpp"
#include "nexus/nexus.h"
#include "state/kv_store.hpp"

#include <string>
#include <vector>

namespace nexus::core {

// Creates the store config.state names and makes kv_* use it. Call once at start, after the
// plugins load and before the runtime is built. A Redis that is down does not fail the start
// (calls answer NX_ERR until it is back, and the outage is logged); a malformed state.url
// does, with a message that names it (never the password).
bool start_state(const config::Config& cfg, std::vector<std::string>* errors);

// Closes the started store (joins the Redis I/O thread). Only when no plugin call is in
// flight: after the server has stopped.
void stop_state();

// The store kv_* use: the started one, else an in-memory store made on first use (tests,
// tools that never call start_state).
state::KvStore& kv_store();

// Fills kv_get/kv_set/kv_incr/kv_del in the host table (install_host_services does this).
void install_kv_api(nx_host_api& api);

}  // namespace nexus::core
