// Serializes the request line and headers of an upstream request (no Asio here).
#pragma once

#include "transport/http_client.hpp"

#include <optional>
#include <string>

namespace nexus::net::client {

// "METHOD target HTTP/1.1\r\nHost: ...\r\n...\r\n\r\n". Host and Content-Length are always
// ours (the caller's copies are dropped), Transfer-Encoding too since the body is sized.
// Nothing is added that the caller did not ask for (no Accept-Encoding: bodies must arrive
// uncompressed). nullopt with *error naming the bad method or header (never its value).
std::optional<std::string> build_request_head(const ClientRequest& req, const Url& url, std::string* error);

}  // namespace nexus::net::client
