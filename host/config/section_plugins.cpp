#include "config/sections.hpp"

#include <algorithm>
#include <cctype>

namespace nexus::config::detail {
namespace {

// "sha256:" + 64 hex digits, returned lowercased.
std::optional<std::string> normalized_pin(std::string_view text) {
    constexpr std::string_view prefix = "sha256:";
    if (text.substr(0, prefix.size()) != prefix || text.size() != prefix.size() + 64) return std::nullopt;
    std::string out(text);
    for (size_t i = prefix.size(); i < out.size(); ++i) {
        if (!std::isxdigit(static_cast<unsigned char>(out[i]))) return std::nullopt;
        out[i] = char(std::tolower(static_cast<unsigned char>(out[i])));
    }
    return out;
}

}  // namespace

void read_plugins(Reader& r, const Field& f, PluginsConfig& out) {
    auto view = r.mapping(f, {"dir", "pin", "optional", "on_error"});
    if (!view) return;
    if (const Field* v = view->get("dir"))
        if (auto path = r.file_path(*v)) out.dir = *path;
    if (const Field* v = view->get("pin")) {
        if (v->node.IsMap() || v->node.IsNull()) {
            for (const auto& e : r.entries(*v)) {
                constexpr std::string_view expected = "'sha256:' followed by 64 hex digits";
                auto text = r.scalar(e.value, expected);
                if (!text) continue;
                if (auto pin = normalized_pin(*text)) out.pin[e.key] = *pin;
                else r.error(e.value, "expected " + std::string(expected) + ", found " + quote(*text));
            }
        } else {
            r.error(*v, "expected a mapping of plugin name to 'sha256:<hex>', found " + describe(v->node));
        }
    }
    if (const Field* v = view->get("optional")) {
        if (auto items = r.list(*v, "a list of plugin names"))
            for (const auto& item : *items)
                if (auto name = r.string(item, "a plugin name")) out.optional.push_back(*name);
    }
    if (const Field* v = view->get("on_error"))
        if (auto s = r.one_of(*v, {"refuse", "skip"})) out.skip_broken = *s == "skip";
}

}  // namespace nexus::config::detail
