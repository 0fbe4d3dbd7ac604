// The Redis backend: RESP2 over a small pool of connections on the store's own I/O thread.
// Each key goes to one connection (by hash) while that connection is up, so operations on a
// key are answered in the order they were made; if it is down, another ready one takes it.
// Commands: GET, SET key value [PX ttl], INCRBY (+ PEXPIRE key ttl NX in the same write),
// DEL; see https://redis.io/docs/latest/commands/.
#include "state/completion.hpp"
#include "state/kv_store.hpp"
#include "state/redis_connection.hpp"
#include "state/thread_signals.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <spdlog/spdlog.h>

#include <functional>
#include <stdexcept>
#include <thread>

namespace nexus::state {

namespace {

using Replies = std::vector<RespValue>;
using Interpret = KvResult (*)(Replies&);

std::string server_error(const RespValue& v) { return "redis: " + redis_error_text(v.str); }

KvResult unexpected(const char* command) { return failed(KvStatus::error, std::string("redis: unexpected reply to ") + command); }

KvResult interpret_get(Replies& got) {
    RespValue& v = got[0];
    KvResult r;
    if (v.type == RespValue::Type::bulk) {
        r.found = true;
        r.value = std::move(v.str);
    } else if (v.type == RespValue::Type::error) {
        return failed(KvStatus::error, server_error(v));
    } else if (v.type != RespValue::Type::null) {
        return unexpected("GET");
    }
    return r;
}

KvResult interpret_set(Replies& got) {
    const RespValue& v = got[0];
    if (v.type == RespValue::Type::error) return failed(KvStatus::error, server_error(v));
    if (v.type != RespValue::Type::simple) return unexpected("SET");
    return KvResult{};
}

// INCRBY's reply is the result; PEXPIRE ... NX (when sent) answers 1 or 0, or an error on a
// Redis older than 7.0.
KvResult interpret_incr(Replies& got) {
    const RespValue& v = got[0];
    if (v.type == RespValue::Type::error) return failed(KvStatus::error, server_error(v));
    if (v.type != RespValue::Type::integer) return unexpected("INCRBY");
    KvResult r;
    r.number = v.integer;
    if (got.size() > 1 && got[1].type == RespValue::Type::error) {
        r.status = KvStatus::error;
        r.error = server_error(got[1]) + " (PEXPIRE ... NX needs Redis 7.0 or later)";
    }
    return r;
}

KvResult interpret_del(Replies& got) {
    const RespValue& v = got[0];
    if (v.type == RespValue::Type::error) return failed(KvStatus::error, server_error(v));
    if (v.type != RespValue::Type::integer) return unexpected("DEL");
    KvResult r;
    r.number = v.integer;
    r.found = v.integer > 0;
    return r;
}

RedisSettings settings_from(const RedisStoreOptions& opts) {
    if (opts.pool_size == 0) throw std::invalid_argument("redis pool_size must be at least 1");
    RedisSettings s;
    s.address = parse_redis_url(opts.url);
    s.label = "redis at " + s.address.endpoint();
    s.connect_timeout = opts.connect_timeout;
    s.command_timeout = opts.command_timeout;
    s.reconnect_backoff = opts.reconnect_backoff;
    return s;
}

class RedisStore final : public KvStore {
public:
    explicit RedisStore(const RedisStoreOptions& opts)
        : settings_(settings_from(opts)), health_(settings_.label), work_(boost::asio::make_work_guard(io_)) {
        for (size_t i = 0; i < opts.pool_size; ++i)
            conns_.push_back(std::make_shared<RedisConnection>(io_, settings_, health_));
        boost::asio::post(io_, [this] {
            for (auto& c : conns_) c->start();
        });
        spdlog::info("key-value state: {} (db {}, {} connections)", settings_.label, settings_.address.db, conns_.size());
        thread_ = std::thread([this] { run(); });
    }

    ~RedisStore() override {
        boost::asio::post(io_, [this] {
            for (auto& c : conns_) c->shutdown("the key-value store for " + settings_.label + " is shutting down");
        });
        work_.reset();
        thread_.join();
    }

    void get(std::string key, KvCallback cb) override {
        auto r = request(std::move(cb), interpret_get, 1);
        append_resp_command(r->wire, {"GET", key});
        submit(std::move(r), key);
    }

