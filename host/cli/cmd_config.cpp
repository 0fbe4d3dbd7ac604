// `nexus config check FILE` and `nexus config show FILE`.
#include "cli/commands.hpp"
#include "config/config.hpp"
#include "plugin/loader.hpp"

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

namespace nexus::cli {
namespace {

constexpr const char* kCheckUsage = "usage: nexus config check FILE\n";
constexpr const char* kShowUsage = "usage: nexus config show FILE\n";

// The one FILE argument; nullopt after printing usage (to stdout for --help, *exit_code 0).
std::optional<std::string> file_argument(const Args& args, const char* command, const char* usage, int* exit_code) {
    if (args.size() == 1 && (args[0] == "-h" || args[0] == "--help")) {
        std::fputs(usage, stdout);
        *exit_code = 0;
        return std::nullopt;
    }
    if (args.size() != 1 || (args[0].size() > 1 && args[0][0] == '-')) {
        std::fprintf(stderr, "nexus config %s: %s\n%s", command,
                     args.empty() ? "missing FILE" : args.size() > 1 ? "expected one FILE" : "unknown option", usage);
        *exit_code = 2;
        return std::nullopt;
    }
    return args[0];
}

void print_errors(const config::LoadResult& r) {
    for (const auto& d : r.diagnostics) std::fprintf(stderr, "%s\n", d.to_string().c_str());
}

void print_warnings(const std::vector<config::Diagnostic>& warnings) {
    for (auto d : warnings) {
        d.message = "warning: " + d.message;
        std::fprintf(stderr, "%s\n", d.to_string().c_str());
    }
}

// The plugin names in `dir`, to check providers.<n>.plugin and chain entries against. Anything
// that stops the check (no directory, nothing loadable) becomes a warning.
config::KnownPlugins known_plugins(const std::string& file, const std::string& dir,
                                   std::vector<config::Diagnostic>& warnings) {
    config::KnownPlugins known;
    auto warn = [&](const std::string& message) { warnings.push_back(config::Diagnostic{config::Mark{file, 0, 0}, message}); };
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        warn("plugin directory " + dir + " does not exist; plugin names not checked");
        return known;
    }
    plugin::LoadDirResult loaded = plugin::load_directory(dir);
    for (const auto& e : loaded.errors) warn(e.message);
    for (const auto& [name, p] : loaded.plugins) {
        if (p->kind == NX_KIND_PROVIDER) known.providers.push_back(name);
        else if (p->kind == NX_KIND_MIDDLEWARE) known.middleware.push_back(name);
    }
    if (known.providers.empty() && known.middleware.empty())
        warn("no plugins could be loaded from " + dir + "; plugin names not checked");
    return known;
}

}  // namespace

int cmd_config_check(const Args& args) {
    int exit_code = 0;
    auto file = file_argument(args, "check", kCheckUsage, &exit_code);
    if (!file) return exit_code;

    // First pass: the schema, and where the plugins are; second pass: plugin names too.
    config::LoadResult result = config::load_file(*file);
    bool unreadable = !result.ok() && !result.diagnostics.empty() && result.diagnostics.front().mark.line == 0;
    std::vector<config::Diagnostic> notes;
    if (!unreadable) {
        config::KnownPlugins known = known_plugins(*file, result.plugin_dir, notes);
        if (!known.providers.empty() || !known.middleware.empty()) result = config::load_file(*file, known);
    }
    print_warnings(notes);
    print_warnings(result.warnings);
    if (!result.ok()) {
        print_errors(result);
        return 1;
    }
    const config::Config& cfg = *result.config;
    std::printf("%s: ok (%zu providers, %zu routes, %zu chains)\n", file->c_str(), cfg.providers.size(),
                cfg.routes.size(), cfg.chains.size());
    return 0;
}

int cmd_config_show(const Args& args) {
    int exit_code = 0;
    auto file = file_argument(args, "show", kShowUsage, &exit_code);
    if (!file) return exit_code;
    config::LoadResult result = config::load_file(*file);
    print_warnings(result.warnings);
    if (!result.ok()) {
        print_errors(result);
        return 1;
    }
    std::fputs(config::show(*result.config).c_str(), stdout);
    return 0;
}

}  // namespace nexus::cli
