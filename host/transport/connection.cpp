#include "transport/connection.hpp"

#include <cerrno>
#include <sys/socket.h>

namespace nexus::net::client {

Connection::Connection(boost::asio::io_context& ioc, boost::asio::ssl::context* tls) : idle_timer(ioc) {
    if (tls) tls_.emplace(ioc, *tls);
    else plain_.emplace(ioc);
    // Beast reads into whatever room the buffer has, 512 bytes when it has none: a typical
    // response (head and a small JSON body) would take two reads, and an event-loop turn each.
    buffer.reserve(16 * 1024);
}

void Connection::close() {
    boost::system::error_code ignored;
    socket().close(ignored);
}

bool Connection::peer_gone() {
    if (obviously_gone()) return true;
    char c;
    ssize_t n = ::recv(socket().native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0) return true;
    if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
    // Plain HTTP: bytes before a request are garbage. TLS: could be a session ticket.
    return !is_tls();
}

}  // namespace nexus::net::client
