// Streaming: framed upstream SSE events -> canonical chunks. OpenAI's chunks already are
// canonical, so each is checked and passed on byte for byte.
//
// Wire format: https://platform.openai.com/docs/api-reference/chat-streaming; the end marker
// `data: [DONE]` and in-band `data: {"error":{...}}` handling follow the openai-node SDK
// (src/core/streaming.ts), which throws APIError for any parsed payload with `error`.
#pragma once

#include "json_shape.hpp"

#include "nexus/nexus.h"

#include <cstddef>
#include <functional>
#include <string_view>

namespace nexus::openai {

class StreamTranslator {
public:
    using Emit = std::function<void(std::string_view chunk_json)>;

    // One framed SSE event. Returns NX_STREAM_DONE for `data: [DONE]`, else
    // NX_STREAM_CONTINUE after emitting the chunk (if any). Throws sdk::UpstreamError for
    // an in-band error (`event: error`, or a payload with an `error` member; classified by
    // its type/code, SERVER when unknown) and for a payload that is not a JSON chunk (PROTOCOL).
    nx_stream_result on_event(std::string_view event, std::string_view data, const Emit& emit);

    // Upstream EOF: throws sdk::UpstreamError(PROTOCOL, "stream ended before [DONE]") when
    // the end marker never came.
    void finish() const;

    bool done() const { return done_; }
    size_t chunks() const { return chunks_; }
    size_t finished_choices() const { return finished_choices_; }
    bool usage_seen() const { return usage_seen_; }

private:
    [[noreturn]] void inband_error(std::string_view data) const;

    ShapeScanner scanner_;
    bool done_ = false;
    size_t chunks_ = 0;
    size_t finished_choices_ = 0;
    bool usage_seen_ = false;
};

}  // namespace nexus::openai
