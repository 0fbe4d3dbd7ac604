// One connection of the Redis pool, owned by the store's I/O thread (every member function
// runs there). Commands are written back to back as they come (pipelining) and replies are
// matched to them in order. The connection logs in (AUTH, SELECT, PING) before it takes
// commands, fails everything in flight when the server goes away or stops answering, and
// reconnects by itself with a growing delay.
//
// Timeouts: a request not answered by its deadline is answered "unavailable" at once but
// keeps its place in line, so its late reply is read and dropped and the pipeline stays in
// step. The connection itself is given up only when it makes no progress (no byte read) for
// command_timeout while requests wait: a slow or busy server is not mistaken for a dead one.
#pragma once

#include "state/redis_url.hpp"
#include "state/resp_parser.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nexus::state {

struct RedisSettings {
    RedisAddress address;
    std::string label;  // "redis at 127.0.0.1:6379", for messages
    std::chrono::milliseconds connect_timeout{2000};
    std::chrono::milliseconds command_timeout{1000};
    std::chrono::milliseconds reconnect_backoff{500};
    RespLimits limits;
};

// One operation: one or more commands written together, completed when all their replies
// are in (or the connection fails first).
struct RedisRequest {
    using Clock = std::chrono::steady_clock;
    std::string wire;   // the encoded commands
    size_t replies = 1;
    std::vector<RespValue> got;
    Clock::time_point deadline = Clock::time_point::max();  // from the caller's call
    // failure null: `got` holds every reply. Otherwise the connection failed; the text is
    // safe to show (no values, no password).
    std::function<void(RedisRequest&, const std::string* failure)> finish;
};

// A server's error reply fit for messages: Redis echoes the arguments of an unknown command
// (they could be values), so that part goes; the rest is capped at 200 bytes.
std::string redis_error_text(const std::string& server_error);

// What the pool as a whole knows: is Redis reachable, and why not. Logs each change once.
class RedisHealth {
public:
    explicit RedisHealth(std::string label) : label_(std::move(label)) {}
    void up();
    void down(const std::string& why);
    // A working connection was lost (a reconnect follows): one log line per loss, not per connection.
    void dropped(const std::string& why);
    const std::string& last_error() const { return last_error_; }

private:
    enum class Known { unknown, up, down };
    std::string label_;
    Known known_ = Known::unknown;
    bool drop_logged_ = false;
    std::string last_error_;
};

class RedisConnection : public std::enable_shared_from_this<RedisConnection> {
public:
    RedisConnection(boost::asio::io_context& io, const RedisSettings& settings, RedisHealth& health);

    void start();
    bool ready() const { return state_ == State::ready; }
    bool connecting() const { return state_ == State::connecting; }
    // Only when ready() or connecting(): written now, or after the login. r->deadline set.
    void submit(std::shared_ptr<RedisRequest> r);
    // Fails everything outstanding with `why` and stops for good.
    void shutdown(const std::string& why);

private:
    enum class State { disconnected, connecting, ready, closed };
    using tcp = boost::asio::ip::tcp;

    void connect();
    void on_connected(uint64_t gen);
    void login();
    void read();
    void on_replies(std::vector<RespValue>& replies, uint64_t gen);
    void send(std::shared_ptr<RedisRequest> r);
    void flush();
    void arm_deadline();
    void on_deadline();
    // Closes the socket and fails what is outstanding. `connecting`: the failure happened
    // before the login completed (Redis is unreachable, not just this socket gone).
    void fail(const std::string& why, bool connecting);
    // Takes everything outstanding out of the queues and fails it with `why`.
    void fail_outstanding(const std::string& why);
    void schedule_reconnect();
    void close_socket();
    std::string lost(const boost::system::error_code& ec, bool connecting) const;

    boost::asio::io_context& io_;
    const RedisSettings& settings_;
    RedisHealth& health_;
    tcp::resolver resolver_;
    tcp::socket socket_;
    boost::asio::steady_timer connect_timer_, deadline_timer_, reconnect_timer_;
    RedisRequest::Clock::time_point deadline_armed_ = RedisRequest::Clock::time_point::max();
    RedisRequest::Clock::time_point progress_{};  // last byte read, or when in_flight_ stopped being empty

    State state_ = State::disconnected;
    uint64_t gen_ = 0;        // bumped per connection attempt; stale handlers see a different one
    unsigned failures_ = 0;   // consecutive failed attempts, for the reconnect delay
    std::deque<std::shared_ptr<RedisRequest>> waiting_;    // submitted during the login
    std::deque<std::shared_ptr<RedisRequest>> in_flight_;  // written or about to be, in reply order
    size_t timed_out_ = 0;  // the first timed_out_ of in_flight_ were answered already; replies dropped
    std::string out_, writing_;
    bool write_active_ = false;
    RespParser parser_;
    std::vector<RespValue> parsed_;
    std::array<char, 16 * 1024> read_buf_{};
};

}  // namespace nexus::state
