#include "config/reader.hpp"

#include "config/env_expand.hpp"
#include "config/suggest.hpp"
#include "config/units.hpp"

#include <algorithm>
#include <charconv>

namespace nexus::config::detail {

const Field* MapView::get(std::string_view key) const {
    for (const auto& e : entries)
        if (e.key == key) return &e.value;
    return nullptr;
}

std::string child_path(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
}

std::string index_path(const std::string& parent, size_t index) {
    return parent + "[" + std::to_string(index) + "]";
}

std::string quote(std::string_view text) {
    constexpr size_t kMax = 60;
    std::string shown = mask_url_password(text);
    if (shown.size() > kMax) shown = shown.substr(0, kMax) + "...";
    return "'" + shown + "'";
}

std::string describe(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Map: return "a mapping";
        case YAML::NodeType::Sequence: return "a list";
        case YAML::NodeType::Scalar: return quote(node.Scalar());
        default: return "nothing";
    }
}

Reader::Reader(std::string file, EnvLookup env, std::filesystem::path base_dir)
    : file_(std::move(file)), env_(env), base_dir_(std::move(base_dir)) {}

Mark Reader::mark_of(const YAML::Node& node) const {
    YAML::Mark m = node.Mark();
    if (m.is_null()) return Mark{file_, 0, 0};
    return Mark{file_, m.line + 1, m.column + 1};
}

Field Reader::root(const YAML::Node& node) const {
    Mark m = mark_of(node);
    if (m.line == 0) m = Mark{file_, 1, 1};
    return Field{"", node, m};
}

void Reader::error(const Mark& at, const std::string& path, const std::string& what) {
    Diagnostic d{at, path.empty() ? what : "key '" + path + "': " + what};
    for (const auto& e : errors)
        if (e.mark.line == d.mark.line && e.mark.column == d.mark.column && e.message == d.message) return;
    errors.push_back(std::move(d));
}

void Reader::error(const Field& at, const std::string& what) { error(at.mark, at.path, what); }

void Reader::warning(const Mark& at, const std::string& message) { warnings.push_back(Diagnostic{at, message}); }

std::vector<Entry> Reader::entries(const Field& map) const {
    std::vector<Entry> out;
    if (!map.node.IsMap()) return out;
    for (auto it = map.node.begin(); it != map.node.end(); ++it) {
        if (!it->first.IsScalar()) continue;
        const std::string& key = it->first.Scalar();
        if (std::any_of(out.begin(), out.end(), [&](const Entry& e) { return e.key == key; })) continue;
        Mark key_mark = mark_of(it->first);
        Mark value_mark = it->second.IsNull() ? key_mark : mark_of(it->second);
        out.push_back(Entry{key, key_mark, Field{child_path(map.path, key), it->second, value_mark}});
    }
    return out;
}

std::vector<Field> Reader::items(const Field& seq) const {
    std::vector<Field> out;
    if (!seq.node.IsSequence()) return out;
    for (size_t i = 0; i < seq.node.size(); ++i) {
        YAML::Node item = seq.node[i];
        out.push_back(Field{index_path(seq.path, i), item, item.IsNull() ? seq.mark : mark_of(item)});
    }
    return out;
}

std::optional<MapView> Reader::mapping(const Field& f, const std::vector<std::string>& allowed,
                                       std::string_view expected) {
    if (f.node.IsNull()) return MapView{};
    if (!f.node.IsMap()) {
        error(f, "expected " + std::string(expected) + ", found " + describe(f.node));
        return std::nullopt;
    }
    MapView view;
    for (auto& e : entries(f)) {
        if (std::find(allowed.begin(), allowed.end(), e.key) != allowed.end()) {
            view.entries.push_back(std::move(e));
            continue;
        }
        std::string near = closest_match(e.key, allowed);
        error(e.key_mark, e.value.path,
              near.empty() ? "unknown key, expected one of: " + join(allowed) : "unknown key, did you mean '" + near + "'?");
    }
    return view;
}

std::optional<std::vector<Field>> Reader::list(const Field& f, std::string_view expected) {
    if (f.node.IsNull()) return std::vector<Field>{};
    if (!f.node.IsSequence()) {
        error(f, "expected " + std::string(expected) + ", found " + describe(f.node));
        return std::nullopt;
    }
    return items(f);
}

