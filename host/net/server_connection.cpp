#include "net/server_connection.hpp"

#include "net/error_body.hpp"
#include "net/server_responder.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/http/error.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <strings.h>

namespace nexus::net::detail {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {
constexpr size_t kReadChunk = 16u << 10;
constexpr std::chrono::milliseconds kMaxLinger{2000};
constexpr std::chrono::milliseconds kShutdownLinger{100};
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::string_view kLastChunk = "0\r\n\r\n";

std::string_view sv(boost::beast::string_view s) { return {s.data(), s.size()}; }

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}
}  // namespace

Connection::Connection(Loop& loop, asio::ip::tcp::socket sock, bool counted)
    : loop_(loop), sock_(std::move(sock)), counted_(counted) {
    // Headers up to max_header must fit, plus one read's worth of what follows them.
    buf_.max_size(std::max<size_t>(loop.opts().max_header, 4096) + kReadChunk);
}

Connection::~Connection() {
    if (counted_) loop_.shared().open_connections.fetch_sub(1, std::memory_order_relaxed);
}

void Connection::start() {
    error_code ec;
    sock_.set_option(asio::ip::tcp::no_delay(true), ec);
    auto ep = sock_.remote_endpoint(ec);
    loop_.link(shared_from_this());
    if (ec) {  // reset before we got to it
        close();
        return;
    }
    client_ip_ = ep.address().to_string();
    begin_request();
}

void Connection::start_rejected() {
    loop_.link(shared_from_this());
    send_error(503, "The server is at its connection limit; retry later.", "server_error", "server_overloaded");
}

// ---- reading requests ----------------------------------------------------------------

void Connection::begin_request() {
    parser_.emplace();
    parser_->header_limit(uint32_t(std::min<size_t>(loop_.opts().max_header, UINT32_MAX)));
    parser_->body_limit(loop_.opts().max_body);
    parser_->eager(true);
    expect_checked_ = false;
    resp_ = Resp::none;
    state_ = buf_.size() > 0 ? State::reading : State::awaiting;
    apply_read_deadline();
    parse_buffered();
}

void Connection::apply_read_deadline() {
    const auto& o = loop_.opts();
    // A fresh connection must send its first request within read_timeout; a kept-alive one
    // may sit idle for idle_timeout; once a request has begun it must complete in read_timeout.
    auto limit = state_ == State::awaiting && !first_request_ ? o.idle_timeout : o.read_timeout;
    deadline_ = Clock::now() + limit;
}

void Connection::parse_buffered() {
    while (buf_.size() > 0) {
        error_code ec;
        size_t n = parser_->put(buf_.data(), ec);
        buf_.consume(n);
        if (ec == http::error::need_more) break;
        if (ec) {
            reject_parse_error(ec);
            return;
        }
        if (parser_->is_done()) {
            dispatch();
            return;
        }
        if (n == 0) break;
    }
    if (parser_->is_header_done() && !expect_checked_) maybe_send_continue();
    if (buf_.size() >= buf_.max_size()) {  // the parser wants more than we are willing to hold
        if (parser_->is_header_done())
            send_error(400, "Malformed HTTP request: a chunk header line is too long.", "invalid_request_error",
                       "bad_request");
        else
            send_error(431, "Request header fields too large.", "invalid_request_error",
                       "request_header_fields_too_large");
        return;
    }
    read_more();
}

void Connection::maybe_send_continue() {
    expect_checked_ = true;
    auto& req = parser_->get();
    // curl and others wait for this before sending a body (RFC 9110 10.1.1).
    if (req.version() >= 11 && iequals(sv(req[http::field::expect]), "100-continue") && !parser_->is_done()) {
        queue(OutSegment::view(kContinue));
        flush();
    }
}

void Connection::reject_parse_error(error_code ec) {
    if (ec == http::error::body_limit) {
        send_error(413,
                   "Request body too large: the limit is " + std::to_string(loop_.opts().max_body) + " bytes.",
                   "invalid_request_error", "request_too_large");
    } else if (ec == http::error::header_limit) {
        send_error(431, "Request header fields too large.", "invalid_request_error",
                   "request_header_fields_too_large");
    } else {
        send_error(400, "Malformed HTTP request: " + ec.message() + ".", "invalid_request_error", "bad_request");
    }
}

