// Streaming: framed Mistral SSE events -> canonical chunks.
//
// Mistral streams OpenAI-shaped chat.completion.chunk objects as `data:` lines and ends
// with `data: [DONE]` (API reference, `stream`). Differences handled here:
//  - the data may start with extra whitespace ("data:  {...}");
//  - usage arrives inside the last content chunk (with finish_reason), unasked: it is
//    moved into a separate usage chunk with `choices: []`, as canonical streams have it;
//  - a tool call usually arrives whole in one delta, sometimes without `index`: each gets
//    one (by id, in order of appearance), arguments as a JSON string;
//  - content may be a chunk array (thinking models): flattened as in whole responses;
//  - finish_reason model_length -> length; "error" -> an upstream error.
#pragma once

#include "nexus/nexus.h"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

namespace nexus::mistral {

class StreamTranslator {
public:
    using Emit = std::function<void(std::string_view chunk_json)>;

    // One framed SSE event. Returns NX_STREAM_DONE at `[DONE]`, else NX_STREAM_CONTINUE
    // after emitting zero or more chunks. Throws sdk::UpstreamError for an in-band error
    // (an error object, `event: error`, finish_reason "error") and for bytes that are not a
    // chunk (PROTOCOL).
    nx_stream_result on_event(std::string_view event, std::string_view data, const Emit& emit);

    // Upstream EOF: throws sdk::UpstreamError(PROTOCOL) when `[DONE]` never came.
    void finish() const;

    bool done() const { return done_; }
    bool usage_sent() const { return usage_sent_; }

private:
    struct ChoiceState {
        bool role_sent = false;
        int next_tool_index = 0;
        int last_tool_index = -1;
        std::unordered_map<std::string, int> tool_index_by_id;
    };

    std::map<int, ChoiceState> choices_;
    bool done_ = false;
    bool usage_sent_ = false;
};

}  // namespace nexus::mistral
