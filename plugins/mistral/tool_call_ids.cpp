#include "tool_call_ids.hpp"

#include <cstdint>

namespace nexus::mistral {

namespace {

constexpr size_t kIdLength = 9;
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

uint64_t fnv1a64(std::string_view s) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return h;
}

}  // namespace

bool is_mistral_tool_call_id(std::string_view id) {
    if (id.size() != kIdLength) return false;
    for (char c : id)
        if (!is_alnum(c)) return false;
    return true;
}

std::string to_mistral_tool_call_id(std::string_view id) {
    if (is_mistral_tool_call_id(id)) return std::string(id);
    uint64_t h = fnv1a64(id);  // 62^9 (~1.35e16) < 2^64: nine digits cover most of the hash
    std::string out(kIdLength, '0');
    for (size_t i = kIdLength; i-- > 0;) {
        out[i] = kAlphabet[h % kAlphabet.size()];
        h /= kAlphabet.size();
    }
    return out;
}

}  // namespace nexus::mistral