void Connection::read_more() {
    if (read_pending_ || state_ == State::closed) return;
    size_t room = buf_.max_size() - buf_.size();
    if (room == 0) return;  // only while handling: pipelined bytes wait; resumes at the next request
    read_pending_ = true;
    auto done = [self = shared_from_this()](error_code ec, size_t n) { self->on_read(ec, n); };
    // While the handler works, buf_ may be parsed and consumed (pipelined requests), so the
    // watch read lands in its own small buffer and is appended to buf_ when it completes.
    monitor_read_ = state_ == State::handling;
    if (monitor_read_)
        sock_.async_read_some(asio::buffer(monitor_buf_.data(), std::min(room, monitor_buf_.size())), std::move(done));
    else
        sock_.async_read_some(buf_.prepare(std::min(room, kReadChunk)), std::move(done));
}

void Connection::on_read(error_code ec, size_t n) {
    read_pending_ = false;
    if (state_ == State::closed) return;
    if (ec) {
        // While answering, a client that shut its write side still gets our response.
        if (state_ == State::answering && ec == asio::error::eof) return;
        close();  // EOF or reset; while handling this is the client going away: cancel
        return;
    }
    if (monitor_read_) {  // fits: the read was sized to the room buf_ had, and buf_ only shrank since
        auto dst = buf_.prepare(n);
        std::memcpy(dst.data(), monitor_buf_.data(), n);
    }
    buf_.commit(n);
    switch (state_) {
        case State::awaiting:
            state_ = State::reading;
            apply_read_deadline();
            parse_buffered();
            break;
        case State::reading: parse_buffered(); break;
        case State::handling: read_more(); break;  // pipelined bytes stay for the next request
        case State::answering:
        case State::lingering:
            buf_.clear();
            read_more();
            break;
        case State::closed: break;
    }
}

void Connection::dispatch() {
    state_ = State::handling;
    resp_ = Resp::pending;
    ++seq_;
    first_request_ = false;
    in_request_ = true;
    loop_.request_started();
    deadline_ = Clock::time_point::max();

    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive() && !loop_.stopping();
    http10_ = msg.version() < 11;
    head_request_ = msg.method() == http::verb::head;

    ServerRequest req;
    req.method = sv(msg.method_string());
    req.target = sv(msg.target());
    req.headers.reserve(16);
    for (const auto& f : msg) req.headers.emplace_back(sv(f.name_string()), sv(f.value()));
    req.body = std::move(msg.body());
    req.client_ip = client_ip_;
    parser_.reset();

    auto responder = std::make_shared<ConnResponder>(shared_from_this(), seq_);
    try {
        loop_.shared().handler(std::move(req), std::move(responder));
    } catch (const std::exception& e) {
        spdlog::error("http server: request handler threw: {}", e.what());
    } catch (...) {
        spdlog::error("http server: request handler threw a non-standard exception");
    }
    // Notice a client that goes away while the handler works. Armed after the handler has
    // started (and usually sent its upstream request): the first read nearly always finds
    // nothing, and that syscall should not delay the request. A handler that answered at
    // once has moved the connection on, and the usual reads take over.
    if (state_ == State::handling) read_more();
}

// ---- responses -----------------------------------------------------------------------

// False when the request `seq` is over (answered or cancelled): late calls are dropped.
bool Connection::accepts(uint64_t seq) const { return seq == seq_ && in_request_; }

void Connection::respond(uint64_t seq, int status, HeaderList headers, std::string body) {
    if (!accepts(seq)) return;
    if (resp_ != Resp::pending) {
        spdlog::warn("http server: respond() after the response was already started; ignored");
        return;
    }
    if (!valid_final_status(status)) {
        spdlog::error("http server: handler answered with invalid status {}; sending 500", status);
        status = 500;
        headers = {{"Content-Type", "application/json"}};
        body = error_json("The handler produced an invalid HTTP status.", "server_error", "internal_error");
    }
    if (headers_ask_close(headers) || loop_.stopping()) keep_alive_ = false;
    HeadSpec spec{status, BodyFraming::content_length, body.size(), keep_alive_, http10_};
    if (status_has_no_body(status)) {
        spec.framing = BodyFraming::none;
        body.clear();
    }
    head_.clear();
    append_response_head(head_, spec, headers);
    queue(OutSegment::view(head_));
    if (!head_request_ && !body.empty()) queue(OutSegment::own(std::move(body)));
    resp_ = Resp::finishing;
    flush();
}

