#include "net/server_loop.hpp"

#include "net/server_connection.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <sys/socket.h>
#include <vector>

namespace nexus::net::detail {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {
thread_local Loop* t_current = nullptr;

// Deadlines are checked by one sweep per loop rather than a timer per connection: the hot
// path only writes a time_point. The sweep period bounds how late a timeout fires.
std::chrono::milliseconds tick_period(const ServerOptions& o) {
    auto shortest = std::min({o.read_timeout, o.idle_timeout, o.write_timeout});
    return std::clamp(shortest / 8, std::chrono::milliseconds(5), std::chrono::milliseconds(1000));
}
}  // namespace

Loop::Loop(ServerShared& shared) : shared_(shared), tick_period_(tick_period(shared.opts)) {}

Loop::~Loop() {
    // Connections still registered (the loop was never run to its end) are released here;
    // the io_context, destroyed last, drops whatever handlers remain queued.
    while (first_) {
        Connection* c = first_;
        first_ = c->next_;
        c->prev_ = c->next_ = nullptr;
        auto drop = std::move(c->self_);
    }
}

Loop* Loop::current() { return t_current; }

void Loop::listen(const asio::ip::tcp::endpoint& ep) {
    acceptor_.open(ep.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    int one = 1;
    if (::setsockopt(acceptor_.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0)
        throw boost::system::system_error(error_code(errno, boost::system::system_category()), "SO_REUSEPORT");
    acceptor_.bind(ep);
    acceptor_.listen(asio::socket_base::max_listen_connections);
}

uint16_t Loop::bound_port() const { return acceptor_.local_endpoint().port(); }

void Loop::start_thread() {
    thread_ = std::thread([this] { run(); });
}

void Loop::join() {
    if (thread_.joinable()) thread_.join();
}

void Loop::run() {
    t_current = this;
    accept();
    arm_tick();
    for (;;) {
        try {
            ioc_.run();
            break;
        } catch (const std::exception& e) {
            spdlog::error("http server: event loop caught an exception: {}", e.what());
        } catch (...) {
            spdlog::error("http server: event loop caught a non-standard exception");
        }
    }
    t_current = nullptr;
}

void Loop::accept() {
    acceptor_.async_accept([this](error_code ec, asio::ip::tcp::socket sock) {
        if (ec) {
            if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
            // Out of descriptors or memory: back off instead of spinning on the error.
            if (ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
                ec == asio::error::no_memory || ec.value() == ENFILE) {
                spdlog::warn("http server: accept failed: {}; retrying in 50 ms", ec.message());
                accept_retry_.expires_after(std::chrono::milliseconds(50));
                accept_retry_.async_wait([this](error_code e) {
                    if (!e && acceptor_.is_open()) accept();
                });
                return;
            }
            accept();  // e.g. the peer reset before we accepted
            return;
        }
        on_accept(std::move(sock));
        accept();
    });
}

void Loop::on_accept(asio::ip::tcp::socket sock) {
    if (stopping_) return;  // the socket closes as it goes out of scope
    bool over = shared_.open_connections.fetch_add(1, std::memory_order_relaxed) >= shared_.opts.max_connections;
    if (over) shared_.open_connections.fetch_sub(1, std::memory_order_relaxed);
    auto c = std::make_shared<Connection>(*this, std::move(sock), !over);
    if (over) c->start_rejected();
    else c->start();
}

void Loop::link(std::shared_ptr<Connection> c) {
    Connection* p = c.get();
    p->self_ = std::move(c);
    p->prev_ = nullptr;
    p->next_ = first_;
    if (first_) first_->prev_ = p;
    first_ = p;
    ++count_;
}

void Loop::unlink(Connection* c) {
    if (!c->self_) return;
    if (c->prev_) c->prev_->next_ = c->next_;
    else first_ = c->next_;
    if (c->next_) c->next_->prev_ = c->prev_;
    c->prev_ = c->next_ = nullptr;
    --count_;
    auto drop = std::move(c->self_);  // the caller holds its own reference
    maybe_stop();
}

void Loop::arm_tick() {
    auto next = Clock::now() + tick_period_;
    if (stopping_) next = std::min(next, stop_deadline_);
    tick_.expires_at(next);
    tick_.async_wait([this](error_code ec) {
        if (!ec) on_tick();
    });
}

void Loop::on_tick() {
    auto now = Clock::now();
    bool force = stopping_ && now >= stop_deadline_;
    // Collect first: closing one connection can run callbacks that close others.
    std::vector<std::shared_ptr<Connection>> due;
    for (Connection* c = first_; c; c = c->next_)
        if (force || c->deadline() <= now) due.push_back(c->self_);
    for (auto& c : due) {
        if (force) c->close();
        else if (c->deadline() <= now) c->on_deadline();
    }
    if (ioc_.stopped()) return;
    arm_tick();
}

void Loop::begin_shutdown(Clock::time_point deadline) {
    if (stopping_) return;
    stopping_ = true;
    stop_deadline_ = deadline;
    error_code ec;
    acceptor_.close(ec);
    accept_retry_.cancel();
    std::vector<std::shared_ptr<Connection>> all;
    for (Connection* c = first_; c; c = c->next_) all.push_back(c->self_);
    for (auto& c : all) c->close_if_idle();
    maybe_stop();
    if (!ioc_.stopped()) arm_tick();  // re-arm so that the deadline is honoured precisely
}

void Loop::maybe_stop() {
    if (stopping_ && count_ == 0) ioc_.stop();
}

}  // namespace nexus::net::detail
