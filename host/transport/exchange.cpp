#include "transport/exchange.hpp"

#include "transport/request_head.hpp"
#include "transport/tls_setup.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include <limits>

namespace nexus::net::client {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {

std::string millis(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

// Connection-level failures are `reset`; a response Beast cannot parse is `protocol`.
ClientError classify(const error_code& ec) {
    if (ec.category() == http::make_error_code(http::error::end_of_stream).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message)
        return ClientError::protocol;
    return ClientError::reset;
}

std::string describe(const error_code& ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::ssl::error::stream_truncated)
        return "connection closed by the server";
    if (ec == http::error::partial_message) return "connection closed by the server mid-message";
    return ec.message();
}

// parse_url quotes the URL in its message; a query string may carry an API key.
std::string without_query(std::string message, const std::string& url) {
    auto query = url.find('?');
    auto at = message.find(url);
    if (query != std::string::npos && at != std::string::npos) message.replace(at, url.size(), url.substr(0, query) + "?...");
    return message;
}

// A reused connection the server closed before answering: nothing was processed.
bool closed_before_reply(const error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::broken_pipe || ec == asio::ssl::error::stream_truncated;
}

}  // namespace

Exchange::Exchange(std::shared_ptr<ClientState> state, ClientRequest req, ClientCallbacks cb)
    : state_(std::move(state)),
      req_(std::move(req)),
      cb_(std::move(cb)),
      phase_timer_(state_->ioc) {
    state_->track(this);
}

Exchange::~Exchange() {
    if (!done_) state_->untrack(this);
}

std::string Exchange::origin_name() const { return url_.host + ":" + std::to_string(url_.port); }

void Exchange::start() {
    if (done_) return;
    std::string error;
    auto url = parse_url(req_.url, &error);
    if (!url) return fail(ClientError::bad_url, without_query(error, req_.url));
    url_ = std::move(*url);
    auto head = build_request_head(req_, url_, &error);
    if (!head) return fail(ClientError::protocol, error);
    head_ = std::move(*head);
    verify_tls_ = !req_.tls.insecure_skip_verify;
    // The total deadline shares the phase timer: one timer per exchange, not two.
    if (req_.timeouts.total.count() > 0) {
        total_deadline_ = Clock::now() + req_.timeouts.total;
        schedule_timer();
    }
    pool_ = state_->pool_for(url_, req_, &error);
    if (!pool_) return fail(ClientError::tls_failed, error);
    state_->acquire(shared_from_this(), *pool_, false);
}

void Exchange::open(std::shared_ptr<Connection> conn) {
    conn_ = std::move(conn);
    arm_phase(req_.timeouts.connect, ClientError::timeout_connect);
    state_->resolve(url_.host, url_.port,
                    [self = shared_from_this(), conn = conn_](const error_code& ec, const Endpoints& eps) {
                        self->on_resolved(conn, ec, eps);
                    });
}

void Exchange::on_resolved(const std::shared_ptr<Connection>& conn, const error_code& ec, const Endpoints& eps) {
    if (done_ || conn != conn_) return;
    if (ec) return fail(ClientError::connect_failed, "cannot resolve '" + url_.host + "': " + ec.message());
    asio::async_connect(conn->socket(), *eps,
                        [self = shared_from_this(), conn, eps](const error_code& ec, const asio::ip::tcp::endpoint&) {
                            self->on_connected(conn, ec);
                        });
}

void Exchange::on_connected(const std::shared_ptr<Connection>& conn, const error_code& ec) {
    if (done_ || conn != conn_) return;
    if (ec) return fail(ClientError::connect_failed, "cannot connect to " + origin_name() + ": " + ec.message());
    error_code ignored;
    conn->socket().set_option(asio::ip::tcp::no_delay(true), ignored);
    if (!conn->is_tls()) {
        disarm_phase();
        return use(conn);
    }
    std::string error;
    if (!prepare_tls_stream(conn->tls(), url_.host, verify_tls_, &error)) return fail(ClientError::tls_failed, error);
    conn->tls().async_handshake(asio::ssl::stream_base::client, [self = shared_from_this(), conn](const error_code& ec) {
        self->on_handshake(conn, ec);
    });
}

void Exchange::on_handshake(const std::shared_ptr<Connection>& conn, const error_code& ec) {
    if (done_ || conn != conn_) return;
    if (ec) return fail(ClientError::tls_failed, describe_handshake_error(conn->tls(), ec, verify_tls_));
    disarm_phase();
    use(conn);
}

void Exchange::use(std::shared_ptr<Connection> conn) {
    conn_ = std::move(conn);
    // The first-byte clock covers writing the request too: a server that stops reading
    // our body is as stuck as one that never answers.
    arm_phase(req_.timeouts.first_byte, ClientError::timeout_first_byte);
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head_), asio::buffer(req_.body)};
    conn_->with_stream([&](auto& stream) {
        asio::async_write(stream, buffers, [self = shared_from_this(), conn = conn_](const error_code& ec, size_t) {
            self->on_written(conn, ec);
        });
    });
}

void Exchange::on_written(const std::shared_ptr<Connection>& conn, const error_code& ec) {
    if (done_ || conn != conn_) return;
    if (ec) {
        if (can_retry()) return retry();
        return fail(ClientError::reset, "sending the request to " + origin_name() + ": " + describe(ec));
    }
    read_header();
}

void Exchange::read_header() {
    parser_.emplace();
    // Streams are long; the caller decides when to stop. Not boost::none: Beast 1.74
    // compares Content-Length against the optional and fails every sized body.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    parser_->header_limit(64 * 1024);
    if (req_.method == "HEAD") parser_->skip(true);
    conn_->with_stream([&](auto& stream) {
        http::async_read_header(stream, conn_->buffer, *parser_,
                                [self = shared_from_this(), conn = conn_](const error_code& ec, size_t) {
                                    self->on_header(conn, ec);
                                });
    });
}

