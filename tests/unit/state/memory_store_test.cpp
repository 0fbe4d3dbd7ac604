#include "kv_sync.hpp"
#include "state/int_text.hpp"
#include "state/kv_store.hpp"
#include "state/loop_hooks.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <csignal>
#include <pthread.h>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

using namespace nexus::state;
using namespace nexus::state::test;
using namespace std::chrono_literals;

TEST_CASE("memory store: get, set, del") {
    auto s = make_memory_store();
    CHECK(std::string(s->backend()) == "memory");
    CHECK_FALSE(get(*s, "a").found);
    CHECK(set(*s, "a", "one").status == KvStatus::ok);
    auto r = get(*s, "a");
    CHECK(r.status == KvStatus::ok);
    CHECK(r.found);
    CHECK(r.value == "one");
    CHECK(set(*s, "a", "two").status == KvStatus::ok);
    CHECK(get(*s, "a").value == "two");
    auto d = del(*s, "a");
    CHECK(d.found);
    CHECK(d.number == 1);
    CHECK_FALSE(get(*s, "a").found);
    auto d2 = del(*s, "a");
    CHECK_FALSE(d2.found);
    CHECK(d2.number == 0);
}

TEST_CASE("memory store: keys and values are binary-safe") {
    auto s = make_memory_store();
    std::string key("k\0\r\n\xff", 5), value("\0\0\x01\r\n$3\r\n", 10);
    REQUIRE(set(*s, key, value).status == KvStatus::ok);
    CHECK(get(*s, key).value == value);
    CHECK_FALSE(get(*s, std::string("k\0", 2)).found);
}

TEST_CASE("memory store: incr creates at 0, adds, and reads back as decimal text") {
    auto s = make_memory_store();
    CHECK(incr(*s, "n", 5).number == 5);
    CHECK(incr(*s, "n", -7).number == -2);
    CHECK(get(*s, "n").value == "-2");
    set(*s, "m", "41");
    CHECK(incr(*s, "m", 1).number == 42);
}

TEST_CASE("memory store: incr on a non-integer value is an error and leaves the value") {
    auto s = make_memory_store();
    for (const char* bad : {"abc", "", " 1", "1 ", "+1", "007", "-0", "1.5", "99999999999999999999"}) {
        set(*s, "v", bad);
        auto r = incr(*s, "v", 1);
        INFO(bad);
        CHECK(r.status == KvStatus::error);
        CHECK(r.error == "value is not an integer");
        CHECK(get(*s, "v").value == bad);
    }
    set(*s, "max", std::to_string(INT64_MAX));
    auto r = incr(*s, "max", 1);
    CHECK(r.status == KvStatus::error);
    CHECK(r.error.find("overflow") != std::string::npos);
    CHECK(get(*s, "max").value == std::to_string(INT64_MAX));
}

TEST_CASE("int text: only canonical int64 decimal") {
    CHECK(parse_int64_text("0") == 0);
    CHECK(parse_int64_text("-1") == -1);
    CHECK(parse_int64_text("9223372036854775807") == INT64_MAX);
    CHECK(parse_int64_text("-9223372036854775808") == INT64_MIN);
    CHECK_FALSE(parse_int64_text("9223372036854775808"));
    CHECK_FALSE(parse_int64_text("-"));
    CHECK_FALSE(parse_int64_text("01"));
    CHECK_FALSE(parse_int64_text("-01"));
    CHECK_FALSE(parse_int64_text("1a"));
}

TEST_CASE("memory store: TTL expiry") {
    auto s = make_memory_store();
    set(*s, "t", "x", 60ms);
    set(*s, "forever", "y");
    CHECK(get(*s, "t").found);
    std::this_thread::sleep_for(120ms);
    CHECK_FALSE(get(*s, "t").found);
    CHECK(get(*s, "forever").found);
    // A plain set clears an earlier TTL.
    set(*s, "u", "1", 60ms);
    set(*s, "u", "2");
    std::this_thread::sleep_for(120ms);
    CHECK(get(*s, "u").value == "2");
}

