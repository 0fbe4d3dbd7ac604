// parse_response(): a complete Ollama response -> the canonical response, or an error.
#pragma once

#include "nexus/nexus.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace nexus::ollama {

struct ResponseContext {
    nx_op op = NX_OP_CHAT;
    std::string_view model;          // the upstream model (names it in a 404 hint)
    std::string_view api_key;        // only to mask it out of error messages
    int64_t now_unix_ms = 0;         // `created` when Ollama's timestamp is unusable
    uint64_t id_salt = 0;            // makes the synthesized completion id
    bool embeddings_base64 = false;  // the client asked for encoding_format "base64"
};

// Non-2xx: a classified sdk::UpstreamError (the {"error": "..."} text). 2xx:
//  - chat (/api/chat with stream:false): a canonical chat.completion: synthesized id,
//    created from created_at, content, reasoning_content from `thinking`, tool calls with
//    synthesized ids and JSON-string arguments, finish_reason (tool_calls when there are
//    tool calls; done_reason otherwise, with `native_finish_reason` when it differs), usage
//    from prompt_eval_count / eval_count;
//  - embeddings (/api/embed): {object:"list", data:[{object:"embedding", index, embedding}],
//    model, usage:{prompt_tokens, total_tokens}}, base64 vectors when asked;
//  - models (/api/tags): {object:"list", data:[{id:name, object:"model", created from
//    modified_at, owned_by:"ollama"}]}.
// A 2xx body with `error` is classified; one of the wrong shape is a PROTOCOL error.
std::string parse_upstream_response(const ResponseContext& ctx, int status, const sdk::HeaderView& headers,
                                    std::string_view body);

// True when a canonical embeddings request asks for base64 vectors.
bool wants_base64(std::string_view canonical_embeddings_request);

}  // namespace nexus::ollama
