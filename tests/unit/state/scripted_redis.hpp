// A fake Redis on a loopback port whose behaviour each test scripts: for the timing and
// protocol-failure paths a real server cannot be made to take on cue.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

namespace nexus::state::test {

// One accepted connection, blocking I/O.
class ScriptedPeer {
public:
    explicit ScriptedPeer(int fd) : fd_(fd) {}
    // Reads until `text` has arrived (after what earlier calls consumed). False on EOF/timeout.
    bool expect(const std::string& text, std::chrono::milliseconds limit = std::chrono::milliseconds(5000));
    void send(const std::string& bytes);
    // Sends one byte at a time, `gap` apart.
    void trickle(const std::string& bytes, std::chrono::milliseconds gap);

private:
    int fd_;
    std::string buffered_;
};

class ScriptedRedis {
public:
    // `script` runs for each accepted connection, on the server's thread, one at a time.
    explicit ScriptedRedis(std::function<void(ScriptedPeer&)> script);
    ~ScriptedRedis();
    std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }
    int connections() const { return accepted_.load(); }

private:
    int listen_fd_ = -1;
    uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> accepted_{0};
    std::thread thread_;
};

}  // namespace nexus::state::test
