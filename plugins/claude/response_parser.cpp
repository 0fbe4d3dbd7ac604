#include "response_parser.hpp"

#include "error_classifier.hpp"
#include "json_util.hpp"
#include "request_builder.hpp"
#include "time_util.hpp"
#include "usage.hpp"

#include <random>
#include <vector>

namespace nexus::claude {

namespace {

using rapidjson::Value;

[[noreturn]] void protocol(int status, const std::string& what) {
    throw sdk::UpstreamError(NX_EC_PROTOCOL, status, -1, "upstream response " + what);
}

struct ToolCall {
    std::string_view id, name;
    std::string arguments;
};

}  // namespace

std::string make_completion_id() {
    static constexpr std::string_view kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::string id = "chatcmpl-";
    for (int i = 0; i < 24; ++i) id.push_back(kAlnum[rng() % kAlnum.size()]);
    return id;
}

std::string translate_message(const Value& message, int64_t created_unix_s, Usage* usage_out) {
    const Value* content = find_member(message, "content");
    if (!content || !content->IsArray()) throw sdk::UpstreamError(NX_EC_PROTOCOL, 200, -1, "upstream message has no \"content\" array");

    std::string text, reasoning, json_text;
    bool has_text = false, json_output = false;
    std::vector<ToolCall> calls;
    std::vector<const Value*> thinking_blocks;
    for (const auto& block : content->GetArray()) {
        std::string_view type = string_member(block, "type");
        if (type == "text") {
            text += string_member(block, "text");
            has_text = true;
        } else if (type == "tool_use") {
            const Value* input = find_member(block, "input");
            std::string args = input ? to_json(*input) : "{}";
            if (string_member(block, "name") == kJsonToolName) {
                json_text = std::move(args);
                json_output = true;
            } else {
                calls.push_back({string_member(block, "id"), string_member(block, "name"), std::move(args)});
            }
        } else if (type == "thinking") {
            reasoning += string_member(block, "thinking");
            thinking_blocks.push_back(&block);
        } else if (type == "redacted_thinking") {
            thinking_blocks.push_back(&block);
        }
        // server_tool_use, web_search_tool_result, ...: no canonical form; left out.
    }

    if (json_output) {  // JSON mode: the tool's input is the whole answer
        text = std::move(json_text);
        has_text = true;
    }
    std::string_view stop_reason = string_member(message, "stop_reason");
    std::string_view finish = stop_reason.empty() ? std::string_view() : finish_reason_for(stop_reason);
    if (json_output && stop_reason == "tool_use") finish = "stop";
    Usage usage;
    if (const Value* u = find_member(message, "usage")) usage.merge(*u);
    if (usage_out) *usage_out = usage;

    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    write_key(w, "id");
    std::string_view id = string_member(message, "id");
    write_string(w, id.empty() ? std::string_view(make_completion_id()) : id);
    write_key(w, "object");
    write_string(w, "chat.completion");
    write_key(w, "created");
    w.Int64(created_unix_s);
    write_key(w, "model");
    write_string(w, string_member(message, "model"));
    write_key(w, "choices");
    w.StartArray();
    w.StartObject();
    write_key(w, "index");
    w.Int(0);
    write_key(w, "message");
    w.StartObject();
    write_key(w, "role");
    write_string(w, "assistant");
    write_key(w, "content");
    if (has_text || calls.empty()) write_string(w, text);
    else w.Null();
    write_key(w, "refusal");
    w.Null();
    if (!calls.empty()) {
        write_key(w, "tool_calls");
        w.StartArray();
        for (const auto& c : calls) {
            w.StartObject();
            write_key(w, "id");
            write_string(w, c.id);
            write_key(w, "type");
            write_string(w, "function");
            write_key(w, "function");
            w.StartObject();
            write_key(w, "name");
            write_string(w, c.name);
            write_key(w, "arguments");
            write_string(w, c.arguments);
            w.EndObject();
            w.EndObject();
        }
        w.EndArray();
    }
    if (!thinking_blocks.empty()) {
        write_key(w, "reasoning_content");
        write_string(w, reasoning);
        write_key(w, "thinking_blocks");
        w.StartArray();
        for (const Value* b : thinking_blocks) b->Accept(w);
        w.EndArray();
    }
    w.EndObject();
    write_key(w, "logprobs");
    w.Null();
    write_key(w, "finish_reason");
    if (finish.empty()) w.Null();
    else write_string(w, finish);
    if (!stop_reason.empty()) {
        write_key(w, "native_finish_reason");
        write_string(w, stop_reason);
    }
    if (std::string_view seq = string_member(message, "stop_sequence"); !seq.empty()) {
        write_key(w, "stop_sequence");
        write_string(w, seq);
    }
    w.EndObject();
    w.EndArray();
    write_key(w, "usage");
    write_usage(w, usage);
    w.EndObject();
    return std::string(buf.GetString(), buf.GetSize());
}

std::string translate_models(const Value& list) {
    const Value* data = find_member(list, "data");
    if (!data || !data->IsArray()) throw sdk::UpstreamError(NX_EC_PROTOCOL, 200, -1, "upstream model list has no \"data\" array");
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    write_key(w, "object");
    write_string(w, "list");
    write_key(w, "data");
    w.StartArray();
    for (const auto& m : data->GetArray()) {
        std::string_view id = string_member(m, "id");
        if (id.empty()) continue;
        w.StartObject();
        write_key(w, "id");
        write_string(w, id);
        write_key(w, "object");
        write_string(w, "model");
        write_key(w, "created");
        std::optional<int64_t> at = parse_rfc3339_ms(string_member(m, "created_at"));
        w.Int64(at ? *at / 1000 : 0);
        write_key(w, "owned_by");
        write_string(w, "anthropic");
        if (std::string_view name = string_member(m, "display_name"); !name.empty()) {
            write_key(w, "display_name");
            write_string(w, name);
        }
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return std::string(buf.GetString(), buf.GetSize());
}

std::string parse_upstream_response(nx_op op, int status, const sdk::HeaderView& headers, std::string_view body,
                                    std::string_view api_key, int64_t now_unix_ms, Usage* usage) {
    if (status < 200 || status > 299) throw classify_http_error(status, headers, body, api_key, now_unix_ms);
    rapidjson::Document doc;
    if (std::string err = parse_json(doc, body); !err.empty()) protocol(status, "is not JSON (" + err + ")");
    if (!doc.IsObject()) protocol(status, "is not a JSON object");
    if (string_member(doc, "type") == "error") {
        const Value* error = find_present(doc, "error");
        if (!error) protocol(status, "is an error without an \"error\" object");
        throw classify_error_object(*error, status, NX_EC_SERVER, api_key);
    }
    switch (op) {
        case NX_OP_CHAT:
            if (string_member(doc, "type") != "message") protocol(status, "is not a message (\"type\" is not \"message\")");
            return translate_message(doc, now_unix_ms / 1000, usage);
        case NX_OP_LIST_MODELS:
            return translate_models(doc);
        default:
            throw sdk::Error(NX_ERR_UNSUPPORTED, "the claude provider does not support operation " + std::to_string(op));
    }
}

}  // namespace nexus::claude
