// SHA-256 through OpenSSL's EVP interface.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace nexus::mw {

using Digest = std::array<unsigned char, 32>;

Digest sha256(std::string_view data);
std::string to_hex(const Digest& d);  // lowercase
// 64 hex digits (either case) -> digest; false when `hex` is anything else.
bool from_hex(std::string_view hex, Digest& out);

}  // namespace nexus::mw
