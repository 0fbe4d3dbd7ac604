#include "http_test_client.hpp"

#include <thread>

using namespace nexus::net;
using namespace nexus::net::test;

TEST_CASE("http server: graceful shutdown lets an in-flight request finish and refuses new ones") {
    Workers workers;
    std::atomic<bool> got{false};
    auto server = std::make_unique<HttpServer>(TestServer::fast_options(), [&](ServerRequest&&, std::shared_ptr<Responder> res) {
        got = true;
        workers.spawn([res] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            res->respond(200, {}, "finished");
        });
    });
    server->start();
    uint16_t port = server->port();
    Client idle(port);
    REQUIRE(idle.send(get("/warm")));
    REQUIRE(eventually([&] { return got.load(); }));
    // Now `idle` has a request in flight; another connection sits idle.
    workers.join();
    REQUIRE(idle.read_response().body == "finished");
    got = false;
    Client busy(port);
    REQUIRE(busy.send(get("/slow")));
    REQUIRE(eventually([&] { return got.load(); }));

    auto t0 = std::chrono::steady_clock::now();
    server->shutdown(std::chrono::milliseconds(3000));
    CHECK(idle.closed_silently(1000));  // idle keep-alive connection: closed at once
    // New connections are refused (the listener is closed).
    CHECK(eventually([&] {
        Client late(port, 300);
        return !late.connected() || late.closed_within(300);
    }));
    auto r = busy.read_response();
    CHECK(r.status == 200);
    CHECK(r.body == "finished");
    CHECK(r.header("Connection") == "close");
    server->wait();
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(1000));
    workers.join();
    server.reset();
}

TEST_CASE("http server: shutdown closes what is still running at the deadline") {
    std::shared_ptr<Responder> held;
    std::atomic<bool> cancelled{false}, got{false};
    HttpServer server(TestServer::fast_options(), [&](ServerRequest&&, std::shared_ptr<Responder> res) {
        res->on_cancel([&] { cancelled = true; });
        res->begin_stream(200, {});
        res->write("never ends");
        held = res;
        got = true;
    });
    server.start();
    Client c(server.port());
    REQUIRE(c.send(get("/endless")));
    REQUIRE(eventually([&] { return got.load(); }));
    auto t0 = std::chrono::steady_clock::now();
    server.shutdown(std::chrono::milliseconds(200));
    server.wait();
    auto took = std::chrono::steady_clock::now() - t0;
    CHECK(took >= std::chrono::milliseconds(180));
    CHECK(took < std::chrono::milliseconds(1500));
    CHECK(cancelled);
    CHECK(held->cancelled());
    CHECK(server.active_requests() == 0);
    CHECK(c.closed_within(1000));
    held.reset();
}

TEST_CASE("http server: shutdown with nothing running returns promptly; destructor without shutdown") {
    {
        HttpServer server(TestServer::fast_options(), [](ServerRequest&&, std::shared_ptr<Responder> res) {
            res->respond(200, {}, "x");
        });
        server.start();
        auto t0 = std::chrono::steady_clock::now();
        server.shutdown(std::chrono::milliseconds(5000));
        server.shutdown(std::chrono::milliseconds(5000));  // twice is fine
        server.wait();
        CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(500));
    }
    {
        HttpServer server(TestServer::fast_options(), [](ServerRequest&&, std::shared_ptr<Responder> res) {
            res->respond(200, {}, "x");
        });
        server.start();
        Client c(server.port());
        REQUIRE(c.send(get("/")));
        REQUIRE(c.read_response().status == 200);
    }  // destructor shuts down and joins
    {
        HttpServer never_started(TestServer::fast_options(), [](ServerRequest&&, std::shared_ptr<Responder>) {});
        never_started.shutdown(std::chrono::milliseconds(0));
        never_started.wait();
    }
}
