// Helpers shared by the plugin loader tests.
#pragma once

#include "nexus/nexus.h"

#include <link.h>

#include <filesystem>
#include <random>
#include <string>
#include <string_view>

namespace nexus::plugin::test {

// A test plugin from <build>/test-plugins (tests/plugins, tests/sdk).
inline std::string test_plugin(const std::string& name) {
    return std::string(NEXUS_TEST_PLUGIN_DIR) + "/nexus_" + name + ".so";
}

inline std::string host_abi() { return std::to_string(NX_ABI_MAJOR) + "." + std::to_string(NX_ABI_MINOR); }

inline nx_str nx(std::string_view s) { return nx_str{s.data(), s.size()}; }

// True while a library whose path ends in `/file_name` is mapped into this process.
inline bool is_mapped(const std::string& file_name) {
    struct Search {
        std::string suffix;
        bool found = false;
    } search{"/" + file_name};
    dl_iterate_phdr(
        [](dl_phdr_info* info, size_t, void* data) {
            auto* s = static_cast<Search*>(data);
            std::string_view name = info->dlpi_name ? info->dlpi_name : "";
            if (name.size() >= s->suffix.size() && name.substr(name.size() - s->suffix.size()) == s->suffix)
                s->found = true;
            return 0;
        },
        &search);
    return search.found;
}

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() / ("nexus-plugin-test-" + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::string str() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

}  // namespace nexus::plugin::test
