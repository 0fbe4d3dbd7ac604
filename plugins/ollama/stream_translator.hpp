// Streaming: Ollama /api/chat NDJSON lines -> canonical chunks.
//
// Ollama streams one JSON object per line (docs/api.md, "Chat Request (Streaming)"):
// {"model","created_at","message":{"role":"assistant","content":"The"},"done":false} ...,
// a tool call arrives whole in one line (arguments as an object), and the last line has
// "done":true with done_reason, prompt_eval_count, eval_count and durations. A failure
// after the 200 is a line {"error":"..."} (the HTTP status stays 200).
#pragma once

#include "nexus/nexus.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace nexus::ollama {

class StreamTranslator {
public:
    using Emit = std::function<void(std::string_view chunk_json)>;

    // `id`: the completion id every chunk carries; `now_unix_s`: `created` when the lines'
    // created_at is unusable; `model`: used when the lines name none.
    StreamTranslator(std::string id, int64_t now_unix_s, std::string model);

    // One NDJSON line. Content / thinking / tool calls become delta chunks (the first one
    // also has role "assistant"); the done:true line becomes a finish chunk and a usage
    // chunk (`choices: []`) and returns NX_STREAM_DONE. Throws sdk::UpstreamError for an
    // {"error"} line (classified) and for a line that is not a JSON object (PROTOCOL).
    nx_stream_result on_line(std::string_view line, const Emit& emit);

    // Upstream EOF: throws sdk::UpstreamError(PROTOCOL) when no done:true line came.
    void finish() const;

    bool done() const { return done_; }

private:
    std::string chunk(std::string_view delta_json, std::string_view finish, std::string_view native_finish) const;

    std::string id_;
    int64_t created_;
    bool created_known_ = false;
    std::string model_;
    bool role_sent_ = false;
    int tool_calls_ = 0;
    bool done_ = false;
};

}  // namespace nexus::ollama
