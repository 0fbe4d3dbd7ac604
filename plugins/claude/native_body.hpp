// Same-wire passthrough (nexus.h v1.1): an Anthropic client's own request body, sent on with
// only the model changed.
#pragma once

#include <string>
#include <string_view>

namespace nexus::claude {

// `body` with the value of its top-level "model" member replaced by `model` and every other
// byte left as the client sent it (thinking blocks and their signatures, cache_control,
// fields Nexus does not know, even whitespace and escapes). "model" is inserted first when
// the body has none; an empty `model` leaves the body as it is. Throws sdk::Error(NX_ERR_INVALID) when `body` is not one JSON object.
std::string replace_model(std::string_view body, std::string_view model);

}  // namespace nexus::claude
