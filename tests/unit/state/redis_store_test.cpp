// The Redis backend against a real redis-server (see redis_server.hpp).
#include "kv_sync.hpp"
#include "redis_server.hpp"
#include "state/kv_store.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <csignal>
#include <pthread.h>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

using namespace nexus::state;
using namespace nexus::state::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

std::unique_ptr<KvStore> store_for(const std::string& url, size_t pool = 4) {
    RedisStoreOptions o;
    o.url = url;
    o.pool_size = pool;
    o.reconnect_backoff = 100ms;  // keeps the recovery tests short
    return make_redis_store(o);
}

// Waits for every callback of a batch started without waiting.
struct Batch {
    std::mutex mu;
    std::vector<KvResult> results;
    std::atomic<size_t> done{0};
    KvCallback callback() {
        return [this](KvResult r) {
            std::lock_guard lock(mu);
            results.push_back(std::move(r));
            ++done;
        };
    }
    bool wait(size_t n, std::chrono::milliseconds limit = 20000ms) {
        auto until = Clock::now() + limit;
        while (done.load() < n && Clock::now() < until) std::this_thread::sleep_for(2ms);
        return done.load() == n;
    }
};

// Retries a set until Redis answers again (after a restart).
bool works_again(KvStore& s, std::chrono::milliseconds limit) {
    auto until = Clock::now() + limit;
    while (Clock::now() < until) {
        if (set(s, "probe", "1").status == KvStatus::ok) return true;
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

}  // namespace

TEST_CASE("redis store: get, set, del, incr") {
    RedisServer server;
    auto s = store_for(server.url());
    CHECK(std::string(s->backend()) == "redis");
    CHECK_FALSE(get(*s, "a").found);
    REQUIRE(set(*s, "a", "one").status == KvStatus::ok);
    auto r = get(*s, "a");
    CHECK(r.status == KvStatus::ok);
    CHECK(r.found);
    CHECK(r.value == "one");
    CHECK(incr(*s, "n", 5).number == 5);
    CHECK(incr(*s, "n", -7).number == -2);
    CHECK(get(*s, "n").value == "-2");
    auto d = del(*s, "a");
    CHECK(d.found);
    CHECK(d.number == 1);
    CHECK_FALSE(get(*s, "a").found);
    CHECK_FALSE(del(*s, "a").found);
}

TEST_CASE("redis store: its I/O thread never takes SIGTERM, SIGINT or SIGHUP") {
    RedisServer server;
    auto s = store_for(server.url());
    Waiter w;
    std::atomic<bool> blocked{false};
    s->get("k", [&, cb = w.callback()](KvResult r) {  // no loop: runs on the I/O thread
        sigset_t current;
        pthread_sigmask(SIG_BLOCK, nullptr, &current);
        blocked = sigismember(&current, SIGTERM) && sigismember(&current, SIGINT) && sigismember(&current, SIGHUP);
        cb(std::move(r));
    });
    w.wait();
    CHECK(blocked.load());
}

TEST_CASE("redis store: keys and values are binary-safe") {
    RedisServer server;
    auto s = store_for(server.url());
    std::string key("k\0\r\n*1\r\n", 9), value("\0\r\n$-1\r\n+OK\r\n\xff", 15);
    REQUIRE(set(*s, key, value).status == KvStatus::ok);
    CHECK(get(*s, key).value == value);
    CHECK_FALSE(get(*s, "k").found);
    std::string big(3u << 20, '\0');
    for (size_t i = 0; i < big.size(); ++i) big[i] = char(i * 7919 % 251);
    REQUIRE(set(*s, "big", big).status == KvStatus::ok);
    CHECK(get(*s, "big").value == big);
    CHECK(set(*s, "empty", "").status == KvStatus::ok);
    auto e = get(*s, "empty");
    CHECK(e.found);
    CHECK(e.value.empty());
}

TEST_CASE("redis store: TTLs, and incr's fixed window") {
    RedisServer server;
    auto s = store_for(server.url());
    set(*s, "t", "x", 100ms);
    CHECK(get(*s, "t").found);
    std::this_thread::sleep_for(200ms);
    CHECK_FALSE(get(*s, "t").found);

    CHECK(incr(*s, "w", 1, 300ms).number == 1);
    std::this_thread::sleep_for(150ms);
    CHECK(incr(*s, "w", 1, 300ms).number == 2);  // does not extend the window
    std::this_thread::sleep_for(250ms);           // 400 ms after the first increment
    CHECK_FALSE(get(*s, "w").found);
    CHECK(incr(*s, "w", 1, 300ms).number == 1);

    set(*s, "p", "10");
    CHECK(incr(*s, "p", 1, 100ms).number == 11);  // a key without a TTL gets one
    std::this_thread::sleep_for(200ms);
    CHECK_FALSE(get(*s, "p").found);
}

TEST_CASE("redis store: incr on a non-integer is an error that does not echo the value") {
    RedisServer server;
    auto s = store_for(server.url());
    set(*s, "v", "secret-looking-value");
    auto r = incr(*s, "v", 1, 1000ms);
    CHECK(r.status == KvStatus::error);
    CHECK(r.error.find("not an integer") != std::string::npos);
    CHECK(r.error.find("secret-looking-value") == std::string::npos);
    CHECK(get(*s, "v").value == "secret-looking-value");
}

TEST_CASE("redis store: many concurrent commands are pipelined and all answered in order") {
    RedisServer server;
    RedisStoreOptions o;
    o.url = server.url();
    o.pool_size = 3;
    o.command_timeout = 10000ms;  // this is about order and totals; sanitizer builds are slow
    auto s = make_redis_store(o);
    constexpr int kThreads = 4, kPer = 2500;
    Batch incrs, sets;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPer; ++i) {
                s->incr("counter", 1, 0ms, incrs.callback());
                s->set("k" + std::to_string(t) + ":" + std::to_string(i), std::to_string(i * 31), 0ms, sets.callback());
            }
        });
    for (auto& t : threads) t.join();
    REQUIRE(incrs.wait(kThreads * kPer));
    REQUIRE(sets.wait(kThreads * kPer));
    std::set<int64_t> numbers;
    for (auto& r : incrs.results) {
        CHECK(r.status == KvStatus::ok);
        numbers.insert(r.number);
    }
    CHECK(numbers.size() == size_t(kThreads * kPer));
    CHECK(*numbers.rbegin() == kThreads * kPer);
    for (auto& r : sets.results) CHECK(r.status == KvStatus::ok);

    Batch gets;
    std::vector<std::string> expected;
    std::mutex order_mu;
    std::vector<std::pair<std::string, std::string>> seen;
    for (int t = 0; t < kThreads; ++t)
        for (int i = 0; i < kPer; i += 7) {
            std::string key = "k" + std::to_string(t) + ":" + std::to_string(i), want = std::to_string(i * 31);
            s->get(key, [&, want](KvResult r) {
                {
                    std::lock_guard lock(order_mu);
                    seen.emplace_back(want, r.value);
                }
                gets.callback()(std::move(r));
            });
        }
    size_t n = 0;
    for (int t = 0; t < kThreads; ++t)
        for (int i = 0; i < kPer; i += 7) ++n;
    REQUIRE(gets.wait(n));
    for (auto& [want, got] : seen) CHECK(got == want);

    // Operations on one key are answered in the order they were made.
    Batch ordered;
    std::vector<int64_t> order;
    std::mutex om;
    for (int i = 0; i < 500; ++i)
        s->incr("ordered", 1, 0ms, [&](KvResult r) {
            std::lock_guard lock(om);
            order.push_back(r.number);
            ordered.callback()(std::move(r));
        });
    REQUIRE(ordered.wait(500));
    for (size_t i = 0; i < order.size(); ++i) CHECK(order[i] == int64_t(i + 1));
}

