// encoding_format "base64" for embeddings: the base64 (RFC 4648, with padding) of the vector
// as little-endian IEEE-754 float32 values, which is what OpenAI returns and what the OpenAI
// SDKs (which ask for base64 by default) decode. For providers that only return floats.
// Header-only; needs RapidJSON.
#ifndef NEXUS_EMBEDDING_BASE64_HPP
#define NEXUS_EMBEDDING_BASE64_HPP

#include <rapidjson/document.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace nexus::sdk {

inline std::string base64_encode(std::string_view bytes) {
    static constexpr char kTable[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        uint32_t n = uint32_t(uint8_t(bytes[i])) << 16 | uint32_t(uint8_t(bytes[i + 1])) << 8 | uint8_t(bytes[i + 2]);
        out += kTable[n >> 18];
        out += kTable[(n >> 12) & 63];
        out += kTable[(n >> 6) & 63];
        out += kTable[n & 63];
    }
    if (size_t rest = bytes.size() - i; rest > 0) {
        uint32_t n = uint32_t(uint8_t(bytes[i])) << 16 | (rest == 2 ? uint32_t(uint8_t(bytes[i + 1])) << 8 : 0);
        out += kTable[n >> 18];
        out += kTable[(n >> 12) & 63];
        out += rest == 2 ? kTable[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

// nullopt when `numbers` is not an array of numbers.
inline std::optional<std::string> float32_base64(const rapidjson::Value& numbers) {
    if (!numbers.IsArray()) return std::nullopt;
    std::string bytes;
    bytes.reserve(numbers.Size() * 4);
    for (const auto& v : numbers.GetArray()) {
        if (!v.IsNumber()) return std::nullopt;
        float f = static_cast<float>(v.GetDouble());
        uint32_t bits;
        std::memcpy(&bits, &f, sizeof bits);
        for (int shift = 0; shift < 32; shift += 8) bytes.push_back(char((bits >> shift) & 0xff));  // little-endian
    }
    return base64_encode(bytes);
}

}  // namespace nexus::sdk

#endif  // NEXUS_EMBEDDING_BASE64_HPP
