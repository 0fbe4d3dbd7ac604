#include "usage.hpp"

#include "json_util.hpp"

namespace nexus::claude {

namespace {

void take(const rapidjson::Value& usage, std::string_view name, int64_t& field) {
    if (std::optional<int64_t> v = int_member(usage, name); v && *v >= 0) field = *v;
}

}  // namespace

void Usage::merge(const rapidjson::Value& usage) {
    if (!usage.IsObject()) return;
    take(usage, "input_tokens", input_tokens);
    take(usage, "output_tokens", output_tokens);
    take(usage, "cache_read_input_tokens", cache_read_input_tokens);
    take(usage, "cache_creation_input_tokens", cache_creation_input_tokens);
}

void write_usage(JsonWriter& w, const Usage& u) {
    w.StartObject();
    write_key(w, "prompt_tokens");
    w.Int64(u.prompt_tokens());
    write_key(w, "completion_tokens");
    w.Int64(u.output_tokens);
    write_key(w, "total_tokens");
    w.Int64(u.prompt_tokens() + u.output_tokens);
    write_key(w, "prompt_tokens_details");
    w.StartObject();
    write_key(w, "cached_tokens");
    w.Int64(u.cache_read_input_tokens);
    w.EndObject();
    write_key(w, "cache_creation_input_tokens");
    w.Int64(u.cache_creation_input_tokens);
    w.EndObject();
}

std::string_view finish_reason_for(std::string_view stop_reason) {
    if (stop_reason == "max_tokens" || stop_reason == "model_context_window_exceeded") return "length";
    if (stop_reason == "tool_use") return "tool_calls";
    if (stop_reason == "refusal") return "content_filter";
    return "stop";  // end_turn, stop_sequence, pause_turn (an incomplete server-tool turn), and new values
}

}  // namespace nexus::claude
