// Anthropic usage and stop reasons -> canonical (canonical-format.md §3.1, §3.2).
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string_view>

namespace nexus::claude {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

struct Usage {
    int64_t input_tokens = 0;
    int64_t output_tokens = 0;
    int64_t cache_read_input_tokens = 0;
    int64_t cache_creation_input_tokens = 0;

    // Takes every field that `usage` (an Anthropic usage object) holds as a number; null or
    // absent fields keep their value. Streams send output_tokens cumulatively, so the last
    // value seen is the total.
    void merge(const rapidjson::Value& usage);

    // Anthropic counts cached input apart from input_tokens; canonical prompt_tokens is all of it.
    int64_t prompt_tokens() const { return input_tokens + cache_read_input_tokens + cache_creation_input_tokens; }
};

// Writes the canonical usage object: prompt_tokens, completion_tokens, total_tokens,
// prompt_tokens_details.cached_tokens (cache reads), cache_creation_input_tokens (ext).
void write_usage(JsonWriter& w, const Usage& u);

// end_turn, stop_sequence, pause_turn -> stop; max_tokens, model_context_window_exceeded ->
// length; tool_use -> tool_calls; refusal -> content_filter; anything new -> stop.
std::string_view finish_reason_for(std::string_view stop_reason);

inline void write_string(JsonWriter& w, std::string_view s) { w.String(s.data(), rapidjson::SizeType(s.size())); }
inline void write_key(JsonWriter& w, std::string_view s) { w.Key(s.data(), rapidjson::SizeType(s.size())); }

}  // namespace nexus::claude
