// Loads plugin shared objects (Boost.DLL), checks their ABI, and keeps each library alive
// while anything it created is alive.
#pragma once

#include "nexus/nexus.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace nexus::plugin {

// A loaded, ABI-checked plugin. Holding a shared_ptr keeps the library mapped; every object
// the host creates from a plugin (provider/middleware instances) holds one.
struct LoadedPlugin {
    std::string path;
    std::string name;
    std::string version;
    std::string description;
    nx_plugin_kind kind = 0;
    uint16_t abi_major = 0;
    uint16_t abi_minor = 0;
    uint64_t capabilities = 0;
    // The host's copies of the plugin's vtable (read up to the size this host knows, unknown
    // fields zero); they live as long as `library`, and their functions point into it.
    const nx_provider_vtable* provider = nullptr;
    const nx_middleware_vtable* middleware = nullptr;
    std::shared_ptr<void> library;  // the boost::dll::shared_library, type-erased
};

struct LoadError {
    std::string path;
    std::string message;  // one line: file, plugin and both versions where relevant
};

// Load one file. Serialized process-wide. On failure returns null and fills *error.
std::shared_ptr<const LoadedPlugin> load_plugin(const std::string& path, LoadError* error);

// All plugins in a directory (files ending in .so), by name.
struct LoadDirResult {
    std::map<std::string, std::shared_ptr<const LoadedPlugin>> plugins;
    std::vector<LoadError> errors;  // includes duplicate names
};
LoadDirResult load_directory(const std::string& dir);

const char* kind_name(nx_plugin_kind kind);
std::string capability_names(uint64_t caps);  // "chat,stream,..."

// The host services table handed to every plugin (one for the whole process).
const nx_host_api* host_api();

}  // namespace nexus::plugin