TEST_CASE("redis store: AUTH with --requirepass") {
    RedisServer server({"--requirepass", "s3cr3t-pw"});
    SECTION("the right password works") {
        auto s = store_for(server.url("s3cr3t-pw"));
        REQUIRE(set(*s, "a", "1").status == KvStatus::ok);
        CHECK(get(*s, "a").value == "1");
    }
    SECTION("a wrong password: unavailable, with the server's reason and without the password") {
        auto s = store_for(server.url("wrong-pw-value"));
        auto r = set(*s, "a", "1");
        CHECK(r.status == KvStatus::unavailable);
        CHECK(r.error.find("refused the login") != std::string::npos);
        CHECK(r.error.find("WRONGPASS") != std::string::npos);
        CHECK(r.error.find("wrong-pw-value") == std::string::npos);
    }
    SECTION("no password: unavailable, saying one is needed") {
        auto s = store_for(server.url());
        auto r = get(*s, "a");
        CHECK(r.status == KvStatus::unavailable);
        CHECK(r.error.find("requires a password (NOAUTH)") != std::string::npos);
    }
}

TEST_CASE("redis store: SELECT db") {
    RedisServer server;
    auto db0 = store_for(server.url());
    auto db3 = store_for(server.url("", 3));
    set(*db3, "only-in-3", "x");
    CHECK(get(*db3, "only-in-3").found);
    CHECK_FALSE(get(*db0, "only-in-3").found);
    auto bad = store_for(server.url("", 999));
    auto r = get(*bad, "x");
    CHECK(r.status == KvStatus::unavailable);
    CHECK(r.error.find("refused SELECT 999") != std::string::npos);
}

