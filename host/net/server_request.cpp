#include "net/http_server.hpp"

namespace nexus::net {

std::string_view ServerRequest::path() const {
    std::string_view t = target;
    return t.substr(0, t.find('?'));
}

}  // namespace nexus::net