void Connection::begin_stream(uint64_t seq, int status, HeaderList headers) {
    if (!accepts(seq)) return;
    if (resp_ != Resp::pending) {
        spdlog::warn("http server: begin_stream() after the response was already started; ignored");
        return;
    }
    if (!valid_final_status(status)) {
        spdlog::error("http server: handler began a stream with invalid status {}; sending 500", status);
        respond(seq, 500, {{"Content-Type", "application/json"}},
                error_json("The handler produced an invalid HTTP status.", "server_error", "internal_error"));
        return;
    }
    if (headers_ask_close(headers) || loop_.stopping()) keep_alive_ = false;
    framing_ = http10_ ? BodyFraming::until_close : BodyFraming::chunked;
    if (status_has_no_body(status)) framing_ = BodyFraming::none;
    if (framing_ == BodyFraming::until_close) keep_alive_ = false;
    stream_body_ = !head_request_ && framing_ != BodyFraming::none;
    head_.clear();
    append_response_head(head_, HeadSpec{status, framing_, 0, keep_alive_, http10_}, headers);
    queue(OutSegment::view(head_));
    resp_ = Resp::streaming;
    flush();
}

void Connection::write(uint64_t seq, std::string data) {
    if (!accepts(seq)) return;
    if (resp_ != Resp::streaming) {
        spdlog::warn("http server: write() outside begin_stream()/end_stream(); ignored");
        return;
    }
    if (data.empty() || !stream_body_) return;  // an empty chunk would end the stream
    queue(framing_ == BodyFraming::chunked ? OutSegment::chunk(std::move(data)) : OutSegment::own(std::move(data)));
    flush();
}

void Connection::end_stream(uint64_t seq) {
    if (!accepts(seq)) return;
    if (resp_ != Resp::streaming) {
        spdlog::warn("http server: end_stream() without begin_stream(); ignored");
        return;
    }
    if (stream_body_ && framing_ == BodyFraming::chunked) queue(OutSegment::view(kLastChunk));
    resp_ = Resp::finishing;
    if (queue_.empty() && !writing_) {
        // Nothing left to write: finish from the loop rather than inside the caller.
        asio::post(sock_.get_executor(), [self = shared_from_this(), seq] {
            if (self->seq_ == seq && self->in_request_ && self->resp_ == Resp::finishing && !self->writing_)
                self->response_done();
        });
        return;
    }
    flush();
}

void Connection::set_cancel_fn(uint64_t seq, std::function<void()> fn) {
    if (cancelled(seq)) {
        fn();
        return;
    }
    if (!accepts(seq)) return;
    cancel_fn_ = std::move(fn);
}

void Connection::responder_dropped(uint64_t seq) {
    if (!accepts(seq)) return;
    if (resp_ == Resp::pending) {
        spdlog::error("http server: the handler dropped a request without answering; sending 500");
        respond(seq, 500, {{"Content-Type", "application/json"}},
                error_json("The server did not produce a response.", "server_error", "internal_error"));
    } else if (resp_ == Resp::streaming) {
        // Without the last chunk the client sees the stream as cut, which it was.
        spdlog::error("http server: the handler dropped a stream without end_stream(); closing the connection");
        keep_alive_ = false;
        resp_ = Resp::finishing;
        // Once the queued bytes are out, response_done() closes (keep_alive_ is false)
        // without the terminating chunk.
        if (!writing_ && queue_.empty()) response_done();
        else flush();
    }
}

void Connection::send_error(int status, std::string_view message, std::string_view type, std::string_view code) {
    state_ = State::answering;
    keep_alive_ = false;
    deadline_ = Clock::now() + loop_.opts().write_timeout;
    std::string body = error_json(message, type, code);
    head_.clear();
    append_response_head(head_, HeadSpec{status, BodyFraming::content_length, body.size(), false, false},
                         {{"Content-Type", "application/json"}});
    queue(OutSegment::view(head_));
    queue(OutSegment::own(std::move(body)));
    flush();
    buf_.clear();
    read_more();  // drain what the client still sends so that closing does not reset the response
}

