// Per-event-loop services for the request path: the loop's io_context and its upstream
// HTTP client (one per loop: nothing shared between threads on the hot path).
#pragma once

#include <functional>

namespace nexus::net {
class HttpClient;
}

namespace nexus::core {

// Binds the calling thread to an io_context (a boost::asio::io_context*). The server's loop
// threads are bound lazily from HttpServer::current_io_context().
void bind_loop(void* io_context);
void* current_loop();  // nullptr when the thread has no loop
net::HttpClient& loop_http_client();  // requires a bound loop
// Runs `fn` on the loop `io_context` (from any thread).
void post_to_loop(void* io_context, std::function<void()> fn);

}  // namespace nexus::core
