// Checks the nx_plugin_info a plugin's entry point returned, and copies what the host knows
// of it (and of its vtable) into host-owned structs.
#pragma once

#include "nexus/nexus.h"

#include <string>

namespace nexus::plugin {

struct CheckedInfo {
    // Copies of the plugin's structs, each read up to min(its struct_size, the host's size);
    // fields the plugin did not write are zero.
    nx_plugin_info info{};
    nx_provider_vtable provider{};
    nx_middleware_vtable middleware{};
    std::string name;  // set as soon as a valid name could be read, even when refused
    std::string version;
    std::string description;
};

// Empty when the plugin is acceptable to this host; otherwise the reason, one line, without
// the "plugin 'x' (file):" prefix (out.name says whether a name is known).
std::string check_plugin_info(const nx_plugin_info* raw, CheckedInfo& out);

// [a-z0-9_-]{1,64}
bool is_valid_plugin_name(const char* s);

}  // namespace nexus::plugin
