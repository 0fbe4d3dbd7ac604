// Failures: refused, resets, each timeout, cancellation; each one closes the connection
// (never pooled) and ends with exactly one on_done.
#include "client_harness.hpp"
#include "scripted_server.hpp"

#include <catch2/catch.hpp>

#include <boost/asio/post.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace nexus;
using namespace nexus::test;
using namespace std::chrono;
using namespace std::chrono_literals;
using net::ClientError;

TEST_CASE("connection refused is connect_failed", "[transport][fault]") {
    Harness h;
    auto out = h.run(Harness::request("http://127.0.0.1:" + std::to_string(unused_port()) + "/"));
    CHECK(out.error == ClientError::connect_failed);
    CHECK(out.detail.find("refused") != std::string::npos);
    CHECK(out.header_calls == 0);
    CHECK(h.client.open_connections() == 0);
}

TEST_CASE("an unresolvable host is connect_failed", "[transport][fault]") {
    Harness h;
    auto out = h.run(Harness::request("http://nexus-test.invalid/"));
    CHECK(out.error == ClientError::connect_failed);
    CHECK(out.detail.find("nexus-test.invalid") != std::string::npos);
    CHECK(h.client.open_connections() == 0);
}

TEST_CASE("a server that never accepts is timeout_connect", "[transport][fault]") {
    ScriptedServer server(nullptr, -1);  // listens with a zero backlog, never accepts
    // Fill the accept queue so the kernel drops the client's SYNs.
    std::vector<int> fillers;
    for (int i = 0; i < 4; ++i) {
        int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(server.port());
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        fillers.push_back(fd);
    }
    std::this_thread::sleep_for(50ms);
    Harness h;
    auto req = Harness::request(server.url());
    req.timeouts.connect = 200ms;
    auto began = steady_clock::now();
    auto out = h.run(req);
    CHECK(out.error == ClientError::timeout_connect);
    CHECK(steady_clock::now() - began < 1000ms);
    CHECK(h.client.open_connections() == 0);
    for (int fd : fillers) ::close(fd);
}

TEST_CASE("a reset before the headers is reset", "[transport][fault]") {
    ScriptedServer server([](ServerConn& c) {
        if (c.read_request()) c.reset();
    });
    Harness h;
    auto out = h.run(Harness::request(server.url()));
    CHECK(out.error == ClientError::reset);
    CHECK(out.header_calls == 0);
    CHECK(out.done_calls == 1);
    CHECK(h.client.open_connections() == 0);
}

TEST_CASE("a reset mid-body is reset after the data that did arrive", "[transport][fault]") {
    ScriptedServer server([](ServerConn& c) {
        if (!c.read_request()) return;
        c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nsome of it");
        c.stall(50ms);
        c.reset();
    });
    Harness h;
    auto out = h.run(Harness::request(server.url()));
    CHECK(out.status == 200);
    CHECK(out.body() == "some of it");
    CHECK(out.error == ClientError::reset);
    CHECK(out.done_calls == 1);
    CHECK(h.client.open_connections() == 0);
}

TEST_CASE("a clean close mid-body is reset too", "[transport][fault]") {
    ScriptedServer server([](ServerConn& c) {
        if (!c.read_request()) return;
        c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nhalf\r\n");
        c.stall(30ms);
        c.close();
    });
    Harness h;
    auto out = h.run(Harness::request(server.url()));
    CHECK(out.body() == "half");
    CHECK(out.error == ClientError::reset);
    CHECK(h.client.open_connections() == 0);
}

TEST_CASE("a stall before the first byte is timeout_first_byte", "[transport][fault]") {
    ScriptedServer server([](ServerConn& c) {
        if (c.read_request()) c.wait_for_close(2000ms);
    });
    Harness h;
    auto req = Harness::request(server.url());
    req.timeouts.first_byte = 150ms;
    auto began = steady_clock::now();
    auto out = h.run(req);
    CHECK(out.error == ClientError::timeout_first_byte);
    CHECK(steady_clock::now() - began >= 150ms);
    CHECK(steady_clock::now() - began < 1000ms);
    CHECK(out.header_calls == 0);
    CHECK(h.client.open_connections() == 0);
}

TEST_CASE("a stall mid-body is timeout_idle", "[transport][fault]") {
    ScriptedServer server([](ServerConn& c) {
        if (!c.read_request()) return;
        c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\none\r\n");
        c.stall(60ms);
        c.write("3\r\ntwo\r\n");  // within the idle limit
        c.wait_for_close(2000ms);
    });
    Harness h;
    auto req = Harness::request(server.url());
    req.timeouts.idle = 150ms;
    auto out = h.run(req);
    CHECK(out.error == ClientError::timeout_idle);
    CHECK(out.body() == "onetwo");
    CHECK(h.client.open_connections() == 0);
}

