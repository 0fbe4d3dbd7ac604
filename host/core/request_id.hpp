// Request ids: the client's `x-request-id` when it is sane, otherwise `req_` + 24 hex digits.
#pragma once

#include "net/http_types.hpp"

#include <string>

namespace nexus::core {

std::string make_request_id(const net::HeaderList& headers);

}  // namespace nexus::core
