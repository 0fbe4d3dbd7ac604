#include "rewrite.hpp"

#include "sha256.hpp"

namespace nexus::sanitize {

void Tally::add(const Rule& r) {
    ++matches[{r.name, r.action}];
    if (r.action == Action::block) {
        if (blocked_by.empty()) blocked_by = r.name;
    } else {
        ++replaced;
    }
}

void Tally::merge(const Tally& o) {
    for (const auto& [k, n] : o.matches) matches[k] += n;
    replaced += o.replaced;
    if (blocked_by.empty()) blocked_by = o.blocked_by;
}

namespace {
std::string sha256_prefix(std::string_view s) { return mw::to_hex(mw::sha256(s)).substr(0, 8); }
}  // namespace

std::string replacement(const Rule& r, std::string_view original) {
    if (r.action == Action::hash) return "[" + r.label + ":" + sha256_prefix(original) + "]";
    return "[" + r.label + "]";
}

std::string Vault::placeholder(const Rule& r, std::string_view original) {
    std::string key = r.label;
    key += '\0';
    key.append(original);
    if (auto it = by_original_.find(key); it != by_original_.end()) return it->second;
    std::string ph = "[" + r.label + "_" + std::to_string(++counters_[r.label]) + "]";
    by_original_.emplace(std::move(key), ph);
    originals_.emplace(ph, std::string(original));
    return ph;
}

std::string Vault::restore(std::string_view text) const {
    if (originals_.empty()) return std::string(text);
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        size_t open = text.find('[', i);
        if (open == std::string_view::npos) break;
        size_t close = text.substr(open, 64).find(']');
        if (close != std::string_view::npos) {
            auto it = originals_.find(std::string(text.substr(open, close + 1)));
            if (it != originals_.end()) {
                out.append(text.substr(i, open - i));
                out += it->second;
                i = open + close + 1;
                continue;
            }
        }
        out.append(text.substr(i, open + 1 - i));
        i = open + 1;
    }
    out.append(text.substr(i));
    return out;
}

std::string rewrite(std::string_view text, size_t from, size_t to, const std::vector<Finding>& findings, Vault* vault,
                    Tally& tally) {
    std::string out;
    out.reserve(to - from);
    size_t pos = from;
    for (const Finding& f : findings) {
        if (f.begin < from || f.end > to) continue;
        std::string_view original = text.substr(f.begin, f.end - f.begin);
        tally.add(*f.rule);
        out.append(text.substr(pos, f.begin - pos));
        // A blocked request is not sent, but later readers of the document (the audit
        // log's prompt capture) must not see what was blocked either.
        if (f.rule->action == Action::block) out += "[" + f.rule->label + "]";
        else if (vault && f.rule->action == Action::redact) out += vault->placeholder(*f.rule, original);
        else out += replacement(*f.rule, original);
        pos = f.end;
    }
    out.append(text.substr(pos, to - pos));
    return out;
}

std::string sanitize(const Config& cfg, std::string_view text, Vault* vault, Tally& tally) {
    auto findings = scan(cfg, text);
    if (findings.empty()) return std::string(text);
    return rewrite(text, 0, text.size(), findings, vault, tally);
}

}  // namespace nexus::sanitize
