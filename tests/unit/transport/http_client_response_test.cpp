// Response framing: Content-Length, chunked (streamed piece by piece), read-until-close,
// HEAD, interim 1xx, malformed responses, and what the request looks like on the wire.
#include "client_harness.hpp"
#include "scripted_server.hpp"

#include <catch2/catch.hpp>

using namespace nexus;
using namespace nexus::test;
using namespace std::chrono_literals;
using net::ClientError;

TEST_CASE("content-length body arrives whole and the connection is pooled", "[transport]") {
    ScriptedServer server([](ServerConn& c) {
        while (c.read_request())
            c.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world");
    });
    Harness h;
    auto out = h.run(Harness::request(server.url("/v1/x")));
    CHECK(out.error == ClientError::none);
    CHECK(out.status == 200);
    CHECK(out.header_calls == 1);
    CHECK(out.done_calls == 1);
    CHECK(out.body() == "hello world");
    CHECK(net::find_header(out.headers, "content-type") == std::optional<std::string_view>("text/plain"));
    CHECK(h.client.open_connections() == 1);
    CHECK(h.client.idle_connections() == 1);
}

TEST_CASE("chunked body is streamed: the first piece arrives before the server sends the rest", "[transport]") {
    Signal first_piece_seen;
    std::atomic<bool> waited_ok{false};
    ScriptedServer server([&](ServerConn& c) {
        if (!c.read_request()) return;
        c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n");
        waited_ok = first_piece_seen.wait(2000ms);  // only the client's on_data raises it
        c.write("6\r\nsecond\r\n");
        c.stall(30ms);
        c.write("5\r\nthird\r\n0\r\n\r\n");
        c.read_request();
    });
    Harness h;
    auto out = h.run(Harness::request(server.url()), [&](std::string_view piece, Outcome&) {
        if (piece.find("first") != std::string_view::npos) first_piece_seen.raise();
        return true;
    });
    CHECK(out.error == ClientError::none);
    CHECK(waited_ok.load());
    CHECK(out.body() == "firstsecondthird");
    REQUIRE(out.pieces.size() >= 3);
    CHECK(out.pieces.front() == "first");
    CHECK(h.client.idle_connections() == 1);
}

TEST_CASE("body without length runs until the server closes; that connection is not pooled", "[transport]") {
    ScriptedServer server([](ServerConn& c) {
        if (!c.read_request()) return;
        c.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\npart one, ");
        c.stall(30ms);
        c.write("part two");
        c.close();
    });
    Harness h;
    auto out = h.run(Harness::request(server.url()));
    CHECK(out.error == ClientError::none);
    CHECK(out.body() == "part one, part two");
    CHECK(out.pieces.size() >= 2);
    CHECK(h.client.open_connections() == 0);
    CHECK(h.client.idle_connections() == 0);
}

TEST_CASE("Connection: close with a Content-Length body is not pooled", "[transport]") {
    ScriptedServer server([](ServerConn& c) {
        if (c.read_request()) c.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
    });
    Harness h;
    auto out = h.run(Harness::request(server.url()));
    CHECK(out.error == ClientError::none);
    CHECK(out.body() == "ok");
    CHECK(h.client.open_connections() == 0);
}

