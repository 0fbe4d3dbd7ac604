// Timeouts and protocol failures, against a scripted fake Redis (scripted_redis.hpp).
#include "kv_sync.hpp"
#include "scripted_redis.hpp"
#include "state/kv_store.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using namespace nexus::state;
using namespace nexus::state::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {
std::unique_ptr<KvStore> one_connection(const std::string& url, std::chrono::milliseconds command_timeout) {
    RedisStoreOptions o;
    o.url = url;
    o.pool_size = 1;
    o.command_timeout = command_timeout;
    o.reconnect_backoff = 100ms;
    return make_redis_store(o);
}
}  // namespace

TEST_CASE("redis timeouts: a late reply answers its caller 'unavailable' and the pipeline stays in step") {
    ScriptedRedis fake([](ScriptedPeer& peer) {
        if (!peer.expect("PING\r\n")) return;
        peer.send("+PONG\r\n");
        if (!peer.expect("$4\r\nslow\r\n")) return;
        peer.trickle("$5\r\nhello\r\n", 40ms);  // done after ~440 ms, a byte every 40 ms
        if (!peer.expect("$4\r\nfast\r\n")) return;
        peer.send("$4\r\nfast\r\n");
        peer.expect("never", 2000ms);  // hold the connection open
    });
    auto s = one_connection(fake.url(), 300ms);
    auto start = Clock::now();
    auto slow = get(*s, "slow");
    auto took = Clock::now() - start;
    CHECK(slow.status == KvStatus::unavailable);
    CHECK(slow.error == "redis at 127.0.0.1:" + fake.url().substr(fake.url().rfind(':') + 1) + " did not answer within 300 ms");
    CHECK(took >= 280ms);
    CHECK(took < 1000ms);
    // Sent behind the slow one on the same connection: its reply comes after the dropped one.
    auto fast = get(*s, "fast");
    CHECK(fast.status == KvStatus::ok);
    CHECK(fast.value == "fast");
    CHECK(fake.connections() == 1);  // the connection was kept: it was making progress
}

TEST_CASE("redis timeouts: a server that accepts and never answers does not hang a command") {
    ScriptedRedis fake([](ScriptedPeer& peer) { peer.expect("never", 1500ms); });
    auto s = one_connection(fake.url(), 300ms);
    auto start = Clock::now();
    auto r = get(*s, "k");
    auto took = Clock::now() - start;
    CHECK(r.status == KvStatus::unavailable);
    CHECK(r.error.find("is unreachable: no connection within 300 ms") != std::string::npos);
    CHECK(took < 1000ms);
}

TEST_CASE("redis timeouts: a server that does not speak RESP is named as such") {
    ScriptedRedis fake([](ScriptedPeer& peer) {
        peer.expect("\r\n");
        peer.send("HTTP/1.1 400 Bad Request\r\n\r\n");
    });
    auto s = one_connection(fake.url(), 1000ms);
    auto r = get(*s, "k");
    CHECK(r.status == KvStatus::unavailable);
    CHECK(r.error.find("sent a malformed reply (malformed RESP at byte 0: expected a reply type (+ - : $ *), found 'H')") !=
          std::string::npos);
}

TEST_CASE("redis timeouts: a connection that stops making progress is dropped and replaced") {
    std::atomic<int> n{0};
    ScriptedRedis fake([&n](ScriptedPeer& peer) {
        if (!peer.expect("PING\r\n")) return;
        peer.send("+PONG\r\n");
        if (n++ == 0) {
            peer.expect("never", 3000ms);  // silent, until the client gives up on this connection
            return;
        }
        if (peer.expect("$6\r\nsecond\r\n")) peer.send("$2\r\nok\r\n");
        peer.expect("never", 3000ms);
    });
    auto s = one_connection(fake.url(), 300ms);
    auto start = Clock::now();
    auto r = get(*s, "first");
    CHECK(r.status == KvStatus::unavailable);
    CHECK(r.error.find("did not answer within 300 ms") != std::string::npos);
    // A command sent on the stalled connection before it is given up would fail with it.
    std::this_thread::sleep_for(100ms);
    auto second = get(*s, "second");
    INFO(second.error);
    CHECK(second.status == KvStatus::ok);
    CHECK(second.value == "ok");
    CHECK(fake.connections() == 2);
    CHECK(Clock::now() - start < 1500ms);
}
