#include "plugin/file_digest.hpp"

#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

namespace nexus::plugin {

std::optional<std::string> file_sha256_hex(const std::string& path, std::string* error) {
    auto fail = [&](const std::string& why) -> std::optional<std::string> {
        if (error != nullptr) *error = path + ": " + why;
        return std::nullopt;
    };
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(std::strerror(errno));

    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return fail("cannot initialise SHA-256");
    char chunk[64 * 1024];
    while (in) {
        in.read(chunk, sizeof chunk);
        if (in.gcount() > 0 && EVP_DigestUpdate(ctx.get(), chunk, size_t(in.gcount())) != 1)
            return fail("SHA-256 update failed");
    }
    if (in.bad()) return fail("read error");

    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1) return fail("SHA-256 final failed");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 15];
    }
    return hex;
}

}  // namespace nexus::plugin