TEST_CASE("the request carries method, target, Host, Content-Length and the given headers only", "[transport]") {
    std::string seen;
    ScriptedServer server([&](ServerConn& c) {
        if (auto req = c.read_request()) {
            seen = *req;
            c.write("HTTP/1.1 204 No Content\r\n\r\n");
        }
    });
    Harness h;
    auto req = Harness::request(server.url("/v1/chat?a=b"), "POST");
    req.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer k"}, {"Host", "evil"}};
    req.body = R"({"x":1})";
    auto out = h.run(req);
    CHECK(out.error == ClientError::none);
    CHECK(out.status == 204);
    CHECK(out.pieces.empty());
    std::string port = std::to_string(server.port());
    CHECK(seen.rfind("POST /v1/chat?a=b HTTP/1.1\r\n", 0) == 0);
    CHECK(seen.find("\r\nHost: 127.0.0.1:" + port + "\r\n") != std::string::npos);
    CHECK(seen.find("evil") == std::string::npos);
    CHECK(seen.find("\r\nContent-Type: application/json\r\n") != std::string::npos);
    CHECK(seen.find("\r\nAuthorization: Bearer k\r\n") != std::string::npos);
    CHECK(seen.find("\r\nContent-Length: 7\r\n") != std::string::npos);
    CHECK(seen.find("ccept-Encoding") == std::string::npos);
    CHECK(seen.substr(seen.size() - 7) == R"({"x":1})");
    CHECK(h.client.idle_connections() == 1);
}

TEST_CASE("a header with CR/LF in its value is refused before anything is sent", "[transport]") {
    ScriptedServer server([](ServerConn& c) { c.read_request(); });
    Harness h;
    auto req = Harness::request(server.url());
    req.headers = {{"X-Evil", "a\r\nInjected: yes"}};
    auto out = h.run(req);
    CHECK(out.error == ClientError::protocol);
    CHECK(out.detail.find("X-Evil") != std::string::npos);
    CHECK(out.detail.find("Injected") == std::string::npos);
    CHECK(server.accepts() == 0);
}

TEST_CASE("HEAD responses have no body even with a Content-Length", "[transport]") {
    ScriptedServer server([](ServerConn& c) {
        while (c.read_request()) c.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
    });
    Harness h;
    auto out = h.run(Harness::request(server.url(), "HEAD"));
    CHECK(out.error == ClientError::none);
    CHECK(out.status == 200);
    CHECK(out.pieces.empty());
    CHECK(h.client.idle_connections() == 1);
}

TEST_CASE("interim 1xx responses are skipped", "[transport]") {
    ScriptedServer server([](ServerConn& c) {
        if (c.read_request())
            c.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                    "HTTP/1.1 201 Created\r\nContent-Length: 3\r\n\r\nnew");
    });
    Harness h;
    auto out = h.run(Harness::request(server.url()));
    CHECK(out.error == ClientError::none);
    CHECK(out.status == 201);
    CHECK(out.header_calls == 1);
    CHECK(out.body() == "new");
}

TEST_CASE("a malformed response is a protocol error and closes the connection", "[transport]") {
    ScriptedServer server([](ServerConn& c) {
        if (c.read_request()) c.write("HELLO THERE\r\n\r\n");
        c.wait_for_close(2000ms);
    });
    Harness h;
    auto out = h.run(Harness::request(server.url()));
    CHECK(out.error == ClientError::protocol);
    CHECK(out.header_calls == 0);
    CHECK(out.done_calls == 1);
    CHECK(h.client.open_connections() == 0);
}

TEST_CASE("a bad URL fails without touching the network", "[transport]") {
    Harness h;
    auto out = h.run(Harness::request("ftp://example.com/x"));
    CHECK(out.error == ClientError::bad_url);
    CHECK(out.done_calls == 1);
    CHECK(h.client.open_connections() == 0);
}

TEST_CASE("a bad URL's query string (which may hold a key) stays out of the error", "[transport]") {
    Harness h;
    auto out = h.run(Harness::request("gopher://api.example.com/v1?key=SECRET"));
    CHECK(out.error == ClientError::bad_url);
    CHECK(out.detail.find("gopher://api.example.com/v1") != std::string::npos);
    CHECK(out.detail.find("SECRET") == std::string::npos);
}

TEST_CASE("no callback runs inside send()", "[transport]") {
    Harness h;
    Outcome out;
    h.start(Harness::request("not a url"), out);
    CHECK(out.done_calls == 0);
    h.run_until([&] { return out.done_calls > 0; });
    CHECK(out.error == ClientError::bad_url);
}
