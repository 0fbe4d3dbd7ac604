#include "http_test_client.hpp"

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

using namespace nexus::net;
using namespace nexus::net::test;

namespace {
// A one-shot flag a test thread can wait on.
struct Signal {
    std::mutex m;
    std::condition_variable cv;
    bool set = false;
    void fire() {
        std::lock_guard lock(m);
        set = true;
        cv.notify_all();
    }
    bool wait(int ms = 2000) {
        std::unique_lock lock(m);
        return cv.wait_for(lock, std::chrono::milliseconds(ms), [&] { return set; });
    }
};
}  // namespace

TEST_CASE("http server: streamed chunks reach the client before the stream ends") {
    Signal first_seen;
    Workers workers;
    TestServer s([&](ServerRequest&& req, std::shared_ptr<Responder> res) {
        if (req.target == "/again") return res->respond(200, {}, "again");
        res->begin_stream(200, {{"Content-Type", "text/event-stream"}});
        res->write("data: one\n\n");
        // The rest comes only after the test has seen the first chunk on its socket.
        workers.spawn([res, &first_seen] {
            first_seen.wait(3000);
            res->write("data: two\n\n");
            res->write("");  // empty writes are skipped, never a premature last chunk
            res->write("data: three\n\n");
            res->end_stream();
        });
    });
    Client c(s.port());
    REQUIRE(c.send(get("/stream")));
    Response head;
    REQUIRE(c.read_head(head));
    CHECK(head.status == 200);
    CHECK(head.header("Transfer-Encoding") == "chunked");
    CHECK(head.header("Content-Type") == "text/event-stream");
    CHECK_FALSE(head.has_header("Content-Length"));
    std::string chunk;
    REQUIRE(c.read_chunk(chunk) == Client::Chunk::data);
    CHECK(chunk == "data: one\n\n");
    first_seen.fire();
    std::vector<std::string> rest;
    Client::Chunk k;
    while ((k = c.read_chunk(chunk)) == Client::Chunk::data) rest.push_back(chunk);
    CHECK(k == Client::Chunk::last);
    CHECK(rest == std::vector<std::string>{"data: two\n\n", "data: three\n\n"});
    workers.join();
    // The connection is reusable after the stream.
    REQUIRE(c.send(get("/again")));
    CHECK(c.read_response().body == "again");
}

TEST_CASE("http server: a stream written from another thread arrives whole and in order") {
    Workers workers;
    TestServer s([&](ServerRequest&&, std::shared_ptr<Responder> res) {
        workers.spawn([res] {
            res->begin_stream(200, {});
            for (int i = 0; i < 2000; ++i) res->write(std::to_string(i) + ",");
            res->end_stream();
        });
    });
    Client c(s.port());
    REQUIRE(c.send(get("/many")));
    auto r = c.read_response();
    REQUIRE(r.complete);
    std::string want;
    for (int i = 0; i < 2000; ++i) want += std::to_string(i) + ",";
    CHECK(r.body == want);
    workers.join();
}

TEST_CASE("http server: the cancel callback fires when the client closes mid-stream") {
    std::shared_ptr<Responder> held;
    Signal cancelled, started;
    std::atomic<int> cancel_calls{0};
    TestServer s([&](ServerRequest&&, std::shared_ptr<Responder> res) {
        res->on_cancel([&] {
            ++cancel_calls;
            cancelled.fire();
        });
        res->begin_stream(200, {});
        res->write("first");
        held = res;
        started.fire();
    });
    {
        Client c(s.port());
        REQUIRE(c.send(get("/s")));
        Response head;
        REQUIRE(c.read_head(head));
        std::string chunk;
        REQUIRE(c.read_chunk(chunk) == Client::Chunk::data);
        CHECK(chunk == "first");
    }  // the client goes away
    REQUIRE(started.wait());
    REQUIRE(cancelled.wait());
    CHECK(held->cancelled());
    // Later calls are dropped quietly.
    held->write("too late");
    held->end_stream();
    held->on_cancel([&] { ++cancel_calls; });  // registering after the fact runs it at once
    CHECK(eventually([&] { return cancel_calls == 2; }));
    CHECK(eventually([&] { return s.server.active_requests() == 0; }));
    held.reset();
}

