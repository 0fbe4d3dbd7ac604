// A provider-independent prompt token estimate (about 4 characters per token, plus per-message
// and per-image overheads). Used for /v1/messages/count_tokens, context-window checks and
// rate-limit reservations before the real usage is known.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>

namespace nexus::core {

int64_t estimate_prompt_tokens(const rapidjson::Value& canonical_request);

}  // namespace nexus::core
