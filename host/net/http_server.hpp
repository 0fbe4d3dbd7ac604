// The client-facing HTTP/1.1 server (Beast behind a pimpl; this header has no Asio).
#pragma once

#include "net/http_types.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace nexus::net {

struct ServerOptions {
    std::string host = "127.0.0.1";
    uint16_t port = 8080;  // 0 = pick a free port (tests); see HttpServer::port()
    unsigned threads = 1;  // event loops, one acceptor each (SO_REUSEPORT)
    size_t max_body = 8u << 20;
    size_t max_header = 16u << 10;
    size_t max_connections = 10000;
    std::chrono::milliseconds read_timeout{30000};
    std::chrono::milliseconds idle_timeout{60000};
    // A write to the client that makes no progress for this long (the client stopped
    // reading) closes the connection and cancels its request.
    std::chrono::milliseconds write_timeout{30000};
};

struct ServerRequest {
    std::string method;
    std::string target;  // path + query
    HeaderList headers;
    std::string body;
    std::string client_ip;
    std::string_view path() const;  // target without the query
};

// How a handler answers. Exactly one of respond() or begin_stream()+write()*+end_stream().
// Callable from any thread; the server marshals onto the connection's strand.
class Responder {
public:
    virtual ~Responder() = default;
    virtual void respond(int status, HeaderList headers, std::string body) = 0;
    virtual void begin_stream(int status, HeaderList headers) = 0;  // chunked transfer
    virtual void write(std::string data) = 0;
    virtual void end_stream() = 0;
    // Called once if the client goes away before the response finished (or the server
    // closes the connection at its shutdown deadline or on a stalled write). Runs on the
    // connection's loop thread; registered after that happened, it runs at once. Later
    // respond()/write() calls are dropped.
    virtual void on_cancel(std::function<void()> fn) = 0;
    virtual bool cancelled() const = 0;
};

using Handler = std::function<void(ServerRequest&& req, std::shared_ptr<Responder> res)>;

// Responders must not outlive the HttpServer that made them.
class HttpServer {
public:
    HttpServer(ServerOptions opts, Handler handler);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Bind, listen, start the event-loop threads; throws std::runtime_error on bind error.
    // threads == 0 means one loop per hardware thread.
    void start();
    uint16_t port() const;              // the bound port
    // Stop accepting; wait up to `grace` for in-flight requests; then close everything.
    // Returns at once; callable from any thread, more than once.
    void shutdown(std::chrono::milliseconds grace);
    void wait();                        // until shutdown finished (all loop threads ended)
    size_t active_requests() const;
    // The boost::asio::io_context* of the event loop running on the calling thread, or
    // nullptr off the server's threads. Handlers use it to make upstream calls on their loop.
    static void* current_io_context();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace nexus::net