TEST_CASE("redis store: Redis going away makes commands unavailable at once; coming back makes them work") {
    RedisServer server;
    auto s = store_for(server.url());
    REQUIRE(set(*s, "before", "1").status == KvStatus::ok);
    std::string where = "redis at 127.0.0.1:" + std::to_string(server.port());

    server.kill();
    for (int i = 0; i < 20; ++i) {
        auto start = Clock::now();
        auto r = i % 2 ? get(*s, "before") : incr(*s, "n", 1, 1000ms);
        auto took = Clock::now() - start;
        INFO("command " << i << ": " << r.error);
        CHECK(r.status == KvStatus::unavailable);
        CHECK(took < 1500ms);
        CHECK(r.error.rfind(where, 0) == 0);
    }
    // Once the reconnect attempts have run into the closed port, that is the reason given.
    std::this_thread::sleep_for(300ms);
    auto r = get(*s, "before");
    CHECK(r.error == where + " is unreachable: connection refused");

    // Many at once while down: all answered, promptly.
    Batch down;
    auto start = Clock::now();
    for (int i = 0; i < 1000; ++i) s->get("k", down.callback());
    REQUIRE(down.wait(1000, 1500ms));
    CHECK(Clock::now() - start < 1500ms);
    for (auto& d : down.results) CHECK(d.status == KvStatus::unavailable);

    server.start();
    REQUIRE(works_again(*s, 5000ms));
    CHECK_FALSE(get(*s, "before").found);  // a fresh server (no persistence)
    CHECK(incr(*s, "after", 2).number == 2);
}

TEST_CASE("redis store: a store made while Redis is down starts working when it comes up") {
    RedisServer server;
    server.kill();
    auto s = store_for(server.url());
    auto start = Clock::now();
    auto r = get(*s, "x");
    CHECK(r.status == KvStatus::unavailable);
    CHECK(Clock::now() - start < 1500ms);
    server.start();
    REQUIRE(works_again(*s, 5000ms));
    CHECK(get(*s, "probe").value == "1");
}

TEST_CASE("redis store: a server that stops answering times commands out") {
    RedisServer server;
    RedisStoreOptions o;
    o.url = server.url();
    o.command_timeout = 300ms;
    o.reconnect_backoff = 100ms;
    auto s = make_redis_store(o);
    REQUIRE(set(*s, "a", "1").status == KvStatus::ok);
    server.pause();
    auto start = Clock::now();
    auto r = get(*s, "a");
    auto took = Clock::now() - start;
    CHECK(r.status == KvStatus::unavailable);
    CHECK(r.error.find("did not answer within 300 ms") != std::string::npos);
    CHECK(took >= 250ms);
    CHECK(took < 1500ms);
    server.resume();
    REQUIRE(works_again(*s, 5000ms));
    CHECK(get(*s, "a").value == "1");
}

TEST_CASE("redis store: two stores (two hosts) sharing one counter see exact totals") {
    RedisServer server;
    auto host_a = store_for(server.url(), 2), host_b = store_for(server.url(), 2);
    constexpr int kPer = 2000;
    Batch batch;
    std::vector<std::thread> threads;
    for (KvStore* s : {host_a.get(), host_b.get()})
        for (int t = 0; t < 2; ++t)
            threads.emplace_back([&, s] {
                for (int i = 0; i < kPer; ++i) s->incr("window", 1, 60000ms, batch.callback());
            });
    for (auto& t : threads) t.join();
    REQUIRE(batch.wait(4 * kPer));
    std::set<int64_t> numbers;
    for (auto& r : batch.results) {
        CHECK(r.status == KvStatus::ok);
        numbers.insert(r.number);
    }
    CHECK(numbers.size() == size_t(4 * kPer));  // no two increments saw the same total
    CHECK(get(*host_a, "window").value == std::to_string(4 * kPer));
    CHECK(get(*host_b, "window").value == std::to_string(4 * kPer));
}
