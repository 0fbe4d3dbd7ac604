// OpenSSL client contexts and per-connection verification settings for upstream TLS.
#pragma once

#include "transport/http_client.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>
#include <string>

namespace nexus::net::client {

// Key under which a context (and the connections made with it) may be shared.
std::string tls_options_key(const TlsOptions& tls);

// TLS 1.2+, peer verification against the system store plus tls.ca_file, or no verification
// when insecure_skip_verify. nullptr with *error when ca_file cannot be loaded.
std::unique_ptr<boost::asio::ssl::context> make_tls_context(const TlsOptions& tls, std::string* error);

// SNI for names, and hostname (or IP address) verification unless insecure. false with
// *error if OpenSSL refuses the settings.
bool prepare_tls_stream(boost::asio::ssl::stream<boost::asio::ip::tcp::socket>& stream, const std::string& host,
                        bool verify, std::string* error);

// Why a handshake failed, naming the certificate problem when verification failed.
std::string describe_handshake_error(boost::asio::ssl::stream<boost::asio::ip::tcp::socket>& stream,
                                     const boost::system::error_code& ec, bool verify);

}  // namespace nexus::net::client
