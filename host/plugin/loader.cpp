// Loads plugin shared objects with Boost.DLL (RTLD_LOCAL | RTLD_NOW), one at a time, and
// refuses every one the host cannot use with a single line naming the file, the plugin and
// the versions involved.
#include "plugin/loader.hpp"

#include "plugin/abi_objects.hpp"
#include "plugin/info_check.hpp"

#include <boost/dll/shared_library.hpp>
#include <dlfcn.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <system_error>

namespace nexus::plugin {
namespace {

namespace fs = std::filesystem;

// dlopen/dlclose run the plugin's static constructors/destructors and share dlerror state:
// loads and unloads are serialized process-wide. Recursive because a refused library is
// unloaded while the load still holds the lock.
std::recursive_mutex& library_mutex() {
    static std::recursive_mutex m;
    return m;
}

// What LoadedPlugin::library holds: the mapped library plus the host's copies of its
// vtables, so that the vtable pointers in LoadedPlugin live exactly as long as the code
// they point to.
struct Library {
    boost::dll::shared_library lib;
    nx_provider_vtable provider{};
    nx_middleware_vtable middleware{};

    ~Library() {
        std::lock_guard lock(library_mutex());
        lib.unload();
    }
};

using InitFn = nx_status(const nx_host_api*, nx_call*, const nx_plugin_info**);

std::string refusal(const std::string& file, const std::string& name, const std::string& reason) {
    if (name.empty()) return "plugin " + file + ": " + reason;
    return "plugin '" + name + "' (" + file + "): " + reason;
}

std::string absolute_path(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::absolute(path, ec);
    return ec ? path : p.lexically_normal().string();
}

}  // namespace

std::shared_ptr<const LoadedPlugin> load_plugin(const std::string& path, LoadError* error) {
    const std::string file = absolute_path(path);
    auto fail = [&](const std::string& name, const std::string& reason) -> std::shared_ptr<const LoadedPlugin> {
        if (error != nullptr) *error = LoadError{file, refusal(file, name, reason)};
        return nullptr;
    };

    std::error_code fec;
    if (!fs::exists(file, fec)) return fail("", "no such file");
    if (!fs::is_regular_file(file, fec)) return fail("", "not a regular file");

    std::lock_guard lock(library_mutex());
    auto library = std::make_shared<Library>();
    boost::dll::fs::error_code ec;
    ::dlerror();  // clear any stale message so the one read below is this load's
    library->lib.load(file, boost::dll::load_mode::rtld_local | boost::dll::load_mode::rtld_now, ec);
    if (ec || !library->lib.is_loaded()) {
        const char* why = ::dlerror();
        return fail("", std::string("not a loadable shared object: ") + (why ? why : ec.message()));
    }
    if (!library->lib.has(NX_PLUGIN_ENTRY_SYMBOL))
        return fail("", std::string("no entry point '") + NX_PLUGIN_ENTRY_SYMBOL +
                            "' (not a Nexus plugin, or not built with NEXUS_PROVIDER_PLUGIN / NEXUS_MIDDLEWARE_PLUGIN)");
    auto& init = library->lib.get<InitFn>(NX_PLUGIN_ENTRY_SYMBOL);

    nx_call call;
    const std::string file_name = fs::path(file).filename().string();
    call.plugin = file_name;
    const nx_plugin_info* raw = nullptr;
    nx_status status = NX_ERR;
    try {
        status = init(host_api(), &call, &raw);
    } catch (...) {
        return fail("", "the entry point threw a C++ exception (plugins must not let exceptions cross the ABI)");
    }
    if (status != NX_OK)
        return fail("", "init failed (status " + std::to_string(status) +
                            "): " + (call.error.empty() ? std::string("the plugin gave no reason") : call.error));
    if (raw == nullptr) return fail("", "init returned OK but no plugin info (NULL)");

    CheckedInfo checked;
    std::string reason = check_plugin_info(raw, checked);
    if (!reason.empty()) return fail(checked.name, reason);

    auto plugin = std::make_shared<LoadedPlugin>();
    plugin->path = file;
    plugin->name = checked.name;
    plugin->version = checked.version;
    plugin->description = checked.description;
    plugin->kind = checked.info.kind;
    plugin->abi_major = checked.info.abi_major;
    plugin->abi_minor = checked.info.abi_minor;
    plugin->capabilities = checked.info.capabilities;
    library->provider = checked.provider;
    library->middleware = checked.middleware;
    if (plugin->kind == NX_KIND_PROVIDER) plugin->provider = &library->provider;
    if (plugin->kind == NX_KIND_MIDDLEWARE) plugin->middleware = &library->middleware;
    plugin->library = std::move(library);
    return plugin;
}

LoadDirResult load_directory(const std::string& dir) {
    LoadDirResult result;
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code type_ec;
        if (it->path().extension() == ".so" && it->is_regular_file(type_ec)) files.push_back(it->path());
    }
    if (ec) {
        result.errors.push_back({dir, "plugin directory " + dir + ": " + ec.message()});
        return result;
    }
    std::sort(files.begin(), files.end());

    for (const fs::path& f : files) {
        LoadError error;
        auto plugin = load_plugin(f.string(), &error);
        if (!plugin) {
            result.errors.push_back(std::move(error));
            continue;
        }
        auto [it, inserted] = result.plugins.emplace(plugin->name, plugin);
        if (!inserted)
            result.errors.push_back({plugin->path, "duplicate plugin name '" + plugin->name + "': " + it->second->path +
                                                       " and " + plugin->path});
    }
    return result;
}

}  // namespace nexus::plugin