void Connection::flush() {
    if (writing_ || state_ == State::closed || queue_.empty()) return;
    sending_.swap(queue_);
    gather(sending_, bufs_);
    next_buf_ = 0;
    writing_ = true;
    write_some();
}

// One writev per call; the stall deadline restarts whenever some bytes went out, so a slow
// client that keeps reading is never cut, one that stopped reading is.
void Connection::write_some() {
    if (state_ == State::handling || state_ == State::answering)
        deadline_ = Clock::now() + loop_.opts().write_timeout;
    sock_.async_write_some(BufferSpan{bufs_.data() + next_buf_, bufs_.data() + bufs_.size()},
                           [self = shared_from_this()](error_code ec, size_t n) { self->on_write_some(ec, n); });
}

void Connection::on_write_some(error_code ec, size_t n) {
    if (!ec && state_ != State::closed) {
        while (n > 0 && next_buf_ < bufs_.size()) {
            auto& b = bufs_[next_buf_];
            if (n >= b.size()) {
                n -= b.size();
                ++next_buf_;
            } else {
                b += n;
                n = 0;
            }
        }
        if (next_buf_ < bufs_.size()) {
            write_some();
            return;
        }
    }
    on_write(ec);
}

void Connection::on_write(error_code ec) {
    writing_ = false;
    sending_.clear();
    if (state_ == State::closed) return;
    if (ec) {
        close();  // the client is gone; a request in flight is cancelled
        return;
    }
    if (state_ == State::handling) deadline_ = Clock::time_point::max();
    if (!queue_.empty()) {
        flush();
        return;
    }
    if (state_ == State::answering) {
        start_linger();
        return;
    }
    if (in_request_ && resp_ == Resp::finishing) response_done();
}

void Connection::response_done() {
    in_request_ = false;
    resp_ = Resp::done;
    loop_.request_ended();
    cancel_fn_ = nullptr;
    if (!keep_alive_ || loop_.stopping()) {
        start_linger();
        return;
    }
    begin_request();
}

void Connection::start_linger() {
    state_ = State::lingering;
    error_code ec;
    sock_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    if (ec) {
        close();
        return;
    }
    // During shutdown the linger is cut short: the response and FIN are out, and the loop
    // should not wait on clients that keep their end open.
    auto linger = std::min<std::chrono::milliseconds>(loop_.opts().read_timeout, kMaxLinger);
    if (loop_.stopping()) linger = std::min(linger, kShutdownLinger);
    deadline_ = Clock::now() + linger;
    buf_.clear();
    read_more();
}

// ---- ending --------------------------------------------------------------------------

void Connection::on_deadline() {
    switch (state_) {
        case State::reading:
            send_error(408, "The request was not received in time.", "invalid_request_error", "request_timeout");
            break;
        case State::handling:
            spdlog::debug("http server: a write to {} stalled; closing", client_ip_);
            close();
            break;
        case State::awaiting:  // idle: close silently
        case State::answering:
        case State::lingering:
        case State::closed: close(); break;
    }
}

void Connection::close_if_idle() {
    if (state_ == State::awaiting) close();
}

void Connection::close() {
    if (state_ == State::closed) return;
    auto hold = shared_from_this();
    state_ = State::closed;
    deadline_ = Clock::time_point::max();
    error_code ec;
    sock_.close(ec);
    queue_.clear();
    std::function<void()> fn;
    if (in_request_) {
        in_request_ = false;
        resp_ = Resp::done;
        cancelled_seq_.store(seq_, std::memory_order_release);
        loop_.request_ended();
        fn = std::move(cancel_fn_);
    }
    cancel_fn_ = nullptr;
    if (counted_) {
        counted_ = false;
        loop_.shared().open_connections.fetch_sub(1, std::memory_order_relaxed);
    }
    loop_.unlink(this);
    if (fn) {
        try {
            fn();
        } catch (const std::exception& e) {
            spdlog::error("http server: on_cancel callback threw: {}", e.what());
        } catch (...) {
            spdlog::error("http server: on_cancel callback threw a non-standard exception");
        }
    }
}

}  // namespace nexus::net::detail
