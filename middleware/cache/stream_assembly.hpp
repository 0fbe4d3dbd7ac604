// Rebuilds a chat.completion from the canonical chunks of a stream (sdk/docs/canonical-format.md
// section 4), so that a streamed answer can be cached and later served to any client: content,
// refusal, tool calls by index, reasoning text and thinking blocks, finish reasons and usage.
// A delta member it cannot rebuild, logprobs, or more text than the cache would keep spoil
// the assembly: nothing is stored rather than something incomplete.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nexus::cache {

class StreamAssembly {
public:
    explicit StreamAssembly(uint64_t max_bytes) : max_bytes_(max_bytes) {}

    void add(std::string_view chunk_json);
    bool spoiled() const { return spoiled_; }

    // The chat.completion, or nullopt when spoiled or when a choice never finished.
    std::optional<std::string> completion() const;

private:
    struct ToolCall {
        std::string id, type = "function", name, arguments;
    };
    struct Choice {
        std::optional<std::string> content, refusal, reasoning;
        std::string thinking;                    // text of the thinking block still open
        std::vector<std::string> thinking_blocks;  // closed blocks, as JSON
        std::map<int64_t, ToolCall> tool_calls;
        std::string finish_reason, native_finish_reason, stop_sequence;
    };

    void append(std::string& to, std::string_view piece);
    bool add_choice(const rapidjson::Value& c);

    uint64_t max_bytes_;
    uint64_t bytes_ = 0;
    bool spoiled_ = false;
    std::string id_, model_, system_fingerprint_, service_tier_;
    int64_t created_ = 0;
    std::string usage_json_;
    std::map<int64_t, Choice> choices_;
};

}  // namespace nexus::cache
