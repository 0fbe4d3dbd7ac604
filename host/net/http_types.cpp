#include "net/http_types.hpp"

#include <charconv>
#include <strings.h>

namespace nexus::net {

std::optional<std::string_view> find_header(const HeaderList& h, std::string_view name) {
    for (const auto& [k, v] : h)
        if (k.size() == name.size() && strncasecmp(k.data(), name.data(), name.size()) == 0) return std::string_view(v);
    return std::nullopt;
}

std::string Url::origin() const { return scheme + "://" + host + ":" + std::to_string(port); }

std::optional<Url> parse_url(std::string_view url, std::string* error) {
    auto fail = [&](const char* why) -> std::optional<Url> {
        if (error) *error = std::string(why) + ": '" + std::string(url) + "'";
        return std::nullopt;
    };
    Url u;
    auto sep = url.find("://");
    if (sep == std::string_view::npos) return fail("URL has no scheme");
    u.scheme = std::string(url.substr(0, sep));
    for (auto& c : u.scheme) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (u.scheme != "http" && u.scheme != "https") return fail("URL scheme must be http or https");
    std::string_view rest = url.substr(sep + 3);
    auto slash = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, slash);
    u.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    if (!u.target.empty() && u.target[0] == '?') u.target = "/" + u.target;
    if (authority.find('@') != std::string_view::npos) return fail("URL must not carry credentials");
    u.port = u.scheme == "https" ? 443 : 80;
    std::string_view hostpart = authority;
    if (!authority.empty() && authority[0] == '[') {  // [v6]:port
        auto close = authority.find(']');
        if (close == std::string_view::npos) return fail("URL has an unterminated IPv6 address");
        hostpart = authority.substr(1, close - 1);
        authority.remove_prefix(close + 1);
        if (!authority.empty() && authority[0] != ':') return fail("URL has junk after the IPv6 address");
        if (!authority.empty()) authority.remove_prefix(1);
        else authority = {};
        if (!authority.empty()) {
            unsigned p = 0;
            auto r = std::from_chars(authority.data(), authority.data() + authority.size(), p);
            if (r.ec != std::errc() || r.ptr != authority.data() + authority.size() || p == 0 || p > 65535)
                return fail("URL has a bad port");
            u.port = uint16_t(p);
        }
    } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        hostpart = authority.substr(0, colon);
        std::string_view port = authority.substr(colon + 1);
        unsigned p = 0;
        auto r = std::from_chars(port.data(), port.data() + port.size(), p);
        if (r.ec != std::errc() || r.ptr != port.data() + port.size() || p == 0 || p > 65535)
            return fail("URL has a bad port");
        u.port = uint16_t(p);
    }
    if (hostpart.empty()) return fail("URL has no host");
    u.host = std::string(hostpart);
    return u;
}

}  // namespace nexus::net
