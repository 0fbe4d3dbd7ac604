// Keep-alive pooling: reuse, the per-origin limit, stale idle connections, the one retry
// after a reused connection dies before answering, and idle expiry.
#include "client_harness.hpp"
#include "scripted_server.hpp"

#include <catch2/catch.hpp>

#include <atomic>

using namespace nexus;
using namespace nexus::test;
using namespace std::chrono_literals;
using net::ClientError;

namespace {
const char* kOk = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
}

TEST_CASE("sequential requests reuse one keep-alive connection", "[transport][pool]") {
    std::atomic<int> requests{0};
    ScriptedServer server([&](ServerConn& c) {
        while (c.read_request()) {
            ++requests;
            c.write(kOk);
        }
    });
    Harness h;
    for (int i = 0; i < 3; ++i) {
        auto out = h.run(Harness::request(server.url()));
        CHECK(out.error == ClientError::none);
        CHECK(out.body() == "ok");
    }
    CHECK(requests == 3);
    CHECK(server.accepts() == 1);
    CHECK(h.client.open_connections() == 1);
    CHECK(h.client.idle_connections() == 1);
}

TEST_CASE("pool_size 1: concurrent requests are serialized on one connection", "[transport][pool]") {
    std::atomic<int> in_flight{0}, max_in_flight{0}, requests{0};
    ScriptedServer server([&](ServerConn& c) {
        while (c.read_request()) {
            int now = ++in_flight;
            max_in_flight = std::max(max_in_flight.load(), now);
            ++requests;
            c.stall(50ms);
            --in_flight;
            c.write(kOk);
        }
    });
    Harness h;
    Outcome a, b;
    auto req = Harness::request(server.url());
    req.pool_size = 1;
    h.start(req, a);
    h.start(req, b);
    REQUIRE(h.run_until([&] { return a.done_calls && b.done_calls; }));
    CHECK(a.error == ClientError::none);
    CHECK(b.error == ClientError::none);
    CHECK(requests == 2);
    CHECK(max_in_flight == 1);
    CHECK(server.accepts() == 1);
    CHECK(h.client.open_connections() == 1);
}

TEST_CASE("pool_size 2: concurrent requests use two connections", "[transport][pool]") {
    Signal both;
    std::atomic<int> arrived{0};
    ScriptedServer server([&](ServerConn& c) {
        while (c.read_request()) {
            if (++arrived == 2) both.raise();
            both.wait(2000ms);  // proves the two requests were in flight at once
            c.write(kOk);
        }
    });
    Harness h;
    Outcome a, b;
    auto req = Harness::request(server.url());
    req.pool_size = 2;
    h.start(req, a);
    h.start(req, b);
    REQUIRE(h.run_until([&] { return a.done_calls && b.done_calls; }));
    CHECK(both.raised());
    CHECK(server.accepts() == 2);
    CHECK(h.client.open_connections() == 2);
    CHECK(h.client.idle_connections() == 2);
}

TEST_CASE("an idle connection the server closed is replaced transparently", "[transport][pool]") {
    ScriptedServer server([](ServerConn& c) {
        if (!c.read_request()) return;
        c.write(kOk);  // says keep-alive, then hangs up anyway
        c.close();
    });
    Harness h;
    auto first = h.run(Harness::request(server.url()));
    CHECK(first.error == ClientError::none);
    CHECK(h.client.idle_connections() == 1);
    // Soon after its last use a connection is taken without probing (the send fails and the
    // request is retried on a new one); after a second idle the socket is probed first.
    auto idle = GENERATE(50ms, 1100ms);
    std::this_thread::sleep_for(idle);  // let the FIN arrive
    auto second = h.run(Harness::request(server.url()));
    CHECK(second.error == ClientError::none);
    CHECK(second.body() == "ok");
    CHECK(server.accepts() == 2);
    CHECK(h.client.open_connections() == 1);
}

TEST_CASE("a reused connection closed after the request was sent is retried once on a new one", "[transport][pool]") {
    std::atomic<int> requests{0};
    ScriptedServer server([&](ServerConn& c) {
        while (c.read_request()) {
            // The 2nd request overall races the server's idle close: dropped unanswered.
            if (++requests == 2) return c.close();
            c.write(kOk);
        }
    });
    Harness h;
    CHECK(h.run(Harness::request(server.url())).error == ClientError::none);
    auto out = h.run(Harness::request(server.url(), "POST"));
    CHECK(out.error == ClientError::none);
    CHECK(out.body() == "ok");
    CHECK(requests == 3);
    CHECK(server.accepts() == 2);
    CHECK(h.client.open_connections() == 1);
}

