// Plain HTTP message types shared by the server and the client; no Asio/Beast here.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nexus::net {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive lookup of the first header with that name.
std::optional<std::string_view> find_header(const HeaderList& h, std::string_view name);

struct Url {
    std::string scheme;  // http | https
    std::string host;
    uint16_t port = 0;
    std::string target;  // path + query, "/" at least
    std::string origin() const;  // scheme://host:port
};
// Parses http(s)://host[:port][/path]; nullopt with a message in *error on failure.
std::optional<Url> parse_url(std::string_view url, std::string* error);

}  // namespace nexus::net
