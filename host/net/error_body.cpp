#include "net/error_body.hpp"

namespace nexus::net {

void append_json_escaped(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (u < 0x20) {
                    out += "\\u00";
                    out += kHex[u >> 4];
                    out += kHex[u & 0xF];
                } else {
                    out += c;
                }
        }
    }
}

std::string error_json(std::string_view message, std::string_view type, std::string_view code) {
    std::string out;
    out.reserve(64 + message.size() + type.size() + code.size());
    out += "{\"error\":{\"message\":\"";
    append_json_escaped(out, message);
    out += "\",\"type\":\"";
    append_json_escaped(out, type);
    out += "\",\"param\":null,\"code\":\"";
    append_json_escaped(out, code);
    out += "\"}}";
    return out;
}

}  // namespace nexus::net
