// A real redis-server for the tests, started as a child process on a free loopback port
// (no persistence) and killed at the end. When redis-server is not installed the
// constructor throws with a message that says how to get it: the tests fail, never skip.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace nexus::state::test {

class RedisServer {
public:
    explicit RedisServer(std::vector<std::string> extra_args = {});
    ~RedisServer();
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    uint16_t port() const { return port_; }
    // redis://[:password@]127.0.0.1:port[/db]
    std::string url(const std::string& password = "", int db = 0) const;

    void kill();     // SIGKILL: gone at once, like a crash
    void start();    // again, on the same port
    void pause();    // SIGSTOP: connected but silent
    void resume();   // SIGCONT

private:
    void wait_ready();

    std::vector<std::string> extra_args_;
    uint16_t port_ = 0;
    pid_t pid_ = -1;
    std::string dir_;
};

}  // namespace nexus::state::test
