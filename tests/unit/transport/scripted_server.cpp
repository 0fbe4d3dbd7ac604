#include "scripted_server.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

namespace nexus::test {

using namespace std::chrono;

void Signal::raise() {
    std::lock_guard lock(mutex_);
    raised_ = true;
    cv_.notify_all();
}

bool Signal::wait(milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return raised_; });
}

bool Signal::raised() {
    std::lock_guard lock(mutex_);
    return raised_;
}

namespace {

size_t content_length(std::string_view head) {
    const std::string_view key = "\r\ncontent-length:";
    for (size_t i = 0; i + key.size() <= head.size(); ++i) {
        if (strncasecmp(head.data() + i, key.data(), key.size()) == 0)
            return std::stoul(std::string(head.substr(i + key.size(), 20)));
    }
    return 0;
}

}  // namespace

std::optional<std::string> ServerConn::read_request(milliseconds timeout) {
    auto deadline = steady_clock::now() + timeout;
    for (;;) {
        auto end = pending_.find("\r\n\r\n");
        if (end != std::string::npos) {
            size_t total = end + 4 + content_length(std::string_view(pending_).substr(0, end + 2));
            if (pending_.size() >= total) {
                std::string request = pending_.substr(0, total);
                pending_.erase(0, total);
                return request;
            }
        }
        if (stopping_ || steady_clock::now() >= deadline) return std::nullopt;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 20) <= 0) continue;
        char buf[8192];
        ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) return std::nullopt;
        pending_.append(buf, size_t(n));
    }
}

bool ServerConn::write(std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n <= 0) return false;
        bytes.remove_prefix(size_t(n));
    }
    return true;
}

void ServerConn::stall(milliseconds d) {
    auto deadline = steady_clock::now() + d;
    while (!stopping_ && steady_clock::now() < deadline) std::this_thread::sleep_for(milliseconds(5));
}

bool ServerConn::wait_for_close(milliseconds timeout) {
    auto deadline = steady_clock::now() + timeout;
    while (!stopping_ && steady_clock::now() < deadline) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 20) <= 0) continue;
        char buf[4096];
        ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) return true;
    }
    return false;
}

void ServerConn::close() { ::shutdown(fd_, SHUT_RDWR); }

void ServerConn::reset() {
    // The fd stays owned (and later closed) by the server; on Linux a connect() with
    // AF_UNSPEC disconnects an established TCP socket with a RST, as a linger-0 close would.
    linger l{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    sockaddr_in none{};
    none.sin_family = AF_UNSPEC;
    ::connect(fd_, reinterpret_cast<sockaddr*>(&none), sizeof none);
}

ScriptedServer::ScriptedServer(Script script, int backlog) : script_(std::move(script)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, backlog < 0 ? 0 : backlog) != 0)
        throw std::runtime_error(std::string("test server: ") + std::strerror(errno));
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    if (backlog >= 0) acceptor_ = std::thread([this] { accept_loop(); });
}

ScriptedServer::~ScriptedServer() { stop(); }

std::string ScriptedServer::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void ScriptedServer::accept_loop() {
    while (!stopping_) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 20) <= 0) continue;
        int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) continue;
        int index = accepts_++;
        std::lock_guard lock(mutex_);
        conn_fds_.push_back(fd);
        workers_.emplace_back([this, fd, index] {
            ServerConn conn(fd, index, stopping_);
            script_(conn);
        });
    }
}

void ScriptedServer::stop() {
    if (stopping_.exchange(true)) return;
    if (acceptor_.joinable()) acceptor_.join();
    {
        std::lock_guard lock(mutex_);
        for (int fd : conn_fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& w : workers_) w.join();
    for (int fd : conn_fds_) ::close(fd);
    ::close(listen_fd_);
}

uint16_t unused_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

}  // namespace nexus::test
