#include "transport/request_head.hpp"

#include <strings.h>

namespace nexus::net::client {
namespace {

// RFC 9110 5.6.2 token characters.
bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (unsigned char c : s) {
        if (c >= '0' && c <= '9') continue;
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') continue;
        if (std::string_view("!#$%&'*+-.^_`|~").find(char(c)) != std::string_view::npos) continue;
        return false;
    }
    return true;
}

bool is_field_value(std::string_view s) {
    for (unsigned char c : s)
        if (c == '\r' || c == '\n' || c == '\0') return false;
    return true;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool method_expects_body(std::string_view m) { return m == "POST" || m == "PUT" || m == "PATCH"; }

}  // namespace

std::optional<std::string> build_request_head(const ClientRequest& req, const Url& url, std::string* error) {
    if (!is_token(req.method)) {
        if (error) *error = "invalid request method";
        return std::nullopt;
    }
    std::string head;
    head.reserve(256 + req.headers.size() * 64);
    head += req.method;
    head += ' ';
    head += url.target;
    head += " HTTP/1.1\r\nHost: ";
    bool v6 = url.host.find(':') != std::string::npos;
    if (v6) head += '[';
    head += url.host;
    if (v6) head += ']';
    bool default_port = (url.scheme == "http" && url.port == 80) || (url.scheme == "https" && url.port == 443);
    if (!default_port) {
        head += ':';
        head += std::to_string(url.port);
    }
    head += "\r\n";
    size_t index = 0;
    for (const auto& [name, value] : req.headers) {
        ++index;
        if (!is_token(name)) {  // not echoed: a malformed name may hold a pasted secret
            if (error) *error = "invalid request header name (header #" + std::to_string(index) + ")";
            return std::nullopt;
        }
        if (!is_field_value(value)) {
            if (error) *error = "request header '" + name + "' has a value with CR, LF or NUL";
            return std::nullopt;
        }
        if (iequals(name, "host") || iequals(name, "content-length") || iequals(name, "transfer-encoding")) continue;
        head += name;
        head += ": ";
        head += value;
        head += "\r\n";
    }
    if (!req.body.empty() || method_expects_body(req.method)) {
        head += "Content-Length: ";
        head += std::to_string(req.body.size());
        head += "\r\n";
    }
    head += "\r\n";
    return head;
}

}  // namespace nexus::net::client
