#include "net/response_head.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <strings.h>

namespace nexus::net {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// RFC 9110 5.6.2 token characters.
bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!ok) {
            switch (c) {
                case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
                case '-': case '.': case '^': case '_': case '`': case '|': case '~': ok = true; break;
                default: break;
            }
        }
        if (!ok) return false;
    }
    return true;
}

bool is_safe_value(std::string_view v) {
    for (char c : v)
        if (c == '\r' || c == '\n' || c == '\0') return false;
    return true;
}

bool server_owned(std::string_view name) {
    return iequals(name, "content-length") || iequals(name, "transfer-encoding") || iequals(name, "connection") ||
           iequals(name, "keep-alive");
}

void append_number(std::string& out, size_t n) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, n);
    out.append(buf, r.ptr);
}

}  // namespace

const char* reason_phrase(int status) {
    switch (status) {
        case 100: return "Continue";
        case 101: return "Switching Protocols";
        case 200: return "OK";
        case 201: return "Created";
        case 202: return "Accepted";
        case 204: return "No Content";
        case 206: return "Partial Content";
        case 301: return "Moved Permanently";
        case 302: return "Found";
        case 303: return "See Other";
        case 304: return "Not Modified";
        case 307: return "Temporary Redirect";
        case 308: return "Permanent Redirect";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 402: return "Payment Required";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 406: return "Not Acceptable";
        case 408: return "Request Timeout";
        case 409: return "Conflict";
        case 410: return "Gone";
        case 411: return "Length Required";
        case 413: return "Content Too Large";
        case 414: return "URI Too Long";
        case 415: return "Unsupported Media Type";
        case 422: return "Unprocessable Content";
        case 429: return "Too Many Requests";
        case 431: return "Request Header Fields Too Large";
        case 499: return "Client Closed Request";
        case 500: return "Internal Server Error";
        case 501: return "Not Implemented";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        case 504: return "Gateway Timeout";
        case 529: return "Site Overloaded";
        default: return "Status";
    }
}

bool headers_ask_close(const HeaderList& headers) {
    for (const auto& [k, v] : headers)
        if (iequals(k, "connection") && iequals(v, "close")) return true;
    return false;
}

void append_response_head(std::string& out, const HeadSpec& spec, const HeaderList& headers) {
    out += "HTTP/1.1 ";
    append_number(out, size_t(spec.status));
    out += ' ';
    out += reason_phrase(spec.status);
    out += "\r\n";
    bool has_server = false;
    for (const auto& [k, v] : headers) {
        if (!is_token(k) || !is_safe_value(v)) {
            spdlog::warn("http server: dropped response header '{}' with characters not allowed in HTTP",
                         is_safe_value(k) ? k : std::string("<invalid name>"));
            continue;
        }
        if (server_owned(k)) continue;
        if (iequals(k, "server")) has_server = true;
        out += k;
        out += ": ";
        out += v;
        out += "\r\n";
    }
    if (!has_server) out += "Server: nexus\r\n";
    switch (spec.framing) {
        case BodyFraming::content_length:
            out += "Content-Length: ";
            append_number(out, spec.content_length);
            out += "\r\n";
            break;
        case BodyFraming::chunked: out += "Transfer-Encoding: chunked\r\n"; break;
        case BodyFraming::until_close:
        case BodyFraming::none: break;
    }
    if (!spec.keep_alive) out += "Connection: close\r\n";
    else if (spec.http10) out += "Connection: keep-alive\r\n";
    out += "\r\n";
}

}  // namespace nexus::net
