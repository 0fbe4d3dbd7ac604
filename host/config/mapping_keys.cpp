// yaml-cpp accepts `a: 1` twice in one mapping and keeps both entries (lookups see the first),
// so a typo'd second definition would be silently ignored: report it. This walk also bounds
// what later walks see: aliases share nodes, so a cyclic or exponentially fanned-out alias
// graph would otherwise recurse forever or for hours.
#include "config/reader.hpp"

#include <map>

namespace nexus::config::detail {
namespace {

constexpr size_t kMaxNodes = 1'000'000;

struct Walk {
    Reader& r;
    size_t nodes = 0;

    bool visit(const Field& f, int depth) {
        if (!f.node.IsSequence() && !f.node.IsMap()) return true;
        if (depth >= kMaxDepth) {
            r.error(f, "nested more than " + std::to_string(kMaxDepth) + " levels deep (an alias inside itself?)");
            return false;
        }
        if ((nodes += f.node.size()) > kMaxNodes) {
            r.error(f, "more than " + std::to_string(kMaxNodes) + " values once aliases are expanded");
            return false;
        }
        if (f.node.IsSequence()) {
            for (const auto& item : r.items(f))
                if (!visit(item, depth + 1)) return false;
            return true;
        }
        std::map<std::string, int> first_line;
        for (auto it = f.node.begin(); it != f.node.end(); ++it) {
            if (!it->first.IsScalar()) {
                r.error(r.mark_of(it->first), f.path, "expected a plain key, found " + describe(it->first) + " as a key");
                continue;
            }
            const std::string& key = it->first.Scalar();
            Mark key_mark = r.mark_of(it->first);
            auto [pos, inserted] = first_line.emplace(key, key_mark.line);
            if (!inserted) {
                r.error(key_mark, child_path(f.path, key),
                        "duplicate key, first defined at line " + std::to_string(pos->second));
                continue;
            }
            Field value{child_path(f.path, key), it->second, it->second.IsNull() ? key_mark : r.mark_of(it->second)};
            if (!visit(value, depth + 1)) return false;
        }
        return true;
    }
};

}  // namespace

bool check_mapping_keys(Reader& r, const Field& root) { return Walk{r}.visit(root, 0); }

}  // namespace nexus::config::detail