namespace {
// Answers with a chunked body that trickles one byte every 30 ms for three seconds.
void trickle(ServerConn& c) {
    if (!c.read_request()) return;
    if (!c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")) return;
    for (int i = 0; i < 100; ++i) {
        if (!c.write("1\r\nx\r\n")) return;
        c.stall(30ms);
    }
}
}  // namespace

TEST_CASE("a trickling body hits the total timeout", "[transport][fault]") {
    ScriptedServer server(trickle);
    Harness h;
    auto req = Harness::request(server.url());
    req.timeouts.idle = 200ms;
    req.timeouts.total = 300ms;
    auto began = steady_clock::now();
    auto out = h.run(req);
    CHECK(out.error == ClientError::timeout_total);
    CHECK(steady_clock::now() - began < 1000ms);
    CHECK(out.pieces.size() >= 3);
    CHECK(h.client.open_connections() == 0);
}

TEST_CASE("the total timeout holds with no other timeout set, and a stalled head hits it too", "[transport][fault]") {
    ScriptedServer server(trickle);
    Harness h;
    auto req = Harness::request(server.url());
    req.timeouts.connect = 0ms;
    req.timeouts.first_byte = 0ms;
    req.timeouts.idle = 0ms;
    req.timeouts.total = 250ms;
    auto began = steady_clock::now();
    auto out = h.run(req);
    CHECK(out.error == ClientError::timeout_total);
    CHECK(steady_clock::now() - began >= 240ms);
    CHECK(steady_clock::now() - began < 1000ms);

    ScriptedServer silent([](ServerConn& c) {
        if (!c.read_request()) return;
        c.stall(600ms);
    });
    auto quiet = Harness::request(silent.url());
    quiet.timeouts.first_byte = 5000ms;  // longer than the total: the total wins
    quiet.timeouts.total = 200ms;
    began = steady_clock::now();
    CHECK(h.run(quiet).error == ClientError::timeout_total);
    CHECK(steady_clock::now() - began < 1000ms);
}

TEST_CASE("cancel mid-stream closes the upstream connection and reports cancelled", "[transport][fault]") {
    Signal server_saw_close;
    ScriptedServer server([&](ServerConn& c) {
        if (!c.read_request()) return;
        c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        if (c.wait_for_close(2000ms)) server_saw_close.raise();
    });
    Harness h;
    Outcome out;
    std::shared_ptr<net::CancelToken> token;
    token = h.start(Harness::request(server.url()), out, [&](std::string_view, Outcome&) {
        token->cancel();
        return true;
    });
    REQUIRE(h.run_until([&] { return out.done_calls > 0; }));
    CHECK(out.error == ClientError::cancelled);
    CHECK(out.body() == "hello");
    CHECK(h.client.open_connections() == 0);
    CHECK(server_saw_close.wait(1000ms));
    token->cancel();  // after done: nothing happens
    h.run_until([] { return true; });
    CHECK(out.done_calls == 1);
}

TEST_CASE("cancel from another thread while waiting for headers", "[transport][fault]") {
    ScriptedServer server([](ServerConn& c) {
        if (c.read_request()) c.wait_for_close(2000ms);
    });
    Harness h;
    Outcome out;
    auto token = h.start(Harness::request(server.url()), out);
    std::thread canceller([&] {
        std::this_thread::sleep_for(50ms);
        token->cancel();
    });
    REQUIRE(h.run_until([&] { return out.done_calls > 0; }));
    canceller.join();
    CHECK(out.error == ClientError::cancelled);
    CHECK(h.client.open_connections() == 0);
}

TEST_CASE("on_data returning false cancels", "[transport][fault]") {
    ScriptedServer server([](ServerConn& c) {
        if (!c.read_request()) return;
        c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        c.wait_for_close(2000ms);
    });
    Harness h;
    auto out = h.run(Harness::request(server.url()), [](std::string_view, Outcome&) { return false; });
    CHECK(out.error == ClientError::cancelled);
    CHECK(out.pieces.size() == 1);
    CHECK_FALSE(out.data_after_done);
    CHECK(h.client.open_connections() == 0);
}

TEST_CASE("a request queued behind a busy pool can be cancelled and times out", "[transport][fault]") {
    ScriptedServer server([](ServerConn& c) {
        if (c.read_request()) c.wait_for_close(2000ms);
    });
    Harness h;
    auto req = Harness::request(server.url());
    req.pool_size = 1;
    Outcome busy, queued, queued_timeout;
    auto busy_token = h.start(req, busy);
    auto queued_token = h.start(req, queued);
    auto short_req = req;
    short_req.timeouts.total = 100ms;
    h.start(short_req, queued_timeout);
    h.run_until([] { return false; }, 30ms);
    queued_token->cancel();
    REQUIRE(h.run_until([&] { return queued.done_calls && queued_timeout.done_calls; }));
    CHECK(queued.error == ClientError::cancelled);
    CHECK(queued_timeout.error == ClientError::timeout_total);
    CHECK(busy.done_calls == 0);
    CHECK(server.accepts() == 1);
    busy_token->cancel();
    REQUIRE(h.run_until([&] { return busy.done_calls > 0; }));
    CHECK(h.client.open_connections() == 0);
}

TEST_CASE("error details never carry request headers or bodies", "[transport][fault]") {
    ScriptedServer server([](ServerConn& c) {
        if (c.read_request()) c.reset();
    });
    Harness h;
    auto req = Harness::request(server.url(), "POST");
    req.headers = {{"Authorization", "Bearer sk-SECRET-KEY"}};
    req.body = R"({"api_key":"sk-SECRET-BODY"})";
    auto out = h.run(req);
    CHECK(out.error == ClientError::reset);
    CHECK(out.detail.find("SECRET") == std::string::npos);
}

TEST_CASE("destroying the client cancels what is in flight", "[transport][fault]") {
    ScriptedServer server([](ServerConn& c) {
        if (c.read_request()) c.wait_for_close(2000ms);
    });
    Outcome out;
    {
        Harness h;
        h.start(Harness::request(server.url()), out);
        h.run_until([&] { return server.accepts() == 1; }, 1000ms);
        h.run_until([] { return false; }, 30ms);
    }
    CHECK(out.done_calls == 1);
    CHECK(out.error == ClientError::cancelled);
}
