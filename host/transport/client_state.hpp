// What one HttpClient owns on its event loop: per-origin pools, TLS contexts, a DNS cache
// and the exchanges in flight. Exchanges hold it by shared_ptr so it outlives the client
// object while their handlers are still queued.
#pragma once

#include "transport/connection.hpp"
#include "transport/http_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace nexus::net::client {

class Exchange;

// Connections to one scheme://host:port with one TLS configuration.
struct OriginPool {
    size_t limit = 1;
    size_t open = 0;                                 // idle + in use + connecting
    std::vector<std::shared_ptr<Connection>> idle;   // most recently used last
    std::deque<std::shared_ptr<Exchange>> waiters;   // finished ones are skipped when served
    boost::asio::ssl::context* tls = nullptr;        // null: plain HTTP
};

using Endpoints = std::shared_ptr<const std::vector<boost::asio::ip::tcp::endpoint>>;

class ClientState : public std::enable_shared_from_this<ClientState> {
public:
    explicit ClientState(boost::asio::io_context& ioc);

    boost::asio::io_context& ioc;
    std::chrono::milliseconds idle_expiry{30000};
    std::chrono::milliseconds dns_ttl{10000};
    std::atomic<size_t> open_count{0};
    std::atomic<size_t> idle_count{0};

    // The pool for the request's origin and TLS options (created on first use); null with
    // *error when the TLS context cannot be built (e.g. an unreadable ca_file).
    OriginPool* pool_for(const Url& url, const ClientRequest& req, std::string* error);

    // Gives `ex` an idle connection (unless `fresh`), else a new one while under the limit,
    // else a place in the queue. Only starts asynchronous work.
    void acquire(const std::shared_ptr<Exchange>& ex, OriginPool& pool, bool fresh);
    // A connection that finished a keep-alive exchange cleanly goes back to the pool.
    void release(OriginPool& pool, std::shared_ptr<Connection> conn);
    // Closes and uncounts a connection (idempotent), then serves waiters.
    void discard(OriginPool& pool, const std::shared_ptr<Connection>& conn);

    using ResolveHandler = std::function<void(const boost::system::error_code&, const Endpoints&)>;
    // Cached for dns_ttl; IP literals skip the resolver.
    void resolve(const std::string& host, uint16_t port, ResolveHandler handler);

    void track(Exchange* ex) { active_.insert(ex); }
    void untrack(Exchange* ex) { active_.erase(ex); }

    // The client is going away: cancel everything in flight, close idle connections.
    void shutdown();

private:
    void drop(OriginPool& pool, const std::shared_ptr<Connection>& conn);
    void serve_waiters(OriginPool& pool);
    void expire_idle(OriginPool& pool, const std::shared_ptr<Connection>& conn);
    void arm_expiry(OriginPool& pool, const std::shared_ptr<Connection>& conn, std::chrono::steady_clock::duration after);

    struct DnsEntry {
        Endpoints endpoints;
        std::chrono::steady_clock::time_point expires;
    };

    boost::asio::ip::tcp::resolver resolver_;
    std::unordered_map<std::string, std::unique_ptr<OriginPool>> pools_;
    std::unordered_map<std::string, std::unique_ptr<boost::asio::ssl::context>> tls_contexts_;
    std::unordered_map<std::string, DnsEntry> dns_;
    std::unordered_set<Exchange*> active_;
    bool shut_down_ = false;
};

}  // namespace nexus::net::client
