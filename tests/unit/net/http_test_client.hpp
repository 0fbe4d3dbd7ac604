// Blocking POSIX-socket client and a server fixture for the HTTP server tests.
#pragma once

#include "net/http_server.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <strings.h>
#include <thread>
#include <vector>

namespace nexus::net::test {

struct Response {
    int status = 0;
    std::string reason;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::vector<std::string> chunks;  // for chunked responses, in arrival order
    bool complete = false;            // a whole response was parsed

    std::string header(std::string_view name) const {
        for (const auto& [k, v] : headers)
            if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
        return {};
    }
    bool has_header(std::string_view name) const {
        for (const auto& [k, v] : headers)
            if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return true;
        return false;
    }
};

class Client {
public:
    explicit Client(uint16_t port, int timeout_ms = 3000) {
        // No Catch2 assertions in here: some tests use clients from several threads.
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd_ < 0) return;
        timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    }
    ~Client() { close(); }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    bool connected() const { return connected_; }
    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }
    // Closes with an RST instead of a FIN.
    void reset() {
        linger l{1, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        close();
    }

    bool send(std::string_view s) {
        while (!s.empty()) {
            ssize_t n = ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL);
            if (n <= 0) return false;
            s.remove_prefix(size_t(n));
        }
        return true;
    }

    // Reads more bytes into the buffer; false on EOF, error or timeout.
    bool fill() {
        char tmp[16384];
        ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
        if (n <= 0) {
            eof_ = n == 0;
            return false;
        }
        buf_.append(tmp, size_t(n));
        return true;
    }

    // True when the server closes the connection within `ms` without sending anything.
    bool closed_silently(int ms) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, ms) <= 0) return false;
        char c;
        return ::recv(fd_, &c, 1, 0) <= 0 && buf_.empty();
    }

    // True when the server closes the connection (FIN or RST) within `ms`, whatever it sent.
    bool closed_within(int ms) {
        auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        while (std::chrono::steady_clock::now() < end) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0) continue;
            char tmp[4096];
            ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
            if (n <= 0) return true;
            buf_.append(tmp, size_t(n));
        }
        return false;
    }

    // Reads the status line and headers; the body is left in the buffer.
    bool read_head(Response& r) {
        size_t end;
        while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
            if (!fill()) return false;
        std::string head = buf_.substr(0, end);
        buf_.erase(0, end + 4);
        size_t line_end = head.find("\r\n");
        std::string status_line = head.substr(0, line_end);
        if (status_line.rfind("HTTP/1.1 ", 0) != 0) return false;
        r.status = std::stoi(status_line.substr(9, 3));
        r.reason = status_line.size() > 13 ? status_line.substr(13) : "";
        size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
        while (pos < head.size()) {
            size_t e = head.find("\r\n", pos);
            if (e == std::string::npos) e = head.size();
            std::string line = head.substr(pos, e - pos);
            size_t colon = line.find(':');
            std::string v = line.substr(colon + 1);
            while (!v.empty() && v.front() == ' ') v.erase(0, 1);
            r.headers.emplace_back(line.substr(0, colon), v);
            pos = e + 2;
        }
        return true;
    }

    enum class Chunk { data, last, error };
    // Reads one chunk of a chunked body (the last chunk's trailing CRLF included).
    Chunk read_chunk(std::string& out) {
        size_t e;
        while ((e = buf_.find("\r\n")) == std::string::npos)
            if (!fill()) return Chunk::error;
        size_t size = std::stoul(buf_.substr(0, e), nullptr, 16);
        buf_.erase(0, e + 2);
        while (buf_.size() < size + 2)
            if (!fill()) return Chunk::error;
        out = buf_.substr(0, size);
        buf_.erase(0, size + 2);
        return size > 0 ? Chunk::data : Chunk::last;
    }

    // Reads one whole response (Content-Length, chunked, or until close).
    Response read_response(bool head_request = false) {
        Response r;
        if (!read_head(r)) return r;
        if (head_request || r.status == 204 || r.status == 304 || r.status < 200) {
            r.complete = true;
            return r;
        }
        if (r.header("Transfer-Encoding") == "chunked") {
            std::string c;
            Chunk k;
            while ((k = read_chunk(c)) == Chunk::data) {
                r.chunks.push_back(c);
                r.body += c;
            }
            r.complete = k == Chunk::last;
            return r;
        }
        if (r.has_header("Content-Length")) {
            size_t len = std::stoul(r.header("Content-Length"));
            while (buf_.size() < len)
                if (!fill()) return r;
            r.body = buf_.substr(0, len);
            buf_.erase(0, len);
            r.complete = true;
            return r;
        }
        while (fill()) {
        }
        r.body = std::move(buf_);
        buf_.clear();
        r.complete = eof_;
        return r;
    }

    std::string& buffer() { return buf_; }
    int fd() const { return fd_; }

private:
    int fd_ = -1;
    bool connected_ = false;
    bool eof_ = false;
    std::string buf_;
};

// Starts a server on 127.0.0.1:0 with short timeouts; shuts it down on destruction.
struct TestServer {
    explicit TestServer(Handler h, ServerOptions o = fast_options()) : server(std::move(o), std::move(h)) {
        server.start();
    }
    ~TestServer() {
        server.shutdown(std::chrono::milliseconds(0));
        server.wait();
    }
    static ServerOptions fast_options() {
        ServerOptions o;
        o.host = "127.0.0.1";
        o.port = 0;
        o.threads = 1;
        o.read_timeout = std::chrono::milliseconds(1000);
        o.idle_timeout = std::chrono::milliseconds(1000);
        o.write_timeout = std::chrono::milliseconds(1000);
        return o;
    }
    uint16_t port() const { return server.port(); }
    HttpServer server;
};

inline std::string get(std::string_view target, std::string_view extra_headers = "") {
    return "GET " + std::string(target) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra_headers) + "\r\n";
}

inline std::string post(std::string_view target, std::string_view body, std::string_view extra_headers = "") {
    return "POST " + std::string(target) + " HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n" + std::string(extra_headers) + "\r\n" + std::string(body);
}

// Threads started by handlers; the test joins them (under a lock, as handlers run on loop threads).
class Workers {
public:
    ~Workers() { join(); }
    template <class F>
    void spawn(F&& f) {
        std::lock_guard lock(m_);
        threads_.emplace_back(std::forward<F>(f));
    }
    void join() {
        std::vector<std::thread> all;
        {
            std::lock_guard lock(m_);
            all.swap(threads_);
        }
        for (auto& t : all) t.join();
    }

private:
    std::mutex m_;
    std::vector<std::thread> threads_;
};

// Polls `cond` until it holds or `ms` pass.
template <class F>
bool eventually(F cond, int ms = 2000) {
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < end) {
        if (cond()) return true;
        ::usleep(2000);
    }
    return cond();
}

}  // namespace nexus::net::test
