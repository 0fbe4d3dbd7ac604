// Streaming: framed Anthropic SSE events -> canonical chat.completion.chunk objects.
//
// Event flow (https://docs.anthropic.com/en/docs/build-with-claude/streaming): message_start,
// then per content block content_block_start / content_block_delta+ / content_block_stop,
// then message_delta (stop_reason, cumulative usage), then message_stop; ping anywhere;
// `event: error` for failures after the 200. New event and delta types may appear and are
// ignored. Mapping:
//   message_start                 -> first chunk, delta {role:"assistant", content:""}
//   text_delta                    -> delta.content
//   content_block_start tool_use  -> delta.tool_calls[{index: ordinal among tool_use blocks,
//                                    id, type:"function", function:{name, arguments:""}}]
//   input_json_delta              -> delta.tool_calls[{index, function:{arguments: fragment}}]
//   thinking_delta / signature_delta -> delta.reasoning_content / delta.thinking_signature
//   redacted_thinking block       -> delta.thinking_blocks [the block]
//   tool_use of the JSON-mode tool -> its input fragments as delta.content
//   message_delta with stop_reason -> delta {}, finish_reason, native_finish_reason
//   message_stop                  -> the usage chunk (choices: []), then NX_STREAM_DONE
#pragma once

#include "usage.hpp"

#include "nexus/nexus.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace nexus::claude {

class StreamTranslator {
public:
    using Emit = std::function<void(std::string_view chunk_json)>;

    // `created_unix_s` is stamped on every chunk (Anthropic sends no timestamp).
    explicit StreamTranslator(int64_t created_unix_s) : created_(created_unix_s) {}

    // One framed SSE event (`event` may be empty: the JSON `type` is used then). Returns
    // NX_STREAM_DONE after message_stop, else NX_STREAM_CONTINUE. Throws sdk::UpstreamError
    // for `event: error` (classified by error.type) and for bytes that break the protocol
    // (PROTOCOL: not JSON, content before message_start).
    nx_stream_result on_event(std::string_view event, std::string_view data, const Emit& emit);

    // Upstream EOF: throws sdk::UpstreamError(PROTOCOL, "stream ended before message_stop")
    // unless message_stop came.
    void finish() const;

    bool done() const { return done_; }
    const Usage& usage() const { return usage_; }

private:
    enum class Kind { text, tool, json_tool, thinking, other };
    struct Block {
        Kind kind = Kind::other;
        int tool_index = -1;
        bool got_delta = false;
        std::string start_input;  // a non-empty `input` sent with content_block_start
    };
    class Chunk;

    void message_start(const rapidjson::Value& message, const Emit& emit);
    void block_start(const rapidjson::Value& event, const Emit& emit);
    void block_delta(const rapidjson::Value& event, const Emit& emit);
    void block_stop(const rapidjson::Value& event, const Emit& emit);
    void message_delta(const rapidjson::Value& event, const Emit& emit);
    void emit_finish(std::string_view stop_reason, std::string_view stop_sequence, const Emit& emit);
    void emit_arguments(const Block& b, std::string_view fragment, const Emit& emit);

    int64_t created_;
    std::string id_;
    std::string model_;
    bool started_ = false;
    bool done_ = false;
    bool finish_sent_ = false;
    bool json_output_ = false;
    int next_tool_ = 0;
    std::map<int64_t, Block> blocks_;
    Usage usage_;
};

}  // namespace nexus::claude
