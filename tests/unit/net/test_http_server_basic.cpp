#include "http_test_client.hpp"

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

using namespace nexus::net;
using namespace nexus::net::test;

namespace {
// Answers with "<method> <target> <path> <client ip> <header x-test> <body>".
void echo(ServerRequest&& req, std::shared_ptr<Responder> res) {
    std::string body = req.method + " " + req.target + " " + std::string(req.path()) + " " + req.client_ip + " " +
                       std::string(find_header(req.headers, "x-test").value_or("-")) + " " + req.body;
    res->respond(200, {{"Content-Type", "text/plain"}, {"X-Echo", "1"}}, std::move(body));
}
}  // namespace

TEST_CASE("http server: basic GET") {
    TestServer s(echo);
    Client c(s.port());
    REQUIRE(c.connected());
    REQUIRE(c.send(get("/v1/models?x=1", "X-Test: hello\r\n")));
    auto r = c.read_response();
    REQUIRE(r.complete);
    CHECK(r.status == 200);
    CHECK(r.reason == "OK");
    CHECK(r.body == "GET /v1/models?x=1 /v1/models 127.0.0.1 hello ");
    CHECK(r.header("Content-Length") == std::to_string(r.body.size()));
    CHECK(r.header("Content-Type") == "text/plain");
    CHECK(r.header("X-Echo") == "1");
    CHECK(r.header("Server") == "nexus");
    CHECK_FALSE(r.has_header("Connection"));  // keep-alive is the HTTP/1.1 default
}

TEST_CASE("http server: POST with a Content-Length body") {
    TestServer s(echo);
    Client c(s.port());
    std::string body(100000, 'b');
    REQUIRE(c.send(post("/v1/chat/completions", body, "Content-Type: application/json\r\n")));
    auto r = c.read_response();
    REQUIRE(r.status == 200);
    CHECK(r.body == "POST /v1/chat/completions /v1/chat/completions 127.0.0.1 - " + body);
}

TEST_CASE("http server: POST with a chunked body") {
    TestServer s(echo);
    Client c(s.port());
    REQUIRE(c.send("POST /up HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "5\r\nhello\r\n"
                   "7;ext=1\r\n, world\r\n"
                   "0\r\n\r\n"));
    auto r = c.read_response();
    REQUIRE(r.status == 200);
    CHECK(r.body == "POST /up /up 127.0.0.1 - hello, world");
}

TEST_CASE("http server: keep-alive serves several requests on one connection") {
    std::atomic<int> n{0};
    TestServer s([&](ServerRequest&& req, std::shared_ptr<Responder> res) {
        res->respond(200, {}, req.target + "#" + std::to_string(++n));
    });
    Client c(s.port());
    for (int i = 1; i <= 5; ++i) {
        std::string target = "/r" + std::to_string(i);
        REQUIRE(c.send(i % 2 ? get(target) : post(target, "xyz")));
        auto r = c.read_response();
        REQUIRE(r.status == 200);
        CHECK(r.body == target + "#" + std::to_string(i));
    }
    // Connection: close is honoured: the response says so and the server closes.
    REQUIRE(c.send(get("/last", "Connection: close\r\n")));
    auto r = c.read_response();
    CHECK(r.status == 200);
    CHECK(r.header("Connection") == "close");
    CHECK(c.closed_within(1000));
}

TEST_CASE("http server: pipelined requests are answered in order") {
    TestServer s(echo);
    Client c(s.port());
    REQUIRE(c.send(get("/a") + post("/b", "body-b") + get("/c") + post("/d", std::string(40000, 'd'))));
    CHECK(c.read_response().body == "GET /a /a 127.0.0.1 - ");
    CHECK(c.read_response().body == "POST /b /b 127.0.0.1 - body-b");
    CHECK(c.read_response().body == "GET /c /c 127.0.0.1 - ");
    CHECK(c.read_response().body == "POST /d /d 127.0.0.1 - " + std::string(40000, 'd'));
}

TEST_CASE("http server: pipelined bytes that arrive while the handler works are kept") {
    // The handler answers from another thread later; meanwhile the next requests arrive.
    std::vector<std::thread> threads;
    std::mutex m;
    TestServer s([&](ServerRequest&& req, std::shared_ptr<Responder> res) {
        std::lock_guard lock(m);
        threads.emplace_back([target = req.target, res] {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            res->respond(200, {}, target);
        });
    });
    {
        Client c(s.port());
        REQUIRE(c.send(get("/1")));
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        REQUIRE(c.send(get("/2")));
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        REQUIRE(c.send(post("/3", "x") + get("/4")));
        for (const char* t : {"/1", "/2", "/3", "/4"}) CHECK(c.read_response().body == t);
    }
    std::lock_guard lock(m);
    for (auto& t : threads) t.join();
}

TEST_CASE("http server: Expect: 100-continue gets an interim response") {
    TestServer s(echo);
    Client c(s.port());
    REQUIRE(c.send("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"));
    Response interim;
    REQUIRE(c.read_head(interim));
    CHECK(interim.status == 100);
    REQUIRE(c.send("abcd"));
    auto r = c.read_response();
    CHECK(r.status == 200);
    CHECK(r.body == "POST /e /e 127.0.0.1 - abcd");
}

