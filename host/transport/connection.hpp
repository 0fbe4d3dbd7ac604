// One upstream socket (plain or TLS) and the read buffer that outlives a single exchange.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <cstdint>
#include <optional>

namespace nexus::net::client {

class Connection {
public:
    using tcp = boost::asio::ip::tcp;
    using TlsStream = boost::asio::ssl::stream<tcp::socket>;

    // `tls` null: plain TCP.
    Connection(boost::asio::io_context& ioc, boost::asio::ssl::context* tls);

    tcp::socket& socket() { return tls_ ? tls_->next_layer() : *plain_; }
    bool is_tls() const { return tls_.has_value(); }
    TlsStream& tls() { return *tls_; }

    // Calls f with the stream to read and write: the TLS stream or the plain socket.
    template <class F>
    void with_stream(F&& f) {
        if (tls_) f(*tls_);
        else f(*plain_);
    }

    // Closes the socket at once (no TLS close_notify); pending operations end aborted.
    void close();

    // For an idle connection about to be reused: has the server hung up on it (or sent
    // bytes nobody asked for)? A close that races this check is caught by the retry.
    bool peer_gone();
    // Without a syscall: bytes already buffered, or the socket closed.
    bool obviously_gone() { return buffer.size() != 0 || !socket().is_open(); }

    boost::beast::flat_buffer buffer;
    boost::asio::steady_timer idle_timer;  // expiry while pooled
    bool expiry_armed = false;             // idle_timer has a wait pending
    bool pooled = false;                   // in its pool's idle list now
    std::chrono::steady_clock::time_point idle_since;
    bool reused = false;                   // served an exchange before this one
    bool discarded = false;                // closed and no longer counted by its pool

private:
    std::optional<tcp::socket> plain_;
    std::optional<TlsStream> tls_;
};

}  // namespace nexus::net::client
