#include "state/redis_url.hpp"

#include <charconv>
#include <stdexcept>

namespace nexus::state {

namespace {

constexpr std::string_view kScheme = "redis://";

[[noreturn]] void bad(std::string_view url, const std::string& why) {
    throw std::invalid_argument("redis URL '" + mask_redis_url(url) + "': " + why +
                                " (expected redis://[[user]:password@]host[:port][/db])");
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// RFC 3986 percent-decoding, for user names and passwords with reserved characters.
std::string percent_decode(std::string_view url, std::string_view s, const char* what) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        int hi = i + 2 < s.size() ? hex_digit(s[i + 1]) : -1, lo = i + 2 < s.size() ? hex_digit(s[i + 2]) : -1;
        if (hi < 0 || lo < 0) bad(url, std::string("bad percent-escape in the ") + what);
        out += char(hi * 16 + lo);
        i += 2;
    }
    return out;
}

template <class T>
bool parse_number(std::string_view s, T* out) {
    if (s.empty()) return false;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

std::string RedisAddress::endpoint() const {
    bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string mask_redis_url(std::string_view url) {
    size_t scheme_end = url.find("://");
    size_t at = url.rfind('@');
    if (scheme_end == std::string_view::npos || at == std::string_view::npos || at < scheme_end) return std::string(url);
    size_t colon = url.find(':', scheme_end + 3);
    if (colon == std::string_view::npos || colon > at) return std::string(url);  // user only, no password
    return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

RedisAddress parse_redis_url(std::string_view url) {
    if (url.rfind("rediss://", 0) == 0)
        bad(url, "TLS to Redis (rediss://) is not supported by this build; use redis:// on a trusted network");
    if (url.rfind(kScheme, 0) != 0) bad(url, "the scheme must be redis://");
    RedisAddress a;
    std::string_view rest = url.substr(kScheme.size());
    if (rest.find_first_of("?#") != std::string_view::npos) bad(url, "query parameters and fragments are not supported");

    // The last '@' ends the credentials: a password may contain '@' or '/'.
    size_t at = rest.rfind('@');
    if (at != std::string_view::npos) {
        std::string_view userinfo = rest.substr(0, at);
        rest = rest.substr(at + 1);
        size_t colon = userinfo.find(':');
        if (colon == std::string_view::npos) bad(url, "credentials need a ':' before the password (redis://:password@host)");
        a.user = percent_decode(url, userinfo.substr(0, colon), "user name");
        a.password = percent_decode(url, userinfo.substr(colon + 1), "password");
    }

    std::string_view hostport = rest, path;
    if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
        hostport = rest.substr(0, slash);
        path = rest.substr(slash + 1);
    }
    std::string_view port;
    if (!hostport.empty() && hostport[0] == '[') {
        size_t close = hostport.find(']');
        if (close == std::string_view::npos) bad(url, "unclosed '[' in the host");
        a.host = std::string(hostport.substr(1, close - 1));
        std::string_view after = hostport.substr(close + 1);
        if (!after.empty()) {
            if (after[0] != ':') bad(url, "unexpected text after the IPv6 address");
            port = after.substr(1);
            if (port.empty()) bad(url, "empty port");
        }
    } else {
        size_t colon = hostport.find(':');
        a.host = std::string(hostport.substr(0, colon));
        if (colon != std::string_view::npos) {
            port = hostport.substr(colon + 1);
            if (port.empty()) bad(url, "empty port");
        }
    }
    if (a.host.empty()) bad(url, "no host");
    if (!port.empty()) {
        uint32_t p = 0;
        if (!parse_number(port, &p) || p == 0 || p > 65535) bad(url, "the port must be a number from 1 to 65535");
        a.port = uint16_t(p);
    }
    if (!path.empty() && !(parse_number(path, &a.db) && a.db >= 0)) bad(url, "the database after '/' must be a number");
    return a;
}

}  // namespace nexus::state
