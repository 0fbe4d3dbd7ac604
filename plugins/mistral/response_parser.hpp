// parse_response(): a complete Mistral response -> the canonical response, or an error.
#pragma once

#include "nexus/nexus.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace nexus::mistral {

struct ResponseContext {
    nx_op op = NX_OP_CHAT;
    std::string_view api_key;        // only to mask it out of error messages
    int64_t now_unix_ms = 0;         // for Retry-After dates and a missing `created`
    bool embeddings_base64 = false;  // the client asked for encoding_format "base64"
};

// Non-2xx: a classified sdk::UpstreamError. 2xx:
//  - chat: Mistral's chat.completion with content chunks flattened to a string (thinking
//    text in `reasoning_content`), tool call arguments as JSON strings, finish_reason
//    model_length -> length (with `native_finish_reason`), and finish_reason "error" thrown
//    as a SERVER error; tool call ids are kept as Mistral gave them;
//  - embeddings: OpenAI's list shape (Mistral's `id` dropped), vectors base64-encoded when
//    asked;
//  - models: passed through.
// A 2xx body that is not JSON or lacks `choices` / `data` is a PROTOCOL error; one that is
// an error object is classified.
std::string parse_upstream_response(const ResponseContext& ctx, int status, const sdk::HeaderView& headers,
                                    std::string_view body);

// True when a canonical embeddings request asks for base64 vectors.
bool wants_base64(std::string_view canonical_embeddings_request);

}  // namespace nexus::mistral
