// `nexus keys new [--id NAME]`: makes a virtual key for the `auth` middleware. Prints the key
// once (stdout line 1) and the config line holding only its SHA-256 (stdout line 2); the key
// itself is stored nowhere.
#include "cli/commands.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace nexus::cli {
namespace {

constexpr const char* kUsage = "usage: nexus keys new [--id NAME]   (NAME: 1-64 of A-Z a-z 0-9 . _ -)\n";

// The same rule as the auth middleware applies to ids.
bool valid_id(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-'))
            return false;
    return true;
}

// RFC 4648 section 5 (URL- and filename-safe alphabet), without padding.
std::string base64url(const unsigned char* data, size_t n) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; ++i) {
        acc = acc << 8 | data[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kAlphabet[(acc >> bits) & 63];
        }
    }
    if (bits > 0) out += kAlphabet[(acc << (6 - bits)) & 63];
    return out;
}

std::string hex(const unsigned char* data, size_t n) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < n; ++i) {
        out += kHex[data[i] >> 4];
        out += kHex[data[i] & 15];
    }
    return out;
}

}  // namespace

int cmd_keys_new(const Args& args) {
    std::string id;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--id") {
            if (i + 1 == args.size()) {
                std::fprintf(stderr, "nexus keys new: --id needs a value\n%s", kUsage);
                return 2;
            }
            id = args[++i];
        } else if (args[i].rfind("--id=", 0) == 0) {
            id = args[i].substr(5);
        } else if (args[i] == "-h" || args[i] == "--help") {
            std::fputs(kUsage, stdout);
            return 0;
        } else {
            std::fprintf(stderr, "nexus keys new: unexpected argument '%s'\n%s", args[i].c_str(), kUsage);
            return 2;
        }
    }
    unsigned char secret[32];
    unsigned char suffix[4];
    if (RAND_bytes(secret, sizeof secret) != 1 || RAND_bytes(suffix, sizeof suffix) != 1) {
        std::fputs("nexus keys new: the random generator failed\n", stderr);
        return 1;
    }
    if (id.empty()) id = "key-" + hex(suffix, sizeof suffix);
    if (!valid_id(id)) {
        std::fprintf(stderr, "nexus keys new: --id '%s' is not a valid id\n%s", id.c_str(), kUsage);
        return 2;
    }
    const std::string key = "nx-" + base64url(secret, sizeof secret);
    unsigned char digest[32];
    unsigned int len = 0;
    if (EVP_Digest(key.data(), key.size(), digest, &len, EVP_sha256(), nullptr) != 1 || len != sizeof digest) {
        std::fputs("nexus keys new: SHA-256 failed\n", stderr);
        return 1;
    }
    std::printf("%s\n- {id: %s, hash: \"sha256:%s\"}\n", key.c_str(), id.c_str(), hex(digest, sizeof digest).c_str());
    std::fputs("\nThe first line is the key, shown only now: nexus keeps only its hash. Give it to the client\n"
               "(Authorization: Bearer <key> or x-api-key: <key>) and paste the second line under the auth\n"
               "middleware's keys: list (or into its keys_file).\n",
               stderr);
    return 0;
}

}  // namespace nexus::cli