    void set(std::string key, std::string value, std::chrono::milliseconds ttl, KvCallback cb) override {
        if (value.size() > settings_.limits.max_bulk)
            return answer_later(std::move(cb), failed(KvStatus::error, "value of " + std::to_string(value.size()) +
                                                                           " bytes is larger than the " +
                                                                           std::to_string(settings_.limits.max_bulk) +
                                                                           "-byte limit for one value"));
        auto r = request(std::move(cb), interpret_set, 1);
        if (ttl.count() > 0) append_resp_command(r->wire, {"SET", key, value, "PX", std::to_string(ttl.count())});
        else append_resp_command(r->wire, {"SET", key, value});
        submit(std::move(r), key);
    }

    // INCRBY, then PEXPIRE NX in the same write on the same connection: the window's TTL is set
    // by whichever increment finds the key without one (normally the first).
    void incr(std::string key, int64_t delta, std::chrono::milliseconds ttl, KvCallback cb) override {
        bool with_ttl = ttl.count() > 0;
        auto r = request(std::move(cb), interpret_incr, with_ttl ? 2 : 1);
        append_resp_command(r->wire, {"INCRBY", key, std::to_string(delta)});
        if (with_ttl) append_resp_command(r->wire, {"PEXPIRE", key, std::to_string(ttl.count()), "NX"});
        submit(std::move(r), key);
    }

    void del(std::string key, KvCallback cb) override {
        auto r = request(std::move(cb), interpret_del, 1);
        append_resp_command(r->wire, {"DEL", key});
        submit(std::move(r), key);
    }

    const char* backend() const override { return "redis"; }

private:
    void run() {
        block_process_signals();
        for (;;) {
            try {
                io_.run();
                return;
            } catch (const std::exception& e) {
                spdlog::error("{}: I/O thread caught: {}", settings_.label, e.what());
            }
        }
    }

    // Runs on the I/O thread: the caller's loop gets the callback, or it runs right here.
    static void deliver(Completion& c, KvResult r) {
        if (!c.cb) return;
        void* loop = c.loop;
        auto fn = std::move(c).bind(std::move(r));
        if (post_to_caller_loop(loop, fn)) return;
        try {
            fn();
        } catch (const std::exception& e) {
            spdlog::error("key-value callback threw: {}", e.what());
        } catch (...) {
            spdlog::error("key-value callback threw a non-standard exception");
        }
    }

    std::shared_ptr<RedisRequest> request(KvCallback cb, Interpret interpret, size_t replies) const {
        auto r = std::make_shared<RedisRequest>();
        r->replies = replies;
        r->deadline = RedisRequest::Clock::now() + settings_.command_timeout;
        r->finish = [c = Completion::capture(std::move(cb)), interpret](RedisRequest& req, const std::string* failure) mutable {
            deliver(c, failure ? failed(KvStatus::unavailable, *failure) : interpret(req.got));
        };
        return r;
    }

    void answer_later(KvCallback cb, KvResult result) {
        boost::asio::post(io_, [c = Completion::capture(std::move(cb)), result = std::move(result)]() mutable {
            deliver(c, std::move(result));
        });
    }

    void submit(std::shared_ptr<RedisRequest> r, const std::string& key) {
        size_t home = std::hash<std::string>{}(key) % conns_.size();
        boost::asio::post(io_, [this, r = std::move(r), home]() mutable { dispatch(std::move(r), home); });
    }

    // The key's own connection when it is ready; else any ready one; else one that is
    // logging in (the request waits, up to its deadline); else fail now: Redis is down.
    void dispatch(std::shared_ptr<RedisRequest> r, size_t home) {
        if (r->deadline <= RedisRequest::Clock::now()) {  // shed load: the caller has given up already
            std::string why = settings_.label + " is overloaded: the request waited over " +
                              std::to_string(settings_.command_timeout.count()) + " ms to be sent";
            return r->finish(*r, &why);
        }
        size_t n = conns_.size();
        for (size_t i = 0; i < n; ++i)
            if (auto& c = conns_[(home + i) % n]; c->ready()) return c->submit(std::move(r));
        for (size_t i = 0; i < n; ++i)
            if (auto& c = conns_[(home + i) % n]; c->connecting()) return c->submit(std::move(r));
        std::string why = health_.last_error().empty() ? settings_.label + " is not connected" : health_.last_error();
        r->finish(*r, &why);
    }

    boost::asio::io_context io_;  // first member: outlives every socket and timer
    RedisSettings settings_;
    RedisHealth health_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::vector<std::shared_ptr<RedisConnection>> conns_;
    std::thread thread_;
};

}  // namespace

std::unique_ptr<KvStore> make_redis_store(const RedisStoreOptions& opts) { return std::make_unique<RedisStore>(opts); }

}  // namespace nexus::state
