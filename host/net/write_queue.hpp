// The bytes queued for a connection's socket: segments gathered into one writev per flush.
// Internal to nexus_net (includes Asio buffer types).
#pragma once

#include <boost/asio/buffer.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nexus::net::detail {

struct OutSegment {
    std::string owned;          // bytes the segment owns (a body, a stream chunk)
    std::string_view borrowed;  // or bytes that outlive the write (static text, the head buffer)
    bool is_owned = false;
    uint8_t prefix_len = 0;     // chunk-size line in front of the bytes
    bool crlf_after = false;    // chunk trailer
    char prefix[20];

    static OutSegment view(std::string_view v) {
        OutSegment s;
        s.borrowed = v;
        return s;
    }
    static OutSegment own(std::string&& data) {
        OutSegment s;
        s.owned = std::move(data);
        s.is_owned = true;
        return s;
    }
    // A chunk of chunked transfer coding: "<hex size>\r\n<data>\r\n".
    static OutSegment chunk(std::string&& data) {
        OutSegment s = own(std::move(data));
        static constexpr char kHex[] = "0123456789abcdef";
        char rev[16];
        int n = 0;
        for (size_t v = s.owned.size(); v; v >>= 4) rev[n++] = kHex[v & 0xF];
        if (n == 0) rev[n++] = '0';
        for (int i = 0; i < n; ++i) s.prefix[i] = rev[n - 1 - i];
        s.prefix[n] = '\r';
        s.prefix[n + 1] = '\n';
        s.prefix_len = uint8_t(n + 2);
        s.crlf_after = true;
        return s;
    }
};

// A cheap-to-copy view of a buffer vector, so that async_write does not copy the vector.
struct BufferSpan {
    const boost::asio::const_buffer* first;
    const boost::asio::const_buffer* last;
    const boost::asio::const_buffer* begin() const { return first; }
    const boost::asio::const_buffer* end() const { return last; }
};

// Fills `out` with the buffers of `segs`; the segments must not move until the write ends.
inline void gather(const std::vector<OutSegment>& segs, std::vector<boost::asio::const_buffer>& out) {
    static constexpr char kCrlf[] = "\r\n";
    out.clear();
    for (const auto& s : segs) {
        if (s.prefix_len) out.emplace_back(s.prefix, s.prefix_len);
        std::string_view body = s.is_owned ? std::string_view(s.owned) : s.borrowed;
        if (!body.empty()) out.emplace_back(body.data(), body.size());
        if (s.crlf_after) out.emplace_back(kCrlf, 2);
    }
}

}  // namespace nexus::net::detail
