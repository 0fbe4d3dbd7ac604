#include "core/loop_context.hpp"

#include "net/http_server.hpp"
#include "transport/http_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <memory>
#include <stdexcept>

namespace nexus::core {

namespace {
thread_local void* t_loop = nullptr;
thread_local std::unique_ptr<net::HttpClient> t_client;
}  // namespace

void bind_loop(void* io_context) {
    if (t_loop != io_context) t_client.reset();
    t_loop = io_context;
}

void* current_loop() {
    if (!t_loop) t_loop = net::HttpServer::current_io_context();
    return t_loop;
}

net::HttpClient& loop_http_client() {
    void* io = current_loop();
    if (!io) throw std::logic_error("upstream call from a thread without an event loop");
    if (!t_client) t_client = std::make_unique<net::HttpClient>(io);
    return *t_client;
}

void post_to_loop(void* io_context, std::function<void()> fn) {
    boost::asio::post(*static_cast<boost::asio::io_context*>(io_context), std::move(fn));
}

}  // namespace nexus::core
