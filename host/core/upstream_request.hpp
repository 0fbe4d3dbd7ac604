// Glue between a provider's prepared request and the transport.
#pragma once

#include "config/config.hpp"
#include "net/http_types.hpp"
#include "nexus/nexus.h"
#include "transport/http_client.hpp"

#include <string>
#include <vector>

namespace nexus::core {

// The client's headers a provider plugin may see: everything but credentials and
// hop-by-hop headers (the gateway's own key must never reach a provider).
std::vector<nx_header> plugin_visible_headers(const net::HeaderList& client_headers);

net::ClientRequest make_client_request(const config::ProviderConfig& cfg, std::string method, std::string url,
                                       net::HeaderList headers, std::string body);

}  // namespace nexus::core