TEST_CASE("memory store: incr sets the TTL only when the key has none (fixed window)") {
    auto s = make_memory_store();
    CHECK(incr(*s, "w", 1, 150ms).number == 1);
    std::this_thread::sleep_for(90ms);
    CHECK(incr(*s, "w", 1, 150ms).number == 2);  // does not extend the window
    std::this_thread::sleep_for(90ms);            // 180 ms after the first increment
    CHECK_FALSE(get(*s, "w").found);
    CHECK(incr(*s, "w", 1, 150ms).number == 1);  // a new window

    // A key that exists without a TTL gets one from incr.
    set(*s, "p", "10");
    CHECK(incr(*s, "p", 1, 60ms).number == 11);
    std::this_thread::sleep_for(120ms);
    CHECK_FALSE(get(*s, "p").found);
}

TEST_CASE("memory store: LRU eviction under the byte bound") {
    // One shard of 100 bytes; each entry is a 2-byte key and an 8-byte value.
    auto s = make_memory_store({100, 1});
    for (int i = 0; i < 10; ++i) set(*s, "k" + std::to_string(i), "vvvvvvvv");
    for (int i = 0; i < 10; ++i) CHECK(get(*s, "k" + std::to_string(i)).found);
    CHECK(get(*s, "k0").found);  // k0 becomes the most recently used; k1 the least
    set(*s, "kA", "vvvvvvvv");
    CHECK_FALSE(get(*s, "k1").found);
    CHECK(get(*s, "k0").found);
    CHECK(get(*s, "kA").found);
    // A bigger entry pushes out as many old ones as it needs.
    set(*s, "kB", std::string(28, 'x'));  // 30 bytes: k2, k3, k4 go
    CHECK_FALSE(get(*s, "k2").found);
    CHECK_FALSE(get(*s, "k3").found);
    CHECK_FALSE(get(*s, "k4").found);
    CHECK(get(*s, "k5").found);
    CHECK(get(*s, "kB").found);

    int live = 0;
    for (int i = 0; i < 200; ++i) set(*s, "z" + std::to_string(i % 100), std::string(i % 13, 'q'));
    for (int i = 0; i < 100; ++i) {
        auto r = get(*s, "z" + std::to_string(i));
        if (r.found) live += int(1 + std::to_string(i).size() + r.value.size());  // "z<i>" + value
    }
    CHECK(live <= 100);
}

TEST_CASE("memory store: expired entries go before live ones when room is needed") {
    auto s = make_memory_store({30, 1});
    set(*s, "a1", "12345678", 40ms);  // oldest... and expiring
    set(*s, "b1", "12345678");
    set(*s, "c1", "12345678");
    CHECK(get(*s, "a1").found);  // a1 is now the most recently used
    std::this_thread::sleep_for(80ms);
    set(*s, "d1", "12345678");
    CHECK(get(*s, "b1").found);  // LRU alone would have dropped b1
    CHECK(get(*s, "c1").found);
    CHECK(get(*s, "d1").found);
}

TEST_CASE("memory store: an entry larger than a shard is refused with a clear error") {
    auto s = make_memory_store({64, 2});
    set(*s, "big", "old");
    auto r = set(*s, "big", std::string(100, 'x'));
    CHECK(r.status == KvStatus::error);
    CHECK(r.error.find("larger than") != std::string::npos);
    CHECK(r.error.find("xxx") == std::string::npos);
}

TEST_CASE("memory store: concurrent incr from several threads adds up exactly") {
    auto s = make_memory_store();
    constexpr int kThreads = 4, kPer = 5000;
    std::mutex mu;
    std::set<int64_t> seen;
    std::atomic<int> done{0}, failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < kPer; ++i)
                s->incr("shared", 1, 0ms, [&](KvResult r) {
                    if (r.status != KvStatus::ok) ++failures;  // Catch2 assertions are not thread-safe
                    std::lock_guard lock(mu);
                    seen.insert(r.number);
                    ++done;
                });
        });
    for (auto& t : threads) t.join();
    for (int i = 0; i < 500 && done.load() < kThreads * kPer; ++i) std::this_thread::sleep_for(10ms);
    REQUIRE(done.load() == kThreads * kPer);
    CHECK(failures.load() == 0);
    CHECK(seen.size() == size_t(kThreads * kPer));  // every increment saw a distinct value
    CHECK(*seen.rbegin() == kThreads * kPer);
    CHECK(get(*s, "shared").value == std::to_string(kThreads * kPer));
}

