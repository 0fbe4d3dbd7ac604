#include "net/server_responder.hpp"

#include "net/server_connection.hpp"

#include <boost/asio/post.hpp>

namespace nexus::net::detail {

template <class F>
void ConnResponder::run(F&& f) {
    Loop& loop = conn_->loop();
    if (posted_.load(std::memory_order_acquire) == 0 && loop.on_this_thread()) {
        f(*conn_);
        return;
    }
    if (loop.dead()) return;
    posted_.fetch_add(1, std::memory_order_acq_rel);
    boost::asio::post(loop.ioc(), [self = shared_from_this(), f = std::forward<F>(f)]() mutable {
        f(*self->conn_);
        self->posted_.fetch_sub(1, std::memory_order_acq_rel);
    });
}

ConnResponder::~ConnResponder() {
    Loop& loop = conn_->loop();
    if (loop.on_this_thread()) {
        conn_->responder_dropped(seq_);
        return;
    }
    if (loop.dead()) return;
    boost::asio::post(loop.ioc(), [c = std::move(conn_), s = seq_] { c->responder_dropped(s); });
}

void ConnResponder::respond(int status, HeaderList headers, std::string body) {
    run([s = seq_, status, h = std::move(headers), b = std::move(body)](Connection& c) mutable {
        c.respond(s, status, std::move(h), std::move(b));
    });
}

void ConnResponder::begin_stream(int status, HeaderList headers) {
    run([s = seq_, status, h = std::move(headers)](Connection& c) mutable { c.begin_stream(s, status, std::move(h)); });
}

void ConnResponder::write(std::string data) {
    if (cancelled()) return;
    run([s = seq_, d = std::move(data)](Connection& c) mutable { c.write(s, std::move(d)); });
}

void ConnResponder::end_stream() {
    run([s = seq_](Connection& c) { c.end_stream(s); });
}

void ConnResponder::on_cancel(std::function<void()> fn) {
    run([s = seq_, f = std::move(fn)](Connection& c) mutable { c.set_cancel_fn(s, std::move(f)); });
}

bool ConnResponder::cancelled() const { return conn_->cancelled(seq_); }

}  // namespace nexus::net::detail
