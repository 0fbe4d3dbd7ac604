// The settings of a `ratelimit` chain entry:
//   {rpm: N, tpm: N, key: virtual_key|model|route|client_ip, window: 60s,
//    on_store_error: fail_open|fail_closed}
// rpm and tpm are the number of requests and of tokens allowed per window (a minute unless
// `window` says otherwise); at least one of them is required.
#pragma once

#include <cstdint>
#include <string_view>

namespace nexus::ratelimit {

enum class Dimension { virtual_key, model, route, client_ip };

struct Limits {
    int64_t rpm = 0;  // 0: requests are not limited
    int64_t tpm = 0;  // 0: tokens are not limited
    Dimension key = Dimension::virtual_key;
    uint64_t window_ms = 60'000;  // whole seconds, at least 1s
    bool fail_open = false;       // on_store_error: what to do when the key-value store fails
};

// Throws nexus::sdk::Error(NX_ERR_INVALID, "ratelimit: ...") naming the field.
Limits read_limits(std::string_view config_json);

}  // namespace nexus::ratelimit
