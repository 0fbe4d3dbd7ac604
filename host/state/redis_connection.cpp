#include "state/redis_connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

namespace nexus::state {

namespace {

std::string lower_first(std::string s) {
    if (!s.empty()) s[0] = char(std::tolower((unsigned char)s[0]));
    return s;
}

std::string ms(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

}  // namespace

std::string redis_error_text(const std::string& s) {
    std::string out = s.substr(0, s.find(", with args beginning with"));
    if (out.size() > 200) out.resize(200);
    return out;
}

void RedisHealth::up() {
    if (known_ == Known::down) spdlog::info("{} is reachable again; key-value calls work again", label_);
    else if (known_ == Known::unknown) spdlog::info("connected to {}", label_);
    known_ = Known::up;
    drop_logged_ = false;
}

void RedisHealth::dropped(const std::string& why) {
    if (drop_logged_) return;
    spdlog::info("{}; reconnecting", why);
    drop_logged_ = true;
}

void RedisHealth::down(const std::string& why) {
    if (known_ != Known::down)
        spdlog::warn("{}; key-value calls fail (NX_ERR) until it is back, retrying in the background", why);
    known_ = Known::down;
    last_error_ = why;
}

RedisConnection::RedisConnection(boost::asio::io_context& io, const RedisSettings& settings, RedisHealth& health)
    : io_(io),
      settings_(settings),
      health_(health),
      resolver_(io),
      socket_(io),
      connect_timer_(io),
      deadline_timer_(io),
      reconnect_timer_(io),
      parser_(settings.limits) {}

void RedisConnection::start() { connect(); }

void RedisConnection::close_socket() {
    resolver_.cancel();
    connect_timer_.cancel();
    boost::system::error_code ignored;
    socket_.close(ignored);
}

void RedisConnection::connect() {
    if (state_ == State::closed) return;
    state_ = State::connecting;
    uint64_t gen = ++gen_;
    close_socket();
    parser_.reset();
    auto self = shared_from_this();
    const std::string& label = settings_.label;
    connect_timer_.expires_after(settings_.connect_timeout);
    connect_timer_.async_wait([self, gen, &label](const boost::system::error_code& ec) {
        if (ec || gen != self->gen_ || self->state_ != State::connecting) return;
        self->fail(label + " is unreachable: no connection within " + ms(self->settings_.connect_timeout), true);
    });
    resolver_.async_resolve(
        settings_.address.host, std::to_string(settings_.address.port),
        [self, gen, &label](const boost::system::error_code& ec, const tcp::resolver::results_type& results) {
            if (gen != self->gen_) return;
            if (ec) return self->fail(label + " is unreachable: cannot resolve the host: " + lower_first(ec.message()), true);
            boost::asio::async_connect(self->socket_, results,
                                       [self, gen, &label](const boost::system::error_code& ec, const tcp::endpoint&) {
                                           if (gen != self->gen_) return;
                                           if (ec) return self->fail(label + " is unreachable: " + lower_first(ec.message()), true);
                                           self->on_connected(gen);
                                       });
        });
}

void RedisConnection::on_connected(uint64_t gen) {
    boost::system::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);  // small pipelined commands: no Nagle delay
    socket_.set_option(boost::asio::socket_base::keep_alive(true), ignored);
    read();
    if (gen == gen_) login();
}

// AUTH (when the URL has a password), SELECT (db other than 0), and a PING that proves the
// server speaks RESP and that no password is missing. Commands wait in waiting_ until then.
void RedisConnection::login() {
    enum class Step { auth, select, ping };
    std::vector<Step> steps;
    auto r = std::make_shared<RedisRequest>();
    const RedisAddress& a = settings_.address;
    if (!a.password.empty()) {
        if (a.user.empty()) append_resp_command(r->wire, {"AUTH", a.password});
        else append_resp_command(r->wire, {"AUTH", a.user, a.password});
        steps.push_back(Step::auth);
    }
    std::string db = std::to_string(a.db);
    if (a.db != 0) {
        append_resp_command(r->wire, {"SELECT", db});
        steps.push_back(Step::select);
    }
    append_resp_command(r->wire, {"PING"});
    steps.push_back(Step::ping);
    r->replies = steps.size();
    auto self = shared_from_this();
    r->finish = [self, steps, db](RedisRequest& req, const std::string* failure) {
        if (failure) return;  // fail() already deals with the connection
        const std::string& label = self->settings_.label;
        for (size_t i = 0; i < steps.size(); ++i) {
            const RespValue& v = req.got[i];
            std::string err = v.type == RespValue::Type::error ? redis_error_text(v.str) : std::string();
            switch (steps[i]) {
                case Step::auth:
                    if (!err.empty()) return self->fail(label + " refused the login: " + err, true);
                    break;
                case Step::select:
                    if (!err.empty()) return self->fail(label + " refused SELECT " + db + ": " + err, true);
                    break;
                case Step::ping:
                    if (err.rfind("NOAUTH", 0) == 0)
                        return self->fail(label + " requires a password (NOAUTH); give it in state.url as "
                                                  "redis://:PASSWORD@host:port",
                                          true);
                    if (!err.empty()) return self->fail(label + " answered PING with an error: " + err, true);
                    if (v.type != RespValue::Type::simple || v.str != "PONG")
                        return self->fail(label + " does not answer like a Redis server (unexpected reply to PING)", true);
                    break;
            }
        }
        self->state_ = State::ready;
        self->failures_ = 0;
        self->connect_timer_.cancel();
        self->health_.up();
        auto waiting = std::move(self->waiting_);
        self->waiting_.clear();
        for (auto& w : waiting) self->send(std::move(w));
    };
    send(std::move(r));  // no deadline of its own: the connect timer covers the login
}

void RedisConnection::read() {
    auto self = shared_from_this();
    uint64_t gen = gen_;
    socket_.async_read_some(boost::asio::buffer(read_buf_), [self, gen](const boost::system::error_code& ec, size_t n) {
        if (gen != self->gen_) return;
        bool connecting = self->state_ == State::connecting;
        if (ec) return self->fail(self->lost(ec, connecting), connecting);
        self->progress_ = RedisRequest::Clock::now();
        std::vector<RespValue> replies;
        if (!self->parser_.feed(std::string_view(self->read_buf_.data(), n), replies))
            return self->fail(self->settings_.label + " sent a malformed reply (" + self->parser_.error() + ")", connecting);
        self->on_replies(replies, gen);
        if (gen == self->gen_) self->read();
    });
}

// Every message starts with the server's label. During the login a lost socket means the
// server cannot be used: "unreachable", like a refused connection.
std::string RedisConnection::lost(const boost::system::error_code& ec, bool connecting) const {
    const std::string& label = settings_.label;
    std::string reason = ec == boost::asio::error::eof ? "it closed the connection" : lower_first(ec.message());
    if (connecting) return label + " is unreachable: " + reason + " during the login";
    if (ec == boost::asio::error::eof) return label + " closed the connection";
    return label + ": connection lost: " + reason;
}

void RedisConnection::on_replies(std::vector<RespValue>& replies, uint64_t gen) {
    for (auto& v : replies) {
        if (in_flight_.empty()) return fail(settings_.label + " sent a reply nobody asked for", state_ == State::connecting);
        auto& front = in_flight_.front();
        front->got.push_back(std::move(v));
        if (front->got.size() < front->replies) continue;
        auto r = std::move(front);
        in_flight_.pop_front();
        if (timed_out_ > 0) {  // its caller was told "unavailable" already
            --timed_out_;
            continue;
        }
        r->finish(*r, nullptr);
        if (gen != gen_) return;  // the login failed, and with it this connection
    }
}

void RedisConnection::submit(std::shared_ptr<RedisRequest> r) {
    if (state_ == State::ready) return send(std::move(r));
    if (state_ == State::connecting) {
        waiting_.push_back(std::move(r));
        return arm_deadline();
    }
    std::string why = health_.last_error().empty() ? settings_.label + " is not connected" : health_.last_error();
    r->finish(*r, &why);
}

void RedisConnection::send(std::shared_ptr<RedisRequest> r) {
    if (out_.empty()) out_ = std::move(r->wire);
    else out_ += r->wire;
    std::string().swap(r->wire);
    if (in_flight_.empty()) progress_ = RedisRequest::Clock::now();
    in_flight_.push_back(std::move(r));
    arm_deadline();
    if (!write_active_) flush();
}

// Everything queued since the last write goes out in one write: that is the pipelining.
void RedisConnection::flush() {
    writing_.swap(out_);
    out_.clear();
    write_active_ = true;
    auto self = shared_from_this();
    uint64_t gen = gen_;
    boost::asio::async_write(socket_, boost::asio::buffer(writing_), [self, gen](const boost::system::error_code& ec, size_t) {
        if (gen != self->gen_) return;
        self->write_active_ = false;
        if (self->writing_.capacity() > (1u << 20)) std::string().swap(self->writing_);
        else self->writing_.clear();
        if (ec) {
            bool connecting = self->state_ == State::connecting;
            return self->fail(self->lost(ec, connecting), connecting);
        }
        if (!self->out_.empty()) self->flush();
    });
}

void RedisConnection::arm_deadline() {
    auto earliest = RedisRequest::Clock::time_point::max();
    if (!waiting_.empty()) earliest = std::min(earliest, waiting_.front()->deadline);
    if (timed_out_ < in_flight_.size()) earliest = std::min(earliest, in_flight_[timed_out_]->deadline);
    if (state_ == State::ready && !in_flight_.empty()) earliest = std::min(earliest, progress_ + settings_.command_timeout);
    if (earliest == RedisRequest::Clock::time_point::max() || earliest >= deadline_armed_) return;
    deadline_armed_ = earliest;
    deadline_timer_.expires_at(earliest);
    auto self = shared_from_this();
    deadline_timer_.async_wait([self](const boost::system::error_code& ec) {
        if (ec) return;  // re-armed earlier, or shut down
        self->deadline_armed_ = RedisRequest::Clock::time_point::max();
        self->on_deadline();
    });
}

// Deadlines follow the order of the queues (give or take the microseconds between callers'
// threads), so the requests due are at the front.
void RedisConnection::on_deadline() {
    if (state_ == State::closed) return;
    auto now = RedisRequest::Clock::now();
    std::string late = settings_.label + " did not answer within " + ms(settings_.command_timeout);
    while (!waiting_.empty() && waiting_.front()->deadline <= now) {
        auto r = std::move(waiting_.front());
        waiting_.pop_front();
        std::string why = settings_.label + " is unreachable: no connection within " + ms(settings_.command_timeout);
        r->finish(*r, &why);
    }
    while (timed_out_ < in_flight_.size() && in_flight_[timed_out_]->deadline <= now) {
        auto& r = in_flight_[timed_out_++];
        r->finish(*r, &late);
        r->finish = nullptr;  // frees the caller's callback now; the reply is dropped when it comes
    }
    if (state_ == State::ready && !in_flight_.empty() && progress_ + settings_.command_timeout <= now) return fail(late, false);
    arm_deadline();
}

void RedisConnection::fail_outstanding(const std::string& why) {
    auto in_flight = std::move(in_flight_);
    in_flight_.clear();
    size_t answered = timed_out_;
    timed_out_ = 0;
    auto waiting = std::move(waiting_);
    waiting_.clear();
    for (size_t i = answered; i < in_flight.size(); ++i) in_flight[i]->finish(*in_flight[i], &why);
    for (auto& r : waiting) r->finish(*r, &why);
}

void RedisConnection::fail(const std::string& why, bool connecting) {
    if (state_ == State::closed) return;
    ++gen_;
    close_socket();
    write_active_ = false;
    out_.clear();
    writing_.clear();
    parser_.reset();
    state_ = State::disconnected;
    if (connecting) health_.down(why);
    else health_.dropped(why);
    ++failures_;
    fail_outstanding(why);
    schedule_reconnect();
}

// The first attempt after a loss is immediate (a server that closed an idle connection is
// usually still there); then the delay doubles from reconnect_backoff up to four times it.
void RedisConnection::schedule_reconnect() {
    if (failures_ <= 1) return connect();
    auto delay = settings_.reconnect_backoff * std::min(1u << std::min(failures_ - 2, 2u), 4u);
    reconnect_timer_.expires_after(delay);
    auto self = shared_from_this();
    reconnect_timer_.async_wait([self](const boost::system::error_code& ec) {
        if (!ec && self->state_ == State::disconnected) self->connect();
    });
}

void RedisConnection::shutdown(const std::string& why) {
    if (state_ == State::closed) return;
    state_ = State::closed;
    ++gen_;
    close_socket();
    reconnect_timer_.cancel();
    deadline_timer_.cancel();
    fail_outstanding(why);
}

}  // namespace nexus::state
