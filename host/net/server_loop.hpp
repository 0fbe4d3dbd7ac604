// One event loop of the HTTP server: its io_context, thread, acceptor and connections.
// Internal to nexus_net (includes Asio).
#pragma once

#include "net/http_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

namespace nexus::net::detail {

class Connection;
using Clock = std::chrono::steady_clock;

// What every loop of one server shares; written before the threads start, then read-only
// except for the atomic counter.
struct ServerShared {
    ServerOptions opts;
    Handler handler;
    std::atomic<size_t> open_connections{0};
};

class Loop {
public:
    explicit Loop(ServerShared& shared);
    ~Loop();
    Loop(const Loop&) = delete;
    Loop& operator=(const Loop&) = delete;

    // Binds the acceptor (throws boost::system::system_error); call before start_thread().
    void listen(const boost::asio::ip::tcp::endpoint& ep);
    uint16_t bound_port() const;
    void start_thread();
    void join();

    // Posted by HttpServer::shutdown: stop accepting, close idle connections, and force-close
    // what is left at `deadline`.
    void begin_shutdown(Clock::time_point deadline);
    // Marks the io_context as being destroyed: responders stop posting to it.
    void mark_dead() { dead_.store(true, std::memory_order_release); }
    bool dead() const { return dead_.load(std::memory_order_acquire); }

    static Loop* current();  // the loop running on the calling thread, or nullptr
    bool on_this_thread() const { return current() == this; }

    boost::asio::io_context& ioc() { return ioc_; }
    const ServerOptions& opts() const { return shared_.opts; }
    ServerShared& shared() { return shared_; }
    bool stopping() const { return stopping_; }

    // Registry of open connections (loop thread only); the registry keeps them alive.
    void link(std::shared_ptr<Connection> c);
    void unlink(Connection* c);

    void request_started() { active_.fetch_add(1, std::memory_order_relaxed); }
    void request_ended() { active_.fetch_sub(1, std::memory_order_relaxed); }
    size_t active_requests() const { return active_.load(std::memory_order_relaxed); }

private:
    void run();
    void accept();
    void on_accept(boost::asio::ip::tcp::socket sock);
    void arm_tick();
    void on_tick();
    void maybe_stop();

    ServerShared& shared_;
    // Declared before ioc_ so that it is still there while ioc_'s destructor drops queued
    // handlers (whose responders check it).
    std::atomic<bool> dead_{false};
    boost::asio::io_context ioc_{1};
    boost::asio::ip::tcp::acceptor acceptor_{ioc_};
    boost::asio::steady_timer tick_{ioc_};
    boost::asio::steady_timer accept_retry_{ioc_};
    std::chrono::milliseconds tick_period_;
    std::thread thread_;
    std::atomic<size_t> active_{0};
    bool stopping_ = false;
    Clock::time_point stop_deadline_{};
    // Intrusive list of open connections; first_ owns nothing, Connection::self_ does.
    Connection* first_ = nullptr;
    size_t count_ = 0;
};

}  // namespace nexus::net::detail
