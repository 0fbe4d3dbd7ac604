// Applying the rules' actions to what the scanner found, and the reversible placeholders.
#pragma once

#include "scanner.hpp"

#include <map>
#include <string>
#include <unordered_map>
#include <utility>

namespace nexus::sanitize {

// What a rewrite did: matches per (rule, action), replacements made, the first block.
struct Tally {
    std::map<std::pair<std::string, Action>, int> matches;
    int replaced = 0;
    std::string blocked_by;  // the name of the first rule with action `block` that matched

    void add(const Rule& r);
    void merge(const Tally& other);
};

// Reversible redaction for one request: each original value gets a numbered placeholder
// ("[EMAIL_1]"; the same value always the same one), and restore() puts the originals back.
class Vault {
public:
    std::string placeholder(const Rule& r, std::string_view original);
    std::string restore(std::string_view text) const;
    bool empty() const { return originals_.empty(); }

private:
    std::map<std::string, std::string, std::less<>> by_original_;  // label + '\0' + value -> placeholder
    std::unordered_map<std::string, std::string> originals_;       // placeholder -> value
    std::map<std::string, int> counters_;                          // per label
};

// "[EMAIL]", or "[EMAIL:<first 8 hex of sha256(original)>]" for `hash`.
std::string replacement(const Rule& r, std::string_view original);

// text[from, to) with every finding inside that range replaced by its rule's action (`vault`:
// numbered placeholders for `redact`). A `block` finding is replaced by its label too and
// named in `tally.blocked_by`; the caller then refuses the request or answer.
std::string rewrite(std::string_view text, size_t from, size_t to, const std::vector<Finding>& findings, Vault* vault,
                    Tally& tally);

// scan + rewrite of a whole text.
std::string sanitize(const Config& cfg, std::string_view text, Vault* vault, Tally& tally);

}  // namespace nexus::sanitize
