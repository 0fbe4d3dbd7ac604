// Token accounting for `tpm`: a reservation made before the call from an estimate of the
// prompt, settled with the real usage once the request is complete.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nexus::ratelimit {

// About 4 characters per token over the request's text parts (at least 1).
int64_t estimate_tokens(uint64_t text_bytes);

struct Outcome {
    bool cache_hit = false;       // answered without an upstream call
    uint32_t attempts = 0;        // upstream attempts made
    int64_t prompt_tokens = -1;   // -1: unknown
    int64_t completion_tokens = -1;
};

// What to add to the token counter at completion: the real usage minus the reservation.
// A request that never reached an upstream gives its reservation back; one whose usage is
// unknown keeps it (the estimate is the best figure there is).
int64_t settle_delta(int64_t reserved, const Outcome& o);

// The reservation travels with the request as an attr value "<tokens> <counter key>".
std::string reservation_attr(int64_t tokens, std::string_view key);
struct Reservation {
    int64_t tokens = 0;
    std::string key;
};
std::optional<Reservation> parse_reservation(std::string_view attr);

}  // namespace nexus::ratelimit
