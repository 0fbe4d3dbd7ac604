#include "transport/client_state.hpp"

#include "transport/exchange.hpp"
#include "transport/tls_setup.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>

namespace nexus::net::client {

namespace asio = boost::asio;
using boost::system::error_code;

ClientState::ClientState(asio::io_context& ioc_) : ioc(ioc_), resolver_(ioc_) {}

OriginPool* ClientState::pool_for(const Url& url, const ClientRequest& req, std::string* error) {
    bool tls = url.scheme == "https";
    std::string tls_key = tls ? tls_options_key(req.tls) : std::string();
    std::string key = url.origin();
    if (tls) key += "|" + tls_key;
    auto it = pools_.find(key);
    if (it == pools_.end()) {
        asio::ssl::context* ctx = nullptr;
        if (tls) {
            auto& slot = tls_contexts_[tls_key];
            if (!slot) slot = make_tls_context(req.tls, error);
            if (!slot) {
                tls_contexts_.erase(tls_key);
                return nullptr;
            }
            ctx = slot.get();
        }
        it = pools_.emplace(key, std::make_unique<OriginPool>()).first;
        it->second->tls = ctx;
    }
    it->second->limit = std::max<size_t>(1, req.pool_size);
    return it->second.get();
}

void ClientState::acquire(const std::shared_ptr<Exchange>& ex, OriginPool& pool, bool fresh) {
    if (shut_down_) return ex->abort(ClientError::cancelled, "client shut down");
    while (!fresh && !pool.idle.empty()) {
        auto conn = std::move(pool.idle.back());
        pool.idle.pop_back();
        --idle_count;
        conn->pooled = false;  // its expiry, still armed, will find it busy and lapse
        // Probing the socket costs a syscall; a server rarely hangs up within a second of its
        // last answer, and if it does, the request is retried on a new connection.
        const bool fresh_from_use = std::chrono::steady_clock::now() - conn->idle_since < std::chrono::seconds(1);
        if (fresh_from_use ? conn->obviously_gone() : conn->peer_gone()) {
            drop(pool, conn);
            continue;
        }
        return ex->use(std::move(conn));
    }
    if (fresh && pool.open >= pool.limit && !pool.idle.empty()) {
        // A retry needs a new connection: make room by closing the oldest idle one.
        auto oldest = std::move(pool.idle.front());
        pool.idle.erase(pool.idle.begin());
        --idle_count;
        oldest->pooled = false;
        oldest->idle_timer.cancel();
        drop(pool, oldest);
    }
    if (pool.open < pool.limit) {
        ++pool.open;
        ++open_count;
        return ex->open(std::make_shared<Connection>(ioc, pool.tls));
    }
    pool.waiters.push_back(ex);
}

void ClientState::release(OriginPool& pool, std::shared_ptr<Connection> conn) {
    if (shut_down_ || conn->discarded) return discard(pool, conn);
    conn->reused = true;
    conn->pooled = true;
    conn->idle_since = std::chrono::steady_clock::now();
    // A connection reused many times a second keeps one expiry armed rather than arming and
    // cancelling a timer per request: when it fires, it closes the connection only if it has
    // sat idle for the whole expiry, and otherwise waits for the rest of it.
    if (!conn->expiry_armed) arm_expiry(pool, conn, idle_expiry);
    pool.idle.push_back(std::move(conn));
    ++idle_count;
    serve_waiters(pool);
}

void ClientState::arm_expiry(OriginPool& pool, const std::shared_ptr<Connection>& conn,
                             std::chrono::steady_clock::duration after) {
    conn->expiry_armed = true;
    conn->idle_timer.expires_after(after);
    conn->idle_timer.async_wait([weak_state = weak_from_this(), weak_conn = std::weak_ptr<Connection>(conn),
                                 &pool](const error_code& ec) {
        auto c = weak_conn.lock();
        if (!c) return;
        c->expiry_armed = false;
        auto state = weak_state.lock();
        if (ec || !state || !c->pooled || c->discarded) return;  // busy now: the next release re-arms
        auto left = c->idle_since + state->idle_expiry - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero()) state->expire_idle(pool, c);
        else state->arm_expiry(pool, c, left);
    });
}

void ClientState::expire_idle(OriginPool& pool, const std::shared_ptr<Connection>& conn) {
    auto it = std::find(pool.idle.begin(), pool.idle.end(), conn);
    if (it == pool.idle.end()) return;
    pool.idle.erase(it);
    --idle_count;
    discard(pool, conn);
}

void ClientState::drop(OriginPool& pool, const std::shared_ptr<Connection>& conn) {
    if (conn->discarded) return;
    conn->discarded = true;
    conn->close();
    --pool.open;
    --open_count;
}

void ClientState::discard(OriginPool& pool, const std::shared_ptr<Connection>& conn) {
    drop(pool, conn);
    serve_waiters(pool);
}

void ClientState::serve_waiters(OriginPool& pool) {
    if (shut_down_) return;
    while (!pool.waiters.empty() && (!pool.idle.empty() || pool.open < pool.limit)) {
        auto ex = std::move(pool.waiters.front());
        pool.waiters.pop_front();
        if (ex->finished()) continue;
        acquire(ex, pool, ex->wants_fresh());
    }
}

void ClientState::resolve(const std::string& host, uint16_t port, ResolveHandler handler) {
    error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (!ec) {
        auto literal = std::make_shared<std::vector<asio::ip::tcp::endpoint>>(1, asio::ip::tcp::endpoint(address, port));
        return handler({}, literal);
    }
    std::string key = host + ":" + std::to_string(port);
    auto now = std::chrono::steady_clock::now();
    if (auto it = dns_.find(key); it != dns_.end()) {
        if (it->second.expires > now) return handler({}, it->second.endpoints);
        dns_.erase(it);
    }
    resolver_.async_resolve(host, std::to_string(port),
                            [self = shared_from_this(), key, handler = std::move(handler)](
                                const error_code& ec, asio::ip::tcp::resolver::results_type results) {
                                if (ec) return handler(ec, nullptr);
                                auto eps = std::make_shared<std::vector<asio::ip::tcp::endpoint>>();
                                for (const auto& entry : results) eps->push_back(entry.endpoint());
                                self->dns_[key] = {eps, std::chrono::steady_clock::now() + self->dns_ttl};
                                handler({}, eps);
                            });
}

void ClientState::shutdown() {
    if (shut_down_) return;
    shut_down_ = true;
    std::vector<std::shared_ptr<Exchange>> in_flight;
    for (Exchange* ex : active_) in_flight.push_back(ex->shared_from_this());
    for (auto& ex : in_flight) ex->abort(ClientError::cancelled, "client shut down");
    for (auto& [key, pool] : pools_) {
        for (auto& conn : pool->idle) {
            conn->pooled = false;
            conn->idle_timer.cancel();
            drop(*pool, conn);
        }
        idle_count -= pool->idle.size();
        pool->idle.clear();
        pool->waiters.clear();
    }
}

}  // namespace nexus::net::client
