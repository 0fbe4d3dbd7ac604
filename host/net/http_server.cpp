#include "net/http_server.hpp"

#include "net/server_loop.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>

#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace nexus::net {

namespace asio = boost::asio;
using detail::Loop;

struct HttpServer::Impl {
    detail::ServerShared shared;
    std::vector<std::unique_ptr<Loop>> loops;  // destroyed before `shared`
    uint16_t port = 0;
    bool started = false;
    std::atomic<bool> shutting_down{false};
    std::mutex join_mutex;

    asio::ip::tcp::endpoint endpoint(uint16_t p) const {
        boost::system::error_code ec;
        auto addr = asio::ip::make_address(shared.opts.host, ec);
        if (!ec) return {addr, p};
        asio::io_context ioc;
        asio::ip::tcp::resolver resolver(ioc);
        auto results = resolver.resolve(shared.opts.host, "", ec);
        if (ec || results.empty())
            throw std::runtime_error("cannot listen on '" + shared.opts.host + "': " +
                                     (ec ? ec.message() : std::string("no address")));
        return {results.begin()->endpoint().address(), p};
    }
};

HttpServer::HttpServer(ServerOptions opts, Handler handler) : impl_(std::make_unique<Impl>()) {
    impl_->shared.opts = std::move(opts);
    impl_->shared.handler = std::move(handler);
}

HttpServer::~HttpServer() {
    if (impl_->started) {
        shutdown(std::chrono::milliseconds(0));
        wait();
    }
    for (auto& l : impl_->loops) l->mark_dead();
    impl_->loops.clear();
}

void HttpServer::start() {
    if (impl_->started) throw std::logic_error("HttpServer::start called twice");
    auto& o = impl_->shared.opts;
    if (!impl_->shared.handler) throw std::invalid_argument("HttpServer needs a request handler");
    unsigned n = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
    auto ep = impl_->endpoint(o.port);
    for (unsigned i = 0; i < n; ++i) {
        auto loop = std::make_unique<Loop>(impl_->shared);
        try {
            // Port 0: the first acceptor picks a port, the others join it (SO_REUSEPORT).
            loop->listen(asio::ip::tcp::endpoint(ep.address(), i == 0 ? ep.port() : impl_->port));
        } catch (const boost::system::system_error& e) {
            impl_->loops.clear();
            throw std::runtime_error("cannot listen on " + o.host + ":" +
                                     std::to_string(i == 0 ? ep.port() : impl_->port) + ": " + e.code().message());
        }
        if (i == 0) impl_->port = loop->bound_port();
        impl_->loops.push_back(std::move(loop));
    }
    for (auto& l : impl_->loops) l->start_thread();
    impl_->started = true;
}

uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::shutdown(std::chrono::milliseconds grace) {
    if (!impl_->started || impl_->shutting_down.exchange(true)) return;
    auto deadline = detail::Clock::now() + grace;
    for (auto& l : impl_->loops) asio::post(l->ioc(), [lp = l.get(), deadline] { lp->begin_shutdown(deadline); });
}

void HttpServer::wait() {
    std::lock_guard lock(impl_->join_mutex);
    for (auto& l : impl_->loops) l->join();
}

size_t HttpServer::active_requests() const {
    size_t n = 0;
    for (const auto& l : impl_->loops) n += l->active_requests();
    return n;
}

void* HttpServer::current_io_context() {
    Loop* l = Loop::current();
    return l ? static_cast<void*>(&l->ioc()) : nullptr;
}

}  // namespace nexus::net
