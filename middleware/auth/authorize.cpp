#include "authorize.hpp"

namespace nexus::auth {

Decision authorize(const KeyTable& table, const std::vector<std::string_view>& presented, std::string_view model) {
    Decision d;
    for (std::string_view candidate : presented)
        if ((d.key = table.find(candidate))) break;
    if (!d.key) {
        // One message for missing, malformed and unknown keys: it must not help guessing.
        d.status = 401;
        d.error_type = "authentication_error";
        d.message = "invalid or missing API key";
        return d;
    }
    if (!model_allowed(*d.key, model)) {
        d.status = 403;
        d.error_type = "permission_error";
        d.message = "key '" + d.key->id + "' may not use model '" + std::string(model) + "'";
        d.key = nullptr;
    }
    return d;
}

}  // namespace nexus::auth
