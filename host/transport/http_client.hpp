// The upstream HTTP/1.1 client: per-origin keep-alive pools, TLS with verification,
// timeouts, streamed bodies, cancellation. Beast behind a pimpl.
#pragma once

#include "net/http_types.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace nexus::net {

struct TlsOptions {
    std::string ca_file;                 // empty: the system store
    bool insecure_skip_verify = false;   // logged loudly by whoever sets it
};

// A zero (or negative) timeout disables that limit.
struct ClientTimeouts {
    std::chrono::milliseconds connect{10000};     // DNS + TCP connect + TLS handshake
    std::chrono::milliseconds first_byte{60000};  // request sent -> response headers
    std::chrono::milliseconds idle{60000};        // between body bytes
    std::chrono::milliseconds total{600000};
};

struct ClientRequest {
    std::string method = "POST";
    std::string url;  // absolute
    HeaderList headers;
    std::string body;
    ClientTimeouts timeouts;
    TlsOptions tls;
    size_t pool_size = 64;
};

enum class ClientError {
    none = 0,
    bad_url,
    connect_failed,  // refused, DNS, unreachable
    tls_failed,
    timeout_connect,
    timeout_first_byte,
    timeout_idle,
    timeout_total,
    reset,           // connection closed/reset mid-way
    protocol,        // unparseable HTTP
    cancelled,
};
const char* to_string(ClientError e);

struct ClientCallbacks {
    // Response status and headers arrived.
    std::function<void(int status, HeaderList&& headers)> on_headers;  // the callee may keep them
    // A piece of the (de-chunked) body. Return false to cancel.
    std::function<bool(std::string_view data)> on_data;
    // Exactly once, last. `error` describes what went wrong (no secrets).
    std::function<void(ClientError error, const std::string& detail)> on_done;
};

class CancelToken {
public:
    virtual ~CancelToken() = default;
    virtual void cancel() = 0;  // thread-safe; on_done(cancelled) follows unless already done
};

// One client per event loop. `io_context` is a void* to keep Asio out of this header: it
// must point at the boost::asio::io_context the callbacks should run on. Use it (and
// destroy it) on that loop's thread, and destroy it before that io_context; destroying it
// cancels what is in flight, whose on_done(cancelled) runs inside the destructor.
class HttpClient {
public:
    explicit HttpClient(void* io_context);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;
    std::shared_ptr<CancelToken> send(ClientRequest req, ClientCallbacks cb);
    size_t open_connections() const;  // idle + in use + connecting, all origins
    size_t idle_connections() const;
    // How long a pooled connection may sit unused before it is closed (default 30 s).
    void set_idle_expiry(std::chrono::milliseconds expiry);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace nexus::net