void Exchange::on_header(const std::shared_ptr<Connection>& conn, const error_code& ec) {
    if (done_ || conn != conn_) return;
    if (ec) {
        if (!parser_->got_some() && closed_before_reply(ec) && can_retry()) return retry();
        return fail(classify(ec), "reading the response headers from " + origin_name() + ": " + describe(ec));
    }
    auto& msg = parser_->get();
    int status = static_cast<int>(msg.result_int());
    if (status >= 100 && status < 200 && status != 101) return read_header();  // interim (100, 103)
    disarm_phase();
    HeaderList headers;
    headers.reserve(16);
    for (const auto& field : msg) headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    if (cb_.on_headers) cb_.on_headers(status, std::move(headers));
    if (done_) return;
    read_body();
}

void Exchange::read_body() {
    if (parser_->is_done()) return finish(ClientError::none, {}, parser_->keep_alive() && conn_->buffer.size() == 0);
    arm_phase(req_.timeouts.idle, ClientError::timeout_idle);
    auto& body = parser_->get().body();
    body.data = body_buf_.data();
    body.size = body_buf_.size();
    body.more = true;
    conn_->with_stream([&](auto& stream) {
        http::async_read_some(stream, conn_->buffer, *parser_,
                              [self = shared_from_this(), conn = conn_](const error_code& ec, size_t) {
                                  self->on_body(conn, ec);
                              });
    });
}

void Exchange::on_body(const std::shared_ptr<Connection>& conn, error_code ec) {
    if (done_ || conn != conn_) return;
    if (ec == http::error::need_buffer) ec = {};  // body_buf_ is full: deliver it, read on
    size_t got = body_buf_.size() - parser_->get().body().size;
    if (got > 0 && cb_.on_data) {
        if (!cb_.on_data(std::string_view(body_buf_.data(), got)))
            return fail(ClientError::cancelled, "cancelled by the receiver");
        if (done_) return;
    }
    if (ec) {
        // TLS peers often skip close_notify; for a body that ends at EOF that is the end.
        if (ec == asio::ssl::error::stream_truncated && parser_->need_eof()) {
            error_code eof_ec;
            parser_->put_eof(eof_ec);
            if (!eof_ec) return finish(ClientError::none, {}, false);
        }
        return fail(classify(ec), "reading the response body from " + origin_name() + ": " + describe(ec));
    }
    read_body();
}

bool Exchange::can_retry() const { return conn_ && conn_->reused && !retried_; }

void Exchange::retry() {
    retried_ = true;
    disarm_phase();
    parser_.reset();
    auto stale = std::move(conn_);
    state_->discard(*pool_, stale);
    state_->acquire(shared_from_this(), *pool_, true);
}

void Exchange::abort(ClientError error, const std::string& detail) { fail(error, detail); }

void Exchange::fail(ClientError error, const std::string& detail) { finish(error, detail, false); }

void Exchange::finish(ClientError error, const std::string& detail, bool reusable) {
    if (done_) return;
    done_ = true;
    state_->untrack(this);
    phase_timer_.cancel();
    if (conn_ && pool_) {
        // A failed connection stays referenced here: its aborted handlers may still use it.
        if (error == ClientError::none && reusable) state_->release(*pool_, std::move(conn_));
        else state_->discard(*pool_, conn_);
    }
    auto on_done = std::move(cb_.on_done);
    if (on_done) on_done(error, detail);
}

void Exchange::arm_phase(std::chrono::milliseconds limit, ClientError error) {
    phase_limit_ = limit;
    phase_error_ = error;
    phase_deadline_ = limit.count() > 0 ? Clock::now() + limit : Clock::time_point::max();
    schedule_timer();
}

// A timer already due no later than the nearest deadline serves it: when it fires early,
// on_phase_timer waits again for what is left.
void Exchange::schedule_timer() {
    const Clock::time_point next = std::min(phase_deadline_, total_deadline_);
    if (next == Clock::time_point::max() || (timer_waiting_ && timer_expiry_ <= next)) return;
    wait_phase(next);
}

void Exchange::wait_phase(Clock::time_point at) {
    timer_expiry_ = at;
    timer_waiting_ = true;
    phase_timer_.expires_at(at);  // a wait already pending ends aborted and is ignored
    phase_timer_.async_wait([self = shared_from_this(), generation = ++timer_generation_](const error_code&) {
        self->on_phase_timer(generation);
    });
}

void Exchange::on_phase_timer(uint64_t generation) {
    if (generation != timer_generation_) return;
    timer_waiting_ = false;
    if (done_) return;
    const Clock::time_point now = Clock::now();
    if (now >= total_deadline_)
        return fail(ClientError::timeout_total,
                    "exchange with " + origin_name() + " exceeded " + millis(req_.timeouts.total));
    if (now >= phase_deadline_) return fail(phase_error_, phase_detail());
    schedule_timer();
}

std::string Exchange::phase_detail() const {
    switch (phase_error_) {
        case ClientError::timeout_connect:
            return "no connection to " + origin_name() + " within " + millis(phase_limit_);
        case ClientError::timeout_first_byte:
            return "no response headers from " + origin_name() + " within " + millis(phase_limit_);
        case ClientError::timeout_idle:
            return "no body data from " + origin_name() + " for " + millis(phase_limit_);
        default:
            return std::string(to_string(phase_error_)) + " (" + origin_name() + ")";
    }
}

}  // namespace nexus::net::client
