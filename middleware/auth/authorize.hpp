// The auth decision for one request, without the SDK: which key (if any) the client
// presented, and whether that key may use the requested model.
#pragma once

#include "key_table.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace nexus::auth {

struct Decision {
    const VirtualKey* key = nullptr;  // set when allowed
    int status = 0;                   // 0: allowed; else 401 or 403
    std::string error_type;           // authentication_error | permission_error
    std::string message;              // never names or echoes the presented key
};

Decision authorize(const KeyTable& table, const std::vector<std::string_view>& presented, std::string_view model);

}  // namespace nexus::auth