TEST_CASE("http server: HEAD gets the length but no body") {
    TestServer s(echo);
    Client c(s.port());
    REQUIRE(c.send("HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n" + get("/after")));
    auto r = c.read_response(/*head_request=*/true);
    CHECK(r.status == 200);
    CHECK(r.header("Content-Length") == std::to_string(std::string("HEAD /h /h 127.0.0.1 - ").size()));
    // The next response follows directly: no body bytes were sent for HEAD.
    CHECK(c.read_response().body == "GET /after /after 127.0.0.1 - ");
}

TEST_CASE("http server: HTTP/1.0 closes unless keep-alive is asked for") {
    TestServer s(echo);
    {
        Client c(s.port());
        REQUIRE(c.send("GET /old HTTP/1.0\r\n\r\n"));
        auto r = c.read_response();
        CHECK(r.status == 200);
        CHECK(r.header("Connection") == "close");
        CHECK(c.closed_within(1000));
    }
    {
        Client c(s.port());
        REQUIRE(c.send("GET /ka HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        auto r = c.read_response();
        CHECK(r.header("Connection") == "keep-alive");
        REQUIRE(c.send("GET /ka2 HTTP/1.0\r\n\r\n"));
        CHECK(c.read_response().body == "GET /ka2 /ka2 127.0.0.1 - ");
    }
}

TEST_CASE("http server: status codes, reason phrases and header hygiene") {
    TestServer s([](ServerRequest&& req, std::shared_ptr<Responder> res) {
        if (req.target == "/204") return res->respond(204, {}, "ignored body");
        if (req.target == "/429") return res->respond(429, {{"Retry-After", "1"}}, "{}");
        if (req.target == "/bad-status") return res->respond(42, {}, "x");
        // Framing headers from the handler are replaced; one carrying CRLF is dropped.
        res->respond(200, {{"Content-Length", "999"}, {"X-Evil", "a\r\nSet-Cookie: x=1"}, {"Server", "custom"}}, "ok");
    });
    Client c(s.port());
    REQUIRE(c.send(get("/204")));
    auto r = c.read_response();
    CHECK(r.status == 204);
    CHECK_FALSE(r.has_header("Content-Length"));
    REQUIRE(c.send(get("/429")));
    r = c.read_response();
    CHECK(r.status == 429);
    CHECK(r.reason == "Too Many Requests");
    CHECK(r.header("Retry-After") == "1");
    REQUIRE(c.send(get("/bad-status")));
    r = c.read_response();
    CHECK(r.status == 500);
    CHECK(r.body.find("\"type\":\"server_error\"") != std::string::npos);
    REQUIRE(c.send(get("/other")));
    r = c.read_response();
    CHECK(r.status == 200);
    CHECK(r.body == "ok");
    CHECK(r.header("Content-Length") == "2");
    CHECK_FALSE(r.has_header("X-Evil"));
    CHECK_FALSE(r.has_header("Set-Cookie"));
    CHECK(r.header("Server") == "custom");
}

TEST_CASE("http server: active_requests counts requests between read and response") {
    std::shared_ptr<Responder> held;
    std::atomic<bool> got{false};
    TestServer s([&](ServerRequest&&, std::shared_ptr<Responder> res) {
        held = std::move(res);
        got = true;
    });
    CHECK(s.server.active_requests() == 0);
    Client c(s.port());
    REQUIRE(c.send(get("/hold")));
    REQUIRE(eventually([&] { return got.load(); }));
    CHECK(s.server.active_requests() == 1);
    held->respond(200, {}, "done");
    CHECK(c.read_response().body == "done");
    CHECK(eventually([&] { return s.server.active_requests() == 0; }));
    held.reset();
}

TEST_CASE("http server: two event loops serve concurrent clients") {
    std::mutex m;
    std::set<std::thread::id> handler_threads;
    std::set<void*> contexts;
    auto o = TestServer::fast_options();
    o.threads = 2;
    TestServer s(
        [&](ServerRequest&& req, std::shared_ptr<Responder> res) {
            {
                std::lock_guard lock(m);
                handler_threads.insert(std::this_thread::get_id());
                contexts.insert(HttpServer::current_io_context());
            }
            res->respond(200, {}, req.body);
        },
        o);
    CHECK(HttpServer::current_io_context() == nullptr);
    std::atomic<int> ok{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 8; ++t) {
        clients.emplace_back([&, t] {
            for (int conn = 0; conn < 5; ++conn) {
                Client c(s.port());
                for (int i = 0; i < 10; ++i) {
                    std::string body = std::to_string(t) + "-" + std::to_string(conn) + "-" + std::to_string(i);
                    if (!c.send(post("/", body))) return;
                    if (c.read_response().body == body) ++ok;
                }
            }
        });
    }
    for (auto& t : clients) t.join();
    CHECK(ok == 8 * 5 * 10);
    std::lock_guard lock(m);
    CHECK(contexts.count(nullptr) == 0);
    CHECK(handler_threads.size() == contexts.size());
    // SO_REUSEPORT spreads 40 connections over both loops (by hash; one-sided is ~1e-12).
    CHECK(contexts.size() == 2);
}

TEST_CASE("http server: start fails with a clear message when the port is taken") {
    // Another server of ours would share the port (SO_REUSEPORT), so hold the port with a
    // plain listener.
    ServerOptions o = TestServer::fast_options();
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd, 1) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    o.port = ntohs(a.sin_port);
    HttpServer taken(o, echo);
    try {
        taken.start();
        FAIL("start() should have thrown");
    } catch (const std::runtime_error& e) {
        CHECK(std::string(e.what()).find("cannot listen on 127.0.0.1:" + std::to_string(o.port)) != std::string::npos);
    }
    ::close(fd);
}
