// Serialises the status line and header block of a response (no Asio/Beast: plain bytes).
#pragma once

#include "net/http_types.hpp"

#include <cstddef>
#include <string>

namespace nexus::net {

enum class BodyFraming {
    content_length,  // Content-Length: n
    chunked,         // Transfer-Encoding: chunked
    until_close,     // HTTP/1.0 stream: the body ends when the connection closes
    none,            // 204/304: no body and no length
};

struct HeadSpec {
    int status = 200;
    BodyFraming framing = BodyFraming::content_length;
    size_t content_length = 0;
    bool keep_alive = true;
    bool http10 = false;  // a 1.0 client needs an explicit "Connection: keep-alive"
};

// Appends the head to `out`. Headers the server owns (Content-Length, Transfer-Encoding,
// Connection, Keep-Alive) are taken from `spec`, not from `headers`; a header whose name is
// not a token or whose value holds CR, LF or NUL is dropped (it would split the response).
void append_response_head(std::string& out, const HeadSpec& spec, const HeaderList& headers);

// True when the handler put "Connection: close" in its headers.
bool headers_ask_close(const HeaderList& headers);

// A status a response may carry (200..599; 1xx are interim and not the handler's to send).
inline bool valid_final_status(int status) { return status >= 200 && status <= 599; }

// Statuses whose responses never have a body.
inline bool status_has_no_body(int status) { return status == 204 || status == 304; }

const char* reason_phrase(int status);

}  // namespace nexus::net
