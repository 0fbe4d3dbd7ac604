#include "hash_chain.hpp"

#include "sha256.hpp"

namespace nexus::audit {

std::string sha256_hex(std::string_view data) { return mw::to_hex(mw::sha256(data)); }

std::string seal(std::string_view open_record, const std::string& prev, bool first_in_file, std::string* hash) {
    std::string line;
    line.reserve(open_record.size() + 240);
    line.append(open_record);
    if (first_in_file) line.append(",\"genesis\":\"").append(prev).append("\"");
    line.append(",\"prev\":\"").append(prev).append("\"}");
    std::string h = sha256_hex(line);
    line.pop_back();  // the closing brace moves after the hash
    line.append(",\"hash\":\"").append(h).append("\"}\n");
    if (hash) *hash = std::move(h);
    return line;
}

std::string stated_hash(std::string_view line) {
    static constexpr std::string_view kKey = ",\"hash\":\"";
    const size_t tail = kKey.size() + 64 + 2;
    if (line.size() < tail + 1 || line.substr(line.size() - 2) != "\"}") return {};
    std::string_view key = line.substr(line.size() - tail, kKey.size());
    if (key != kKey) return {};
    std::string_view hex = line.substr(line.size() - 66, 64);
    for (char c : hex)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return {};
    return std::string(hex);
}

}  // namespace nexus::audit