const Field* Reader::require(const MapView& view, const Field& parent, const std::string& key) {
    if (const Field* f = view.get(key)) return f;
    error(parent.mark, child_path(parent.path, key), "required key is missing");
    return nullptr;
}

std::optional<std::string> Reader::scalar(const Field& f, std::string_view expected) {
    if (!f.node.IsScalar()) {
        error(f, "expected " + std::string(expected) + ", found " + describe(f.node));
        return std::nullopt;
    }
    Expansion x = expand_env(f.node.Scalar(), env_);
    if (!x.error.empty()) {
        error(f, x.error);
        return std::nullopt;
    }
    for (const auto& var : x.unset) error(f, "environment variable '" + var + "' is not set");
    if (!x.unset.empty()) return std::nullopt;
    return std::move(x.value);
}

std::optional<std::string> Reader::string(const Field& f, std::string_view expected) {
    auto value = scalar(f, expected);
    if (value && value->empty()) {
        error(f, "expected " + std::string(expected) + ", found an empty string");
        return std::nullopt;
    }
    return value;
}

std::optional<int64_t> Reader::integer(const Field& f, int64_t min) {
    std::string expected = "an integer >= " + std::to_string(min);
    auto text = scalar(f, expected);
    if (!text) return std::nullopt;
    int64_t value = 0;
    const char* first = text->data();
    const char* last = first + text->size();
    if (first != last && *first == '+') ++first;
    auto [end, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || end != last || first == last || value < min) {
        error(f, "expected " + expected + ", found " + quote(*text));
        return std::nullopt;
    }
    return value;
}

std::optional<bool> Reader::boolean(const Field& f) {
    auto text = scalar(f, "true or false");
    if (!text) return std::nullopt;
    if (*text == "true" || *text == "True" || *text == "TRUE") return true;
    if (*text == "false" || *text == "False" || *text == "FALSE") return false;
    error(f, "expected true or false, found " + quote(*text));
    return std::nullopt;
}

std::optional<std::string> Reader::one_of(const Field& f, const std::vector<std::string>& options) {
    std::string expected = "one of " + join(options);
    auto text = scalar(f, expected);
    if (!text) return std::nullopt;
    if (std::find(options.begin(), options.end(), *text) != options.end()) return text;
    std::string near = closest_match(*text, options);
    error(f, "expected " + expected + ", found " + quote(*text) + (near.empty() ? "" : " (did you mean '" + near + "'?)"));
    return std::nullopt;
}

std::optional<std::chrono::milliseconds> Reader::duration(const Field& f, bool allow_zero) {
    constexpr std::string_view expected = "a duration (e.g. 300s, 150ms, 2m, 1h, or seconds)";
    auto text = scalar(f, expected);
    if (!text) return std::nullopt;
    auto d = parse_duration(*text);
    if (!d) {
        error(f, "expected " + std::string(expected) + ", found " + quote(*text));
        return std::nullopt;
    }
    if (!allow_zero && d->count() == 0) {
        error(f, "expected a duration > 0, found " + quote(*text));
        return std::nullopt;
    }
    return d;
}

std::optional<size_t> Reader::size(const Field& f) {
    constexpr std::string_view expected = "a size (e.g. 8MiB, 512KiB, 1MB, or bytes)";
    auto text = scalar(f, expected);
    if (!text) return std::nullopt;
    auto bytes = parse_size(*text);
    if (!bytes) {
        error(f, "expected " + std::string(expected) + ", found " + quote(*text));
        return std::nullopt;
    }
    if (*bytes == 0) {
        error(f, "expected a size > 0, found " + quote(*text));
        return std::nullopt;
    }
    return bytes;
}

std::string Reader::resolve_path(const std::string& path) const {
    std::filesystem::path p(path);
    if (p.is_absolute()) return p.lexically_normal().string();
    return (base_dir_ / p).lexically_normal().string();
}

std::optional<std::string> Reader::file_path(const Field& f) {
    auto text = string(f, "a path");
    if (!text) return std::nullopt;
    return resolve_path(*text);
}

}  // namespace nexus::config::detail
