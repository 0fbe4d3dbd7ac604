// A loopback HTTP server for client tests: each accepted connection runs a script (in its
// own thread, on plain blocking POSIX sockets) that reads requests and writes exact bytes,
// so every fault the client must survive is reproducible.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace nexus::test {

// A one-shot flag that one thread raises and another waits for (with a timeout).
class Signal {
public:
    void raise();
    bool wait(std::chrono::milliseconds timeout);
    bool raised();

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool raised_ = false;
};

class ServerConn {
public:
    ServerConn(int fd, int index, const std::atomic<bool>& stopping) : fd_(fd), index_(index), stopping_(stopping) {}
    int index() const { return index_; }
    int fd() const { return fd_; }  // for scripts that speak TLS on it themselves  // 0 for the first accepted connection
    // One whole request (head + Content-Length body); nullopt on EOF, error or timeout.
    std::optional<std::string> read_request(std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));
    bool write(std::string_view bytes);
    // Sleeps, waking early if the server stops.
    void stall(std::chrono::milliseconds d);
    // True when the peer closed the connection (EOF or reset) within the timeout.
    bool wait_for_close(std::chrono::milliseconds timeout);
    void close();
    void reset();  // SO_LINGER 0 then close: the peer sees a TCP RST

private:
    int fd_;
    int index_;
    const std::atomic<bool>& stopping_;
    std::string pending_;
};

class ScriptedServer {
public:
    using Script = std::function<void(ServerConn&)>;
    // backlog < 0: listen but never accept (for connect timeouts).
    explicit ScriptedServer(Script script, int backlog = 16);
    ~ScriptedServer();
    ScriptedServer(const ScriptedServer&) = delete;
    ScriptedServer& operator=(const ScriptedServer&) = delete;

    uint16_t port() const { return port_; }
    std::string url(const std::string& path = "/") const;
    int accepts() const { return accepts_.load(); }
    void stop();

private:
    void accept_loop();

    Script script_;
    int listen_fd_ = -1;
    uint16_t port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> accepts_{0};
    std::thread acceptor_;
    std::mutex mutex_;
    std::vector<std::thread> workers_;
    std::vector<int> conn_fds_;
};

// A port on 127.0.0.1 where nothing listens (bound once, then closed).
uint16_t unused_port();

}  // namespace nexus::test