TEST_CASE("http server: the cancel callback fires when the client leaves before any response") {
    std::shared_ptr<Responder> held;
    Signal cancelled, got;
    TestServer s([&](ServerRequest&&, std::shared_ptr<Responder> res) {
        held = res;
        res->on_cancel([&] { cancelled.fire(); });
        got.fire();
    });
    {
        Client c(s.port());
        REQUIRE(c.send(get("/slow-upstream")));
        REQUIRE(got.wait());
        c.reset();
    }
    REQUIRE(cancelled.wait());
    CHECK(held->cancelled());
    held->respond(200, {}, "nobody listens");
    held.reset();
    // A request that completes normally is not cancelled.
    std::shared_ptr<Responder> done;
    std::atomic<bool> fired{false};
    Signal kept;
    TestServer s2([&](ServerRequest&&, std::shared_ptr<Responder> res) {
        res->on_cancel([&] { fired = true; });
        res->respond(200, {}, "fine");
        done = res;
        kept.fire();
    });
    {
        Client c(s2.port());
        REQUIRE(c.send(get("/")));
        CHECK(c.read_response().body == "fine");
    }
    REQUIRE(kept.wait());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK_FALSE(fired);
    CHECK_FALSE(done->cancelled());
    done.reset();
}

TEST_CASE("http server: a handler that drops the responder gets a 500") {
    TestServer s([](ServerRequest&& req, std::shared_ptr<Responder> res) {
        if (req.target == "/throw") throw std::runtime_error("boom");
        if (req.target == "/thread") {
            std::thread([res = std::move(res)] {}).detach();  // dropped on another thread
            return;
        }
        // else: dropped right here
    });
    Client c(s.port());
    for (const char* t : {"/drop", "/throw", "/thread"}) {
        INFO(t);
        REQUIRE(c.send(get(t)));
        auto r = c.read_response();
        CHECK(r.status == 500);
        CHECK(r.body.find("\"type\":\"server_error\"") != std::string::npos);
        CHECK(r.body.find("\"code\":\"internal_error\"") != std::string::npos);
    }
    CHECK(eventually([&] { return s.server.active_requests() == 0; }));
}

TEST_CASE("http server: a stream the handler abandons is cut, not completed") {
    TestServer s([](ServerRequest&&, std::shared_ptr<Responder> res) {
        res->begin_stream(200, {});
        res->write("partial");
    });
    Client c(s.port());
    REQUIRE(c.send(get("/abandon")));
    auto r = c.read_response();
    CHECK(r.status == 200);
    CHECK(r.body == "partial");
    CHECK_FALSE(r.complete);  // no last chunk: the client can tell the stream broke
}

TEST_CASE("http server: a client that stops reading a stream is dropped after write_timeout") {
    auto o = TestServer::fast_options();
    o.write_timeout = std::chrono::milliseconds(200);
    Signal cancelled;
    Workers workers;
    TestServer s(
        [&](ServerRequest&&, std::shared_ptr<Responder> res) {
            res->on_cancel([&] { cancelled.fire(); });
            workers.spawn([res] {
                res->begin_stream(200, {});
                std::string block(64 << 10, 'z');
                for (int i = 0; i < 1000 && !res->cancelled(); ++i) {
                    res->write(block);
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                }
                res->end_stream();
            });
        },
        o);
    Client c(s.port());
    int small = 4096;
    ::setsockopt(c.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    REQUIRE(c.send(get("/firehose")));
    CHECK(cancelled.wait(5000));
    workers.join();
}

TEST_CASE("http server: a slow client that keeps reading is not cut by write_timeout") {
    auto o = TestServer::fast_options();
    o.write_timeout = std::chrono::milliseconds(150);
    // More than the kernel buffers on both sides hold, so the server's write of it lasts
    // longer than write_timeout while always making progress.
    std::string big(8 << 20, 'q');
    TestServer s([&](ServerRequest&&, std::shared_ptr<Responder> res) { res->respond(200, {}, big); }, o);
    Client c(s.port());
    int rcvbuf = 64 << 10;
    ::setsockopt(c.fd(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    REQUIRE(c.send(get("/big")));
    Response head;
    REQUIRE(c.read_head(head));
    REQUIRE(head.header("Content-Length") == std::to_string(big.size()));
    size_t got = c.buffer().size();
    std::vector<char> tmp(64 << 10);
    auto t0 = std::chrono::steady_clock::now();
    while (got < big.size()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(4));
        ssize_t n = ::recv(c.fd(), tmp.data(), tmp.size(), 0);
        REQUIRE(n > 0);
        got += size_t(n);
    }
    CHECK(got == big.size());
    CHECK(std::chrono::steady_clock::now() - t0 > std::chrono::milliseconds(300));
}
