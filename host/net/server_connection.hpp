// One client connection of the HTTP server: reads requests with Beast's parser, calls the
// handler, writes responses (whole or chunked), enforces the limits and timeouts.
// Lives on one loop thread; every member runs there. Internal to nexus_net.
#pragma once

#include "net/response_head.hpp"
#include "net/server_loop.hpp"
#include "net/write_queue.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nexus::net::detail {

class Connection : public std::enable_shared_from_this<Connection> {
public:
    // `counted`: the connection holds one of ServerShared::open_connections.
    Connection(Loop& loop, boost::asio::ip::tcp::socket sock, bool counted);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void start();           // serve requests
    void start_rejected();  // answer 503 (too many connections) and close

    Loop& loop() { return loop_; }
    Clock::time_point deadline() const { return deadline_; }
    void on_deadline();   // the loop's sweep found deadline() passed
    void close_if_idle(); // shutdown: close when no request is under way
    void close();         // close now; a request in flight is cancelled

    // Responder operations, each for request number `seq` (ignored once that one is over).
    void respond(uint64_t seq, int status, HeaderList headers, std::string body);
    void begin_stream(uint64_t seq, int status, HeaderList headers);
    void write(uint64_t seq, std::string data);
    void end_stream(uint64_t seq);
    void set_cancel_fn(uint64_t seq, std::function<void()> fn);
    void responder_dropped(uint64_t seq);
    bool cancelled(uint64_t seq) const { return cancelled_seq_.load(std::memory_order_acquire) == seq; }

    // Links of the loop's registry; self_ keeps a registered connection alive.
    Connection* prev_ = nullptr;
    Connection* next_ = nullptr;
    std::shared_ptr<Connection> self_;

private:
    enum class State {
        awaiting,   // no byte of the next request yet
        reading,    // part of a request received
        handling,   // the handler has the request; the read side only watches for EOF
        answering,  // writing the server's own error response, then lingering
        lingering,  // response sent, write side shut; draining until EOF or the deadline
        closed,
    };
    enum class Resp { none, pending, streaming, finishing, done };

    void begin_request();
    void parse_buffered();
    void read_more();
    void on_read(boost::system::error_code ec, size_t n);
    void reject_parse_error(boost::system::error_code ec);
    void maybe_send_continue();
    void dispatch();
    bool accepts(uint64_t seq) const;
    void send_error(int status, std::string_view message, std::string_view type, std::string_view code);
    void queue(OutSegment seg) { queue_.push_back(std::move(seg)); }
    void flush();
    void write_some();
    void on_write_some(boost::system::error_code ec, size_t n);
    void on_write(boost::system::error_code ec);
    void response_done();
    void start_linger();
    void apply_read_deadline();

    Loop& loop_;
    boost::asio::ip::tcp::socket sock_;
    boost::beast::flat_buffer buf_;        // request bytes; pipelined ones wait here
    std::array<char, 1024> monitor_buf_;   // target of the read that watches for EOF while handling
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::string client_ip_;
    std::string head_;  // the current response head, reused across requests
    std::vector<OutSegment> queue_, sending_;
    std::vector<boost::asio::const_buffer> bufs_;  // what the write in flight still has to send
    size_t next_buf_ = 0;                          // first unsent entry of bufs_
    std::function<void()> cancel_fn_;
    Clock::time_point deadline_ = Clock::time_point::max();
    uint64_t seq_ = 0;
    std::atomic<uint64_t> cancelled_seq_{0};
    State state_ = State::awaiting;
    Resp resp_ = Resp::none;
    BodyFraming framing_ = BodyFraming::content_length;
    bool counted_;
    bool first_request_ = true;
    bool in_request_ = false;     // between a parsed request and the end of its response
    bool keep_alive_ = true;
    bool http10_ = false;
    bool head_request_ = false;
    bool stream_body_ = false;    // streamed bytes go on the wire (not HEAD, not 204/304)
    bool expect_checked_ = false;
    bool read_pending_ = false;
    bool monitor_read_ = false;   // the pending read targets monitor_buf_, not buf_
    bool writing_ = false;
};

}  // namespace nexus::net::detail
