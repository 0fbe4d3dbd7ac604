// The schema checker's toolkit (internal to host/config): walks the YAML tree with dotted
// paths and positions, expands ${VAR} in every scalar it reads, reads typed values and
// collects every problem as a Diagnostic instead of stopping at the first.
#pragma once

#include "config/config.hpp"

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nexus::config::detail {

// A value in the document, the path naming it in messages and where it is.
struct Field {
    std::string path;  // "server.listen", "routes[0].targets[1].model"; "" for the document
    YAML::Node node;
    Mark mark;         // the value's position; the key's when the value is empty
};

// A mapping's entries: the first occurrence of each scalar key, in file order (duplicate and
// non-scalar keys are reported by check_mapping_keys).
struct Entry {
    std::string key;
    Mark key_mark;
    Field value;
};

class MapView {
public:
    std::vector<Entry> entries;
    const Field* get(std::string_view key) const;
};

// A name used in one place that must be defined in another; checked once everything is read.
struct Reference {
    enum Kind { Provider, Chain, ProviderPlugin, Middleware } kind;
    std::string name;
    std::string path;
    Mark mark;
};

std::string child_path(const std::string& parent, const std::string& key);
std::string index_path(const std::string& parent, size_t index);
// "a mapping", "a list", "nothing", or the scalar quoted (shortened, URL passwords masked).
std::string describe(const YAML::Node& node);
std::string quote(std::string_view text);

class Reader {
public:
    Reader(std::string file, EnvLookup env, std::filesystem::path base_dir);

    Mark mark_of(const YAML::Node& node) const;
    Field root(const YAML::Node& node) const;

    // "key '<path>': <what>" (just <what> for the document itself).
    void error(const Field& at, const std::string& what);
    void error(const Mark& at, const std::string& path, const std::string& what);
    void warning(const Mark& at, const std::string& message);

    std::vector<Entry> entries(const Field& map) const;
    std::vector<Field> items(const Field& seq) const;

    // A mapping (empty counts) whose keys are all in `allowed`; unknown keys are reported,
    // with the closest allowed key when one is near. nullopt (reported) when not a mapping.
    std::optional<MapView> mapping(const Field& f, const std::vector<std::string>& allowed,
                                   std::string_view expected = "a mapping");
    // A list (empty counts). nullopt (reported) otherwise.
    std::optional<std::vector<Field>> list(const Field& f, std::string_view expected = "a list");
    // Reports a missing required key of `parent`; returns the field when present.
    const Field* require(const MapView& view, const Field& parent, const std::string& key);

    // Typed values; nullopt means the problem was reported. Scalars are ${VAR}-expanded.
    std::optional<std::string> scalar(const Field& f, std::string_view expected);
    std::optional<std::string> string(const Field& f, std::string_view expected = "a string");  // non-empty
    std::optional<int64_t> integer(const Field& f, int64_t min);
    std::optional<bool> boolean(const Field& f);
    std::optional<std::string> one_of(const Field& f, const std::vector<std::string>& options);
    std::optional<std::chrono::milliseconds> duration(const Field& f, bool allow_zero);
    std::optional<size_t> size(const Field& f);
    std::optional<std::string> file_path(const Field& f);  // relative: against the config's directory

    // Any YAML value as JSON (free-form maps), keys in `exclude` left out of a top mapping.
    std::optional<std::string> json(const Field& f, const std::vector<std::string>& exclude = {});

    const std::string& file() const { return file_; }
    EnvLookup env() const { return env_; }
    std::string resolve_path(const std::string& path) const;

    std::vector<Diagnostic> errors;
    std::vector<Diagnostic> warnings;
    std::vector<Reference> references;

private:
    std::string file_;
    EnvLookup env_;
    std::filesystem::path base_dir_;
};

// Nesting limit for walking the tree: an alias can refer to its own ancestor (`&a [*a]`).
constexpr int kMaxDepth = 64;

// Duplicate keys (yaml-cpp keeps both) and non-scalar keys anywhere in the document. Returns
// false (reported) when the tree is too deep or too large to walk safely: stop there.
bool check_mapping_keys(Reader& r, const Field& root);

}  // namespace nexus::config::detail
