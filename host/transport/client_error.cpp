#include "transport/http_client.hpp"

namespace nexus::net {

const char* to_string(ClientError e) {
    switch (e) {
        case ClientError::none: return "none";
        case ClientError::bad_url: return "bad URL";
        case ClientError::connect_failed: return "connection failed";
        case ClientError::tls_failed: return "TLS handshake failed";
        case ClientError::timeout_connect: return "connect timeout";
        case ClientError::timeout_first_byte: return "timeout waiting for the first byte";
        case ClientError::timeout_idle: return "idle timeout";
        case ClientError::timeout_total: return "total timeout";
        case ClientError::reset: return "connection reset";
        case ClientError::protocol: return "malformed HTTP response";
        case ClientError::cancelled: return "cancelled";
    }
    return "unknown";
}

}  // namespace nexus::net