TEST_CASE("a reused connection reset before any response byte is retried once", "[transport][pool]") {
    std::atomic<int> requests{0};
    ScriptedServer server([&](ServerConn& c) {
        while (c.read_request()) {
            if (++requests == 2) return c.reset();
            c.write(kOk);
        }
    });
    Harness h;
    CHECK(h.run(Harness::request(server.url())).error == ClientError::none);
    auto out = h.run(Harness::request(server.url()));
    CHECK(out.error == ClientError::none);
    CHECK(server.accepts() == 2);
}

TEST_CASE("the retry happens only once", "[transport][pool]") {
    std::atomic<int> requests{0};
    ScriptedServer server([&](ServerConn& c) {
        while (c.read_request()) {
            if (++requests >= 2) return c.close();
            c.write(kOk);
        }
    });
    Harness h;
    CHECK(h.run(Harness::request(server.url())).error == ClientError::none);
    auto out = h.run(Harness::request(server.url()));
    CHECK(out.error == ClientError::reset);
    CHECK(out.done_calls == 1);
    CHECK(requests == 3);  // original + one retry
    CHECK(h.client.open_connections() == 0);
}

TEST_CASE("a fresh connection closed before the response is not retried", "[transport][pool]") {
    ScriptedServer server([](ServerConn& c) {
        if (c.read_request()) c.close();
    });
    Harness h;
    auto out = h.run(Harness::request(server.url()));
    CHECK(out.error == ClientError::reset);
    CHECK(server.accepts() == 1);
    CHECK(h.client.open_connections() == 0);
}

TEST_CASE("a response that only partly arrived is never retried", "[transport][pool]") {
    std::atomic<int> requests{0};
    ScriptedServer server([&](ServerConn& c) {
        while (c.read_request()) {
            if (++requests == 2) {
                c.write("HTTP/1.1 200 OK\r\nContent-Le");
                return c.close();
            }
            c.write(kOk);
        }
    });
    Harness h;
    CHECK(h.run(Harness::request(server.url())).error == ClientError::none);
    auto out = h.run(Harness::request(server.url()));
    CHECK(out.error == ClientError::reset);
    CHECK(requests == 2);
    CHECK(h.client.open_connections() == 0);
}

TEST_CASE("idle connections expire", "[transport][pool]") {
    ScriptedServer server([](ServerConn& c) {
        while (c.read_request()) c.write(kOk);
    });
    Harness h;
    h.client.set_idle_expiry(100ms);
    CHECK(h.run(Harness::request(server.url())).error == ClientError::none);
    CHECK(h.client.idle_connections() == 1);
    CHECK(h.run_until([&] { return h.client.open_connections() == 0; }, 1000ms));
    CHECK(h.client.idle_connections() == 0);
}

TEST_CASE("a connection in steady use is kept; its expiry counts from its last use", "[transport][pool]") {
    ScriptedServer server([](ServerConn& c) {
        while (c.read_request()) c.write(kOk);
    });
    Harness h;
    h.client.set_idle_expiry(150ms);
    // Reused every ~50 ms for 0.6 s, four expiry periods: one connection throughout.
    auto until = std::chrono::steady_clock::now() + 600ms;
    auto last_use = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() < until) {
        REQUIRE(h.run(Harness::request(server.url())).error == ClientError::none);
        last_use = std::chrono::steady_clock::now();
        auto next = last_use + 50ms;
        h.run_until([&] { return std::chrono::steady_clock::now() >= next; }, 200ms);
    }
    CHECK(server.accepts() == 1);
    CHECK(h.client.open_connections() == 1);
    // Then idle: closed one expiry after its last use, not earlier.
    CHECK(h.run_until([&] { return h.client.open_connections() == 0; }, 1000ms));
    CHECK(std::chrono::steady_clock::now() - last_use >= 140ms);
}

TEST_CASE("pools are per origin", "[transport][pool]") {
    auto script = [](ServerConn& c) {
        while (c.read_request()) c.write(kOk);
    };
    ScriptedServer one(script), two(script);
    Harness h;
    CHECK(h.run(Harness::request(one.url())).error == ClientError::none);
    CHECK(h.run(Harness::request(two.url())).error == ClientError::none);
    CHECK(h.run(Harness::request(one.url())).error == ClientError::none);
    CHECK(one.accepts() == 1);
    CHECK(two.accepts() == 1);
    CHECK(h.client.open_connections() == 2);
    CHECK(h.client.idle_connections() == 2);
}
