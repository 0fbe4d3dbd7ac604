#include "http_test_client.hpp"

#include <random>
#include <thread>

using namespace nexus::net;
using namespace nexus::net::test;

namespace {
void ok_handler(ServerRequest&& req, std::shared_ptr<Responder> res) { res->respond(200, {}, "ok:" + req.body); }

ServerOptions limited() {
    auto o = TestServer::fast_options();
    o.max_body = 1024;
    o.max_header = 2048;
    return o;
}

// The error body is OpenAI's shape with the given code.
void check_error(const Response& r, int status, const std::string& code) {
    CHECK(r.status == status);
    CHECK(r.header("Content-Type") == "application/json");
    CHECK(r.body.rfind("{\"error\":{\"message\":\"", 0) == 0);
    CHECK(r.body.find("\"param\":null,\"code\":\"" + code + "\"}}") != std::string::npos);
}

void check_still_serving(uint16_t port) {
    Client c(port);
    REQUIRE(c.send(get("/alive")));
    auto r = c.read_response();
    CHECK(r.status == 200);
    CHECK(r.body == "ok:");
}
}  // namespace

TEST_CASE("http server: a body over max_body by Content-Length is refused up front with 413") {
    TestServer s(ok_handler, limited());
    Client c(s.port());
    // Only the head is sent: the answer must not wait for the body.
    REQUIRE(c.send("POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n"));
    auto r = c.read_response();
    check_error(r, 413, "request_too_large");
    CHECK(r.header("Connection") == "close");
    CHECK(r.body.find("1024") != std::string::npos);
    CHECK(c.closed_within(2500));
    check_still_serving(s.port());
}

TEST_CASE("http server: a body at max_body is accepted") {
    TestServer s(ok_handler, limited());
    Client c(s.port());
    REQUIRE(c.send(post("/fits", std::string(1024, 'x'))));
    CHECK(c.read_response().body == "ok:" + std::string(1024, 'x'));
}

TEST_CASE("http server: a chunked body that grows over max_body gets 413") {
    TestServer s(ok_handler, limited());
    Client c(s.port());
    REQUIRE(c.send("POST /big HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
    std::string chunk = "200\r\n" + std::string(0x200, 'c') + "\r\n";
    c.send(chunk);
    c.send(chunk);  // 1024 bytes: still fine
    c.send(chunk);  // over
    auto r = c.read_response();
    check_error(r, 413, "request_too_large");
    CHECK(c.closed_within(2500));
    check_still_serving(s.port());
}

TEST_CASE("http server: headers over max_header get 431") {
    TestServer s(ok_handler, limited());
    SECTION("one huge header") {
        Client c(s.port());
        REQUIRE(c.send("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(4000, 'h') + "\r\n\r\n"));
        auto r = c.read_response();
        check_error(r, 431, "request_header_fields_too_large");
        CHECK(c.closed_within(2500));
    }
    SECTION("many headers sent slowly, never finishing") {
        Client c(s.port());
        REQUIRE(c.send("GET / HTTP/1.1\r\n"));
        for (int i = 0; i < 100; ++i) c.send("X-H" + std::to_string(i) + ": " + std::string(30, 'v') + "\r\n");
        check_error(c.read_response(), 431, "request_header_fields_too_large");
    }
    check_still_serving(s.port());
}

TEST_CASE("http server: a client too slow to send its request gets 408") {
    auto o = limited();
    o.read_timeout = std::chrono::milliseconds(300);
    TestServer s(ok_handler, o);
    Client c(s.port());
    auto t0 = std::chrono::steady_clock::now();
    REQUIRE(c.send("POST /slow HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc"));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    REQUIRE(c.send("de"));  // trickling bytes does not extend the deadline
    auto r = c.read_response();
    auto took = std::chrono::steady_clock::now() - t0;
    check_error(r, 408, "request_timeout");
    CHECK(took >= std::chrono::milliseconds(280));
    CHECK(took < std::chrono::milliseconds(1000));
    CHECK(c.closed_within(1000));
    check_still_serving(s.port());
}

TEST_CASE("http server: a connection that never sends a byte is closed silently") {
    auto o = limited();
    o.read_timeout = std::chrono::milliseconds(200);
    TestServer s(ok_handler, o);
    Client c(s.port());
    CHECK(c.closed_silently(1500));
}

TEST_CASE("http server: idle keep-alive connections are closed silently after idle_timeout") {
    auto o = limited();
    o.idle_timeout = std::chrono::milliseconds(200);
    o.read_timeout = std::chrono::milliseconds(5000);
    TestServer s(ok_handler, o);
    Client c(s.port());
    REQUIRE(c.send(get("/")));
    REQUIRE(c.read_response().status == 200);
    auto t0 = std::chrono::steady_clock::now();
    CHECK(c.closed_silently(1500));
    CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(180));
}

TEST_CASE("http server: connections over max_connections get 503 and are closed") {
    auto o = limited();
    o.max_connections = 2;
    TestServer s(ok_handler, o);
    Client a(s.port()), b(s.port());
    REQUIRE(a.send(get("/")));
    REQUIRE(a.read_response().status == 200);
    REQUIRE(b.send(get("/")));
    REQUIRE(b.read_response().status == 200);
    {
        Client c(s.port());
        auto r = c.read_response();  // no request needed: the server refuses at once
        check_error(r, 503, "server_overloaded");
        CHECK(r.header("Connection") == "close");
        CHECK(c.closed_within(2500));
    }
    // The two that were let in still work; once one leaves, a newcomer is served.
    REQUIRE(a.send(get("/")));
    REQUIRE(a.read_response().status == 200);
    b.close();
    CHECK(eventually([&] {
        Client d(s.port());
        if (!d.send(get("/"))) return false;
        return d.read_response().status == 200;
    }));
}

TEST_CASE("http server: malformed requests get 400 and the server serves others") {
    TestServer s(ok_handler, limited());
    const char* bad[] = {
        "GARBAGE\r\n\r\n",
        "GET / HTTP/9.9\r\n\r\n",
        "GET / HTTP/1.1\r\nBad Header Line\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n",
        "\x01\x02\x03\x04\r\n\r\n",
        // Both framings at once is a request-smuggling shape: refused, whatever the order.
        "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
    };
    for (const char* req : bad) {
        INFO(req);
        Client c(s.port());
        REQUIRE(c.send(req));
        auto r = c.read_response();
        check_error(r, 400, "bad_request");
        CHECK(r.body.find("Malformed HTTP request") != std::string::npos);
        CHECK(c.closed_within(2500));
    }
    check_still_serving(s.port());
}

TEST_CASE("http server: random garbage and abrupt resets never take the server down") {
    TestServer s(ok_handler, limited());
    std::mt19937 rng(7);
    const std::string pieces[] = {"GET ", "POST ", "/", " HTTP/1.1", "\r\n", "\r\n\r\n", "Content-Length: ", "99999999999999999999",
                                  "Transfer-Encoding: chunked", "ffffffffffffffffff", ":", " ", std::string(1, '\0'), "\xff", "0\r\n"};
    for (int i = 0; i < 200; ++i) {
        Client c(s.port(), 500);
        std::string msg;
        int n = int(rng() % 30);
        for (int k = 0; k < n; ++k) msg += pieces[rng() % std::size(pieces)];
        c.send(msg);
        if (i % 3 == 0) c.reset();
        else if (i % 3 == 1) c.close();
        else c.read_response();
    }
    check_still_serving(s.port());
}
