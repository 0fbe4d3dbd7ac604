// One request/response exchange with an upstream: get a connection, write the request,
// stream the response to the callbacks, enforce the timeouts, and hand the connection
// back to the pool only after a complete keep-alive response.
#pragma once

#include "transport/client_state.hpp"
#include "transport/http_client.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace nexus::net::client {

class Exchange : public std::enable_shared_from_this<Exchange> {
public:
    Exchange(std::shared_ptr<ClientState> state, ClientRequest req, ClientCallbacks cb);
    ~Exchange();

    void start();
    // A connected connection, idle or just opened: send the request on it.
    void use(std::shared_ptr<Connection> conn);
    // A new connection: resolve, connect, TLS handshake, then use().
    void open(std::shared_ptr<Connection> conn);
    // Cancel or shutdown: close the connection at once and finish with `error`.
    void abort(ClientError error, const std::string& detail);

    bool finished() const { return done_; }
    // After a failed reuse the retry must not take another idle connection.
    bool wants_fresh() const { return retried_; }

private:
    using Clock = std::chrono::steady_clock;
    using Parser = boost::beast::http::response_parser<boost::beast::http::buffer_body>;

    void on_resolved(const std::shared_ptr<Connection>& conn, const boost::system::error_code& ec, const Endpoints& eps);
    void on_connected(const std::shared_ptr<Connection>& conn, const boost::system::error_code& ec);
    void on_handshake(const std::shared_ptr<Connection>& conn, const boost::system::error_code& ec);
    void on_written(const std::shared_ptr<Connection>& conn, const boost::system::error_code& ec);
    void read_header();
    void on_header(const std::shared_ptr<Connection>& conn, const boost::system::error_code& ec);
    void read_body();
    void on_body(const std::shared_ptr<Connection>& conn, boost::system::error_code ec);

    bool can_retry() const;
    void retry();
    void fail(ClientError error, const std::string& detail);
    void finish(ClientError error, const std::string& detail, bool reusable);

    // One deadline for the current phase (connect, first byte, idle). Pushing it later is
    // just a store: the pending wait re-arms itself when it fires early.
    void arm_phase(std::chrono::milliseconds limit, ClientError error);
    void disarm_phase() { phase_deadline_ = Clock::time_point::max(); }
    void schedule_timer();
    void wait_phase(Clock::time_point at);
    void on_phase_timer(uint64_t generation);
    std::string phase_detail() const;

    std::string origin_name() const;

    std::shared_ptr<ClientState> state_;
    ClientRequest req_;
    ClientCallbacks cb_;
    Url url_;
    std::string head_;
    OriginPool* pool_ = nullptr;
    std::shared_ptr<Connection> conn_;
    std::optional<Parser> parser_;

    boost::asio::steady_timer phase_timer_;
    Clock::time_point phase_deadline_ = Clock::time_point::max();
    Clock::time_point total_deadline_ = Clock::time_point::max();
    Clock::time_point timer_expiry_{};
    std::chrono::milliseconds phase_limit_{0};
    ClientError phase_error_ = ClientError::none;
    uint64_t timer_generation_ = 0;
    bool timer_waiting_ = false;

    bool done_ = false;
    bool retried_ = false;
    bool verify_tls_ = true;
    std::array<char, 16384> body_buf_;
};

}  // namespace nexus::net::client
