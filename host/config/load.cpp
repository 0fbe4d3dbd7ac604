#include "config/config.hpp"
#include "config/sections.hpp"
#include "config/yaml_document.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <tuple>

namespace nexus::config {
namespace {

std::filesystem::path directory_of(const std::string& file_name) {
    std::error_code ec;
    if (file_name.empty()) return std::filesystem::current_path(ec);
    std::filesystem::path dir = std::filesystem::absolute(file_name, ec).parent_path();
    return ec ? std::filesystem::path(file_name).parent_path() : dir;
}

void sort_by_position(std::vector<Diagnostic>& list) {
    std::stable_sort(list.begin(), list.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.mark.line, a.mark.column) < std::tie(b.mark.line, b.mark.column);
    });
}

LoadResult failure(Diagnostic d) {
    LoadResult out;
    out.plugin_dir = NEXUS_DEFAULT_PLUGIN_DIR;
    out.diagnostics.push_back(std::move(d));
    return out;
}

}  // namespace

LoadResult load_string(const std::string& yaml_text, const std::string& file_name, const KnownPlugins& known,
                       EnvLookup env) {
    Diagnostic syntax_error;
    std::optional<YAML::Node> document = detail::parse_document(yaml_text, file_name, &syntax_error);
    if (!document) return failure(std::move(syntax_error));
    detail::Reader r(file_name, env, directory_of(file_name));

    auto cfg = std::make_shared<Config>();
    cfg->source_path = file_name;
    cfg->plugins.dir = NEXUS_DEFAULT_PLUGIN_DIR;
    detail::Field root = r.root(*document);
    if (detail::check_mapping_keys(r, root)) {
        detail::read_document(r, root, *cfg);
        detail::check_references(r, *cfg, known);
    }

    LoadResult out;
    out.plugin_dir = cfg->plugins.dir;
    sort_by_position(r.errors);
    sort_by_position(r.warnings);
    out.diagnostics = std::move(r.errors);
    out.warnings = std::move(r.warnings);
    if (out.diagnostics.empty()) out.config = std::move(cfg);
    return out;
}

LoadResult load_file(const std::string& path, const KnownPlugins& known, EnvLookup env) {
    auto cannot_open = [&](int err) { return failure(Diagnostic{Mark{path, 0, 0}, std::string("cannot open config file: ") + std::strerror(err)}); };
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (!file) return cannot_open(errno);
    std::string text;
    char buffer[65536];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
    int read_error = std::ferror(file) ? errno : 0;
    std::fclose(file);
    if (read_error) return cannot_open(read_error);
    return load_string(text, path, known, env);
}

}  // namespace nexus::config
