// Value syntaxes of the config file: durations, sizes, listen addresses, URLs.
// Parsers return nullopt on anything they do not fully understand; callers report it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nexus::config {

// "300s", "150ms", "2m", "1h", or digits alone meaning seconds.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);
// The largest unit that divides exactly: "2m", "1500ms", "0s".
std::string format_duration(std::chrono::milliseconds d);

// Digits alone (bytes) or digits + unit: B, KB, MB, GB, TB (powers of 1000) and
// KiB, MiB, GiB, TiB (powers of 1024); units are case-insensitive, one space allowed.
std::optional<size_t> parse_size(std::string_view text);
// "8MiB", "512KiB", or the plain number of bytes.
std::string format_size(size_t bytes);

struct ListenAddress {
    std::string host;  // without brackets for IPv6
    uint16_t port = 0;
};
// "host:port", "[v6]:port", ":port" (all interfaces, 0.0.0.0). Port 0 = any free port.
std::optional<ListenAddress> parse_listen(std::string_view text);
std::string format_listen(const std::string& host, uint16_t port);

// Scheme http or https, "://", a host (name, IPv4 or [IPv6]) and an optional numeric port.
bool is_http_url(std::string_view text);

// "redis://user:secret@host" -> "redis://user:****@host"; other text is returned unchanged.
std::string mask_url_password(std::string_view text);

}  // namespace nexus::config
