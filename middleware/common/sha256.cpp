#include "sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace nexus::mw {

namespace {
// Fetched once: EVP_sha256() makes OpenSSL 3 look the algorithm up again on every digest,
// which cost more than hashing a short record. Kept for the life of the process on purpose:
// freeing it from a static destructor could run after OpenSSL's own cleanup.
const EVP_MD* sha256_md() {
    static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return md;
}
}  // namespace

Digest sha256(std::string_view data) {
    Digest d{};
    unsigned int len = 0;
    const EVP_MD* md = sha256_md();
    if (!md || EVP_Digest(data.data(), data.size(), d.data(), &len, md, nullptr) != 1 || len != d.size())
        throw std::runtime_error("SHA-256 failed");
    return d;
}

std::string to_hex(const Digest& d) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(d.size() * 2);
    for (unsigned char b : d) {
        out += kHex[b >> 4];
        out += kHex[b & 15];
    }
    return out;
}

bool from_hex(std::string_view hex, Digest& out) {
    if (hex.size() != out.size() * 2) return false;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (size_t i = 0; i < out.size(); ++i) {
        int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[i] = static_cast<unsigned char>(hi << 4 | lo);
    }
    return true;
}

}  // namespace nexus::mw
