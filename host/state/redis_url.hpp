// redis://[[user]:password@]host[:port][/db] -> where to connect and how to log in.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nexus::state {

struct RedisAddress {
    std::string host;      // without IPv6 brackets
    uint16_t port = 6379;
    std::string user;      // empty: the default user (AUTH password)
    std::string password;  // SECRET; empty: no AUTH
    int64_t db = 0;

    // "127.0.0.1:6379" or "[::1]:6379": how errors and logs name the server.
    std::string endpoint() const;
};

// Throws std::invalid_argument naming what is wrong; the message shows the URL with the
// password masked. rediss:// (TLS) is refused with a message saying so.
RedisAddress parse_redis_url(std::string_view url);

// The URL with any password replaced by "***".
std::string mask_redis_url(std::string_view url);

}  // namespace nexus::state
