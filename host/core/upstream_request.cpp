#include "core/upstream_request.hpp"

#include <strings.h>

namespace nexus::core {

namespace {
constexpr const char* kHidden[] = {"authorization", "x-api-key", "cookie", "proxy-authorization", "host",
                                   "content-length", "connection", "transfer-encoding", "accept-encoding",
                                   "keep-alive", "upgrade", "te", "trailer"};
bool hidden(const std::string& name) {
    for (const char* h : kHidden)
        if (strcasecmp(name.c_str(), h) == 0) return true;
    return false;
}
}  // namespace

std::vector<nx_header> plugin_visible_headers(const net::HeaderList& client_headers) {
    std::vector<nx_header> out;
    out.reserve(client_headers.size());
    for (const auto& [k, v] : client_headers)
        if (!hidden(k)) out.push_back(nx_header{{k.data(), k.size()}, {v.data(), v.size()}});
    return out;
}

net::ClientRequest make_client_request(const config::ProviderConfig& cfg, std::string method, std::string url,
                                       net::HeaderList headers, std::string body) {
    net::ClientRequest cr;
    cr.method = method.empty() ? "POST" : std::move(method);
    cr.url = std::move(url);
    cr.headers = std::move(headers);
    cr.body = std::move(body);
    cr.timeouts.connect = cfg.timeouts.connect;
    cr.timeouts.first_byte = cfg.timeouts.first_byte;
    cr.timeouts.idle = cfg.timeouts.idle;
    cr.timeouts.total = cfg.timeouts.total;
    cr.tls.ca_file = cfg.ca_file;
    cr.tls.insecure_skip_verify = cfg.insecure_skip_verify;
    cr.pool_size = cfg.pool_size;
    return cr;
}

}  // namespace nexus::core