TEST_CASE("memory store: without a loop the callback never runs inside the call") {
    auto s = make_memory_store();
    std::recursive_mutex mu;  // recursive: a callback run inline would get it and see returned == false
    bool returned = false;
    std::atomic<int> ran{0};
    std::atomic<bool> saw_returned{false};
    std::thread::id caller = std::this_thread::get_id(), ran_on;
    {
        std::lock_guard lock(mu);
        s->get("x", [&](KvResult) {
            std::lock_guard inner(mu);
            saw_returned = returned;
            ran_on = std::this_thread::get_id();
            ++ran;
        });
        returned = true;
    }
    for (int i = 0; i < 500 && ran.load() == 0; ++i) std::this_thread::sleep_for(1ms);
    REQUIRE(ran.load() == 1);
    CHECK(saw_returned.load());
    CHECK(ran_on != caller);
}

namespace {
// A stand-in for an event loop: a queue the test drains by hand.
struct FakeLoop {
    std::mutex mu;
    std::deque<std::function<void()>> queue;
    size_t run_all() {
        size_t n = 0;
        for (;;) {
            std::function<void()> fn;
            {
                std::lock_guard lock(mu);
                if (queue.empty()) return n;
                fn = std::move(queue.front());
                queue.pop_front();
            }
            fn();
            ++n;
        }
    }
};
thread_local FakeLoop* t_loop = nullptr;
void* fake_current_loop() { return t_loop; }
void fake_post(void* loop, std::function<void()> fn) {
    auto* l = static_cast<FakeLoop*>(loop);
    std::lock_guard lock(l->mu);
    l->queue.push_back(std::move(fn));
}
struct HooksGuard {
    HooksGuard() { set_loop_hooks(fake_current_loop, fake_post); }
    ~HooksGuard() {
        set_loop_hooks(nullptr, nullptr);
        t_loop = nullptr;
    }
};
}  // namespace

TEST_CASE("memory store: the callback is posted to the caller's loop") {
    HooksGuard hooks;
    FakeLoop loop;
    t_loop = &loop;
    auto s = make_memory_store();
    int ran = 0;
    std::string value;
    s->set("k", "v", 0ms, [&](KvResult r) {
        CHECK(r.status == KvStatus::ok);
        ++ran;
    });
    s->get("k", [&](KvResult r) {
        value = r.value;
        ++ran;
    });
    CHECK(ran == 0);  // nothing runs until the loop does
    CHECK(loop.run_all() == 2);
    CHECK(ran == 2);
    CHECK(value == "v");

    // A thread without a loop still gets its callback, on the store's thread.
    std::atomic<int> other{0};
    std::thread([&] { s->get("k", [&](KvResult) { ++other; }); }).join();
    for (int i = 0; i < 500 && other.load() == 0; ++i) std::this_thread::sleep_for(1ms);
    CHECK(other.load() == 1);
    CHECK(loop.run_all() == 0);
}

TEST_CASE("memory store: its callback thread never takes SIGTERM, SIGINT or SIGHUP") {
    auto s = make_memory_store();
    Waiter w;
    std::atomic<bool> blocked{false};
    s->get("k", [&, cb = w.callback()](KvResult r) {
        sigset_t current;
        pthread_sigmask(SIG_BLOCK, nullptr, &current);
        blocked = sigismember(&current, SIGTERM) && sigismember(&current, SIGINT) && sigismember(&current, SIGHUP) &&
                  !sigismember(&current, SIGSEGV);
        cb(std::move(r));
    });
    w.wait();
    CHECK(blocked.load());
}
