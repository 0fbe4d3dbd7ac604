// parse_response(): a complete upstream response -> the canonical response, or an error.
#pragma once

#include "nexus/nexus.hpp"

#include <cstdint>
#include <string_view>

namespace nexus::openai {

// For a 2xx status, validates the body's shape (chat: an object with `choices`; embeddings
// and models: an object with `data`) and returns it unchanged: OpenAI's responses already
// are canonical. Throws sdk::UpstreamError for a non-2xx status (classified), and for a 2xx
// body that is not JSON or has the wrong shape (PROTOCOL) or carries an `error` member
// (classified by its type, else PROTOCOL).
// `usage`, when given, receives the token counts of a chat response (-1 where absent).
struct Usage {
    int64_t prompt = -1, completion = -1, cached = -1;
};
std::string_view parse_upstream_response(nx_op op, int status, const sdk::HeaderView& headers, std::string_view body,
                                         std::string_view api_key, int64_t now_unix_ms, Usage* usage = nullptr);

}  // namespace nexus::openai
