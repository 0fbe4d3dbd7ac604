#include "transport/tls_setup.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace nexus::net::client {

namespace ssl = boost::asio::ssl;

std::string tls_options_key(const TlsOptions& tls) {
    if (tls.insecure_skip_verify) return "insecure";
    return "verify:" + tls.ca_file;
}

std::unique_ptr<ssl::context> make_tls_context(const TlsOptions& tls, std::string* error) {
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_compression);
    if (tls.insecure_skip_verify) {
        ctx->set_verify_mode(ssl::verify_none);
        return ctx;
    }
    ctx->set_verify_mode(ssl::verify_peer);
    boost::system::error_code ec;
    ctx->set_default_verify_paths(ec);
    if (ec) {
        if (error) *error = "cannot load the system CA store: " + ec.message();
        return nullptr;
    }
    if (!tls.ca_file.empty()) {
        ctx->load_verify_file(tls.ca_file, ec);
        if (ec) {
            if (error) *error = "cannot load tls.ca_file '" + tls.ca_file + "': " + ec.message();
            return nullptr;
        }
    }
    return ctx;
}

// Hostname checks use OpenSSL's own verifier (SSL_set1_host / X509_VERIFY_PARAM_set1_ip_asc,
// see https://www.openssl.org/docs/man3.0/man3/SSL_set1_host.html) rather than Asio's
// host_name_verification callback, so a mismatch is reported by SSL_get_verify_result as
// "hostname mismatch" / "IP address mismatch" instead of a bare "certificate verify failed".
bool prepare_tls_stream(ssl::stream<boost::asio::ip::tcp::socket>& stream, const std::string& host, bool verify,
                        std::string* error) {
    SSL* s = stream.native_handle();
    boost::system::error_code ec;
    boost::asio::ip::make_address(host, ec);
    bool is_ip = !ec;
    if (!is_ip && !SSL_set_tlsext_host_name(s, host.c_str())) {
        if (error) *error = "cannot set the TLS server name";
        return false;
    }
    if (!verify) return true;
    if (is_ip) {
        if (!X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(s), host.c_str())) {
            if (error) *error = "cannot set the IP address to verify";
            return false;
        }
    } else {
        SSL_set_hostflags(s, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        if (!SSL_set1_host(s, host.c_str())) {
            if (error) *error = "cannot set the host name to verify";
            return false;
        }
    }
    return true;
}

std::string describe_handshake_error(ssl::stream<boost::asio::ip::tcp::socket>& stream,
                                     const boost::system::error_code& ec, bool verify) {
    if (verify) {
        long result = SSL_get_verify_result(stream.native_handle());
        if (result != X509_V_OK) return std::string("certificate verify failed: ") + X509_verify_cert_error_string(result);
    }
    if (ec == boost::asio::error::eof || ec == ssl::error::stream_truncated)
        return "TLS handshake: connection closed by the server";
    return "TLS handshake: " + ec.message();
}

}  // namespace nexus::net::client
