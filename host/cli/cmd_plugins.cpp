// `nexus plugins inspect FILE [--json]` and `nexus plugins list [--dir DIR | -c FILE] [--json]`:
// a plugin's static metadata, read by loading it without serving any traffic.
#include "cli/commands.hpp"
#include "config/config.hpp"
#include "plugin/file_digest.hpp"
#include "plugin/loader.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace nexus::cli {
namespace {

using plugin::LoadedPlugin;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr const char* kInspectUsage = "usage: nexus plugins inspect FILE [--json]\n";
constexpr const char* kListUsage = "usage: nexus plugins list [--dir DIR | -c FILE] [--json]\n";

int usage_error(const char* command, const std::string& what, const char* usage) {
    std::fprintf(stderr, "nexus plugins %s: %s\n%s", command, what.c_str(), usage);
    return 2;
}

std::string abi_text(const LoadedPlugin& p) { return std::to_string(p.abi_major) + "." + std::to_string(p.abi_minor); }

std::vector<std::string> split_commas(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');) out.push_back(item);
    return out;
}

std::string sha256_or_empty(const std::string& path) {
    std::string error;
    return plugin::file_sha256_hex(path, &error).value_or("");
}

void write_plugin_json(Writer& w, const LoadedPlugin& p, const std::string& sha256) {
    w.StartObject();
    w.Key("name");
    w.String(p.name);
    w.Key("version");
    w.String(p.version);
    w.Key("kind");
    w.String(plugin::kind_name(p.kind));
    w.Key("abi");
    w.String(abi_text(p));
    w.Key("abi_major");
    w.Uint(p.abi_major);
    w.Key("abi_minor");
    w.Uint(p.abi_minor);
    w.Key("capabilities");
    w.StartArray();
    for (const auto& c : split_commas(plugin::capability_names(p.capabilities))) w.String(c);
    w.EndArray();
    w.Key("description");
    w.String(p.description);
    w.Key("file");
    w.String(p.path);
    w.Key("sha256");
    w.String(sha256);
    w.EndObject();
}

void print_plugin_text(const LoadedPlugin& p, const std::string& sha256) {
    std::string caps = plugin::capability_names(p.capabilities);
    std::printf("name:          %s\n", p.name.c_str());
    std::printf("version:       %s\n", p.version.empty() ? "(none)" : p.version.c_str());
    std::printf("kind:          %s\n", plugin::kind_name(p.kind));
    std::printf("abi:           %s\n", abi_text(p).c_str());
    std::printf("capabilities:  %s\n", caps.empty() ? "(none)" : caps.c_str());
    std::printf("description:   %s\n", p.description.empty() ? "(none)" : p.description.c_str());
    std::printf("file:          %s\n", p.path.c_str());
    std::printf("sha256:        %s\n", sha256.c_str());
}

// The plugin directory `list` reads: --dir, else plugins.dir of -c FILE, else the build's.
std::optional<std::string> plugin_dir_from_config(const std::string& file) {
    config::LoadResult loaded = config::load_file(file);
    if (!loaded.ok()) {
        for (const auto& d : loaded.diagnostics) std::fprintf(stderr, "%s\n", d.to_string().c_str());
        return std::nullopt;
    }
    return loaded.config->plugins.dir;
}

struct ListRow {
    std::string file;
    std::shared_ptr<const LoadedPlugin> plugin;  // null: refused
    std::string error;
};

void print_rows_text(const std::vector<ListRow>& rows) {
    size_t name_w = 4, version_w = 7, caps_w = 12;
    for (const auto& r : rows) {
        if (!r.plugin) continue;
        name_w = std::max(name_w, r.plugin->name.size());
        version_w = std::max(version_w, r.plugin->version.size());
        caps_w = std::max(caps_w, plugin::capability_names(r.plugin->capabilities).size());
    }
    for (const auto& r : rows) {
        if (!r.plugin) {
            std::printf("REFUSED  %s\n", r.error.c_str());
            continue;
        }
        const LoadedPlugin& p = *r.plugin;
        std::string caps = plugin::capability_names(p.capabilities);
        std::printf("%-*s  %-*s  %-10s  abi %-5s  %-*s  %s\n", int(name_w), p.name.c_str(), int(version_w),
                    p.version.c_str(), plugin::kind_name(p.kind), abi_text(p).c_str(), int(caps_w),
                    caps.empty() ? "-" : caps.c_str(), p.path.c_str());
    }
}

void print_rows_json(const std::string& dir, const std::vector<ListRow>& rows) {
    rapidjson::StringBuffer out;
    Writer w(out);
    w.StartObject();
    w.Key("dir");
    w.String(dir);
    w.Key("plugins");
    w.StartArray();
    for (const auto& r : rows)
        if (r.plugin) write_plugin_json(w, *r.plugin, sha256_or_empty(r.plugin->path));
    w.EndArray();
    w.Key("errors");
    w.StartArray();
    for (const auto& r : rows) {
        if (r.plugin) continue;
        w.StartObject();
        w.Key("file");
        w.String(r.file);
        w.Key("message");
        w.String(r.error);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    std::printf("%s\n", out.GetString());
}

}  // namespace

int cmd_plugins_inspect(const Args& args) {
    std::string file;
    bool json = false;
    for (const auto& a : args) {
        if (a == "--json") {
            json = true;
        } else if (a == "-h" || a == "--help") {
            std::fputs(kInspectUsage, stdout);
            return 0;
        } else if (!a.empty() && a[0] == '-') {
            return usage_error("inspect", "unknown option '" + a + "'", kInspectUsage);
        } else if (!file.empty()) {
            return usage_error("inspect", "one FILE only", kInspectUsage);
        } else {
            file = a;
        }
    }
    if (file.empty()) return usage_error("inspect", "missing FILE", kInspectUsage);

    plugin::LoadError error;
    auto p = plugin::load_plugin(file, &error);
    if (!p) {
        std::fprintf(stderr, "%s\n", error.message.c_str());
        return 1;
    }
    std::string digest_error;
    auto sha256 = plugin::file_sha256_hex(p->path, &digest_error);
    if (!sha256) {
        std::fprintf(stderr, "%s\n", digest_error.c_str());
        return 1;
    }
    if (json) {
        rapidjson::StringBuffer out;
        Writer w(out);
        write_plugin_json(w, *p, *sha256);
        std::printf("%s\n", out.GetString());
    } else {
        print_plugin_text(*p, *sha256);
    }
    return 0;
}

int cmd_plugins_list(const Args& args) {
    std::optional<std::string> dir, config_file;
    bool json = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        bool has_value = i + 1 < args.size();
        if (a == "--json") {
            json = true;
        } else if (a == "-h" || a == "--help") {
            std::fputs(kListUsage, stdout);
            return 0;
        } else if (a == "--dir" && has_value) {
            dir = args[++i];
        } else if ((a == "-c" || a == "--config") && has_value) {
            config_file = args[++i];
        } else {
            return usage_error("list", "unexpected argument '" + a + "'", kListUsage);
        }
    }
    if (dir && config_file) return usage_error("list", "give --dir or -c, not both", kListUsage);
    if (config_file) {
        dir = plugin_dir_from_config(*config_file);
        if (!dir) return 1;
    }
    if (!dir) dir = NEXUS_DEFAULT_PLUGIN_DIR;

    plugin::LoadDirResult loaded = plugin::load_directory(*dir);
    std::vector<ListRow> rows;
    for (const auto& [name, p] : loaded.plugins) rows.push_back({p->path, p, ""});
    for (const auto& e : loaded.errors) rows.push_back({e.path, nullptr, e.message});
    std::stable_sort(rows.begin(), rows.end(), [](const ListRow& a, const ListRow& b) { return a.file < b.file; });

    if (json) print_rows_json(*dir, rows);
    else if (rows.empty()) std::fprintf(stderr, "no plugins (*.so) in %s\n", dir->c_str());
    else print_rows_text(rows);
    return loaded.errors.empty() ? 0 : 1;
}

}  // namespace nexus::cli
