#include "core/request_id.hpp"

#include <openssl/rand.h>

#include <cstdint>
#include <cstring>

namespace nexus::core {

namespace {
// Ids must be unique, not secret: a per-thread xoshiro256** stream seeded once from the OS
// CSPRNG costs a few instructions, where RAND_bytes per request cost a syscall (getpid for
// fork detection) and ~7k instructions.
struct IdStream {
    uint64_t s[4];
    IdStream() {
        if (RAND_bytes(reinterpret_cast<unsigned char*>(s), sizeof s) != 1 || (s[0] | s[1] | s[2] | s[3]) == 0) {
            s[0] = 0x9e3779b97f4a7c15ULL ^ uint64_t(reinterpret_cast<uintptr_t>(this));
            s[1] = 0xbf58476d1ce4e5b9ULL;
            s[2] = 0x94d049bb133111ebULL;
            s[3] = 0x2545f4914f6cdd1dULL;
        }
    }
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t next() {
        const uint64_t result = rotl(s[1] * 5, 7) * 9;
        const uint64_t t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = rotl(s[3], 45);
        return result;
    }
};
}  // namespace

std::string make_request_id(const net::HeaderList& headers) {
    if (auto v = net::find_header(headers, "x-request-id"); v && !v->empty() && v->size() <= 128) {
        bool printable = true;
        for (char c : *v)
            if (c < 0x21 || c > 0x7e) printable = false;
        if (printable) return std::string(*v);
    }
    thread_local IdStream stream;
    static constexpr char kHex[] = "0123456789abcdef";
    const uint64_t a = stream.next(), b = stream.next();
    char id[4 + 24] = {'r', 'e', 'q', '_'};
    for (int i = 0; i < 16; ++i) id[4 + i] = kHex[(a >> (60 - 4 * i)) & 15];
    for (int i = 0; i < 8; ++i) id[20 + i] = kHex[(b >> (60 - 4 * i)) & 15];
    return std::string(id, sizeof id);
}

}  // namespace nexus::core
