#include "request_builder.hpp"

#include "content_blocks.hpp"
#include "message_translator.hpp"
#include "native_body.hpp"
#include "tool_translator.hpp"

#include "nexus/nexus.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace nexus::claude {

using rapidjson::Value;

namespace {

std::optional<int64_t> positive_int(const Value& body, std::string_view name) {
    const Value* v = find_present(body, name);
    if (!v) return std::nullopt;
    std::optional<int64_t> n = int_member(body, name);
    if (!n || *n < 1) throw_invalid(std::string(name), "must be a positive integer");
    return n;
}

std::optional<double> number(const Value& body, std::string_view name) {
    const Value* v = find_present(body, name);
    if (!v) return std::nullopt;
    if (!v->IsNumber()) throw_invalid(std::string(name), "must be a number");
    return v->GetDouble();
}

Value stop_sequences(const Value* stop, Alloc& alloc) {
    Value out(rapidjson::kArrayType);
    if (!stop || stop->IsNull()) return out;
    if (stop->IsString()) {
        if (stop->GetStringLength() > 0) out.PushBack(Value(*stop, alloc), alloc);
        return out;
    }
    if (!stop->IsArray()) throw_invalid("stop", "must be a string or an array of strings");
    for (const auto& s : stop->GetArray()) {
        if (!s.IsString()) throw_invalid("stop", "must be a string or an array of strings");
        if (s.GetStringLength() > 0) out.PushBack(Value(s, alloc), alloc);
    }
    return out;
}

// reasoning_effort -> a thinking budget; 0 for none.
int64_t thinking_budget(const Value& body) {
    const Value* v = find_present(body, "reasoning_effort");
    if (!v) return 0;
    std::string_view effort = as_view(*v);
    if (effort == "none" || effort == "minimal") return 0;  // Anthropic's smallest budget (1024) is already "low"
    if (effort == "low") return 1024;
    if (effort == "medium") return 2048;
    if (effort == "high") return 4096;
    throw_invalid("reasoning_effort", "expected none, minimal, low, medium or high");
}

// response_format -> the schema of the emulating tool, or null for plain text.
Value json_mode_schema(const Value& body, Alloc& alloc) {
    const Value* rf = find_present(body, "response_format");
    if (!rf) return Value();
    if (!rf->IsObject()) throw_invalid("response_format", "must be an object");
    std::string_view type = string_member(*rf, "type");
    if (type == "text") return Value();
    if (type == "json_object") {
        Value schema(rapidjson::kObjectType);
        add(schema, "type", Value("object"), alloc);
        return schema;
    }
    if (type == "json_schema") {
        const Value* js = find_member(*rf, "json_schema");
        const Value* schema = js ? find_present(*js, "schema") : nullptr;
        if (!schema || !schema->IsObject()) throw_invalid("response_format.json_schema.schema", "is required");
        if (string_member(*schema, "type") != "object")
            throw_unsupported("response_format.json_schema.schema", "a schema whose root is not an object");
        return Value(*schema, alloc);
    }
    throw_invalid("response_format.type", "expected text, json_object or json_schema");
}

Value json_tool(Value schema, Alloc& alloc) {
    Value t(rapidjson::kObjectType);
    add(t, "name", str(kJsonToolName, alloc), alloc);
    add(t, "description", Value("Give your final answer as the input of this tool. The input must match the schema."), alloc);
    add(t, "input_schema", std::move(schema), alloc);
    return t;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

void add_common_headers(const ProviderConfig& cfg, const RequestInput& in, UpstreamRequest& r, bool has_body,
                        bool native) {
    if (!in.api_key.empty()) r.headers.emplace_back("x-api-key", std::string(in.api_key));
    std::string_view version = cfg.anthropic_version;
    if (native && in.client_anthropic_version && !trim(*in.client_anthropic_version).empty())
        version = trim(*in.client_anthropic_version);
    r.headers.emplace_back("anthropic-version", std::string(version));
    if (has_body) r.headers.emplace_back("content-type", "application/json");
    r.headers.emplace_back("accept", r.framing == NX_FRAMING_SSE && in.stream ? "text/event-stream" : "application/json");

    std::string beta;
    for (const auto& [name, value] : cfg.extra_headers)
        if (lower(name) == "anthropic-beta") beta = value;
    if (in.client_anthropic_beta && !trim(*in.client_anthropic_beta).empty())
        beta = beta.empty() ? std::string(trim(*in.client_anthropic_beta)) : beta + "," + std::string(trim(*in.client_anthropic_beta));
    if (!beta.empty()) r.headers.emplace_back("anthropic-beta", beta);
    for (const auto& h : cfg.extra_headers)
        if (lower(h.first) != "anthropic-beta") r.headers.push_back(h);
}

std::string_view base_of(const ProviderConfig& cfg, const RequestInput& in) {
    return in.base_url.empty() ? std::string_view(cfg.base_url) : in.base_url;
}

bool contains(std::string_view s, std::string_view needle) { return s.find(needle) != std::string_view::npos; }

}  // namespace

std::string api_url(std::string_view base, std::string_view path) {
    std::string b(base);
    while (!b.empty() && b.back() == '/') b.pop_back();
    if (b.size() >= 3 && b.compare(b.size() - 3, 3, "/v1") == 0) return b + "/" + std::string(path);
    return b + "/v1/" + std::string(path);
}

int64_t default_max_tokens(const ProviderConfig& cfg, std::string_view model) {
    if (cfg.default_max_tokens) return *cfg.default_max_tokens;
    // Output limits from https://docs.anthropic.com/en/docs/about-claude/models/overview;
    // the newer families allow far more, but a default that large makes every request
    // reserve it against the output-token rate limit.
    static constexpr std::array<std::string_view, 6> kLarger = {"claude-3-5", "claude-3-7", "claude-sonnet-4",
                                                                "claude-opus-4", "claude-haiku-4", "claude-4"};
    for (std::string_view family : kLarger)
        if (contains(model, family)) return 8192;
    return 4096;
}

rapidjson::Document translate_chat(const ProviderConfig& cfg, std::string_view body, std::string_view upstream_model,
                                   bool stream) {
    rapidjson::Document in;
    if (std::string err = parse_json(in, body); !err.empty())
        throw sdk::Error(NX_ERR_INVALID, "invalid canonical chat request: " + err);
    if (!in.IsObject()) throw sdk::Error(NX_ERR_INVALID, "invalid canonical chat request: the body must be a JSON object");

    rapidjson::Document out(rapidjson::kObjectType);
    Alloc& a = out.GetAllocator();

    std::string_view model = upstream_model.empty() ? string_member(in, "model") : upstream_model;
    if (model.empty()) throw_invalid("model", "is required (the body has none and none was routed)");
    if (std::optional<int64_t> n = int_member(in, "n"); n && *n > 1)
        throw sdk::Error(NX_ERR_UNSUPPORTED, "claude does not support n > 1");

    const Value* messages = find_member(in, "messages");
    if (!messages) throw_invalid("messages", "is required");
    TranslatedMessages translated = translate_messages(*messages, a);

    Value tools = translate_tools(find_member(in, "tools"), a);
    Value json_schema = json_mode_schema(in, a);
    bool json_mode = !json_schema.IsNull();
    for (const auto& t : tools.GetArray())
        if (string_member(t, "name") == kJsonToolName)
            throw_invalid("tools", "the tool name '" + std::string(kJsonToolName) + "' is reserved by Nexus");
    if (json_mode && !tools.Empty())
        throw sdk::Error(NX_ERR_UNSUPPORTED, "claude cannot combine response_format " + std::string(string_member(in["response_format"], "type")) +
                                                 " with tools (Nexus emulates JSON output with a forced tool)");
    Value tool_choice = translate_tool_choice(find_member(in, "tool_choice"), find_member(in, "parallel_tool_calls"),
                                              !tools.Empty(), a);
    if (json_mode) {
        tools.PushBack(json_tool(std::move(json_schema), a), a);
        tool_choice.SetObject();
        add(tool_choice, "type", Value("tool"), a);
        add(tool_choice, "name", str(kJsonToolName, a), a);
    }

    std::optional<int64_t> max_tokens = positive_int(in, "max_completion_tokens");
    if (!max_tokens) max_tokens = positive_int(in, "max_tokens");
    // Forced tool use excludes thinking (Anthropic refuses the combination), so JSON mode drops it.
    int64_t budget = json_mode ? 0 : thinking_budget(in);
    int64_t limit;
    if (max_tokens) {
        limit = *max_tokens;
        budget = std::min(budget, limit - 1);  // Anthropic wants budget_tokens < max_tokens
        if (budget < 1024) budget = 0;         // ... and budget_tokens >= 1024
    } else {
        limit = default_max_tokens(cfg, model) + budget;
    }

    std::optional<double> temperature = number(in, "temperature");
    std::optional<double> top_p = number(in, "top_p");
    std::optional<int64_t> top_k;
    if (find_present(in, "top_k")) {
        top_k = int_member(in, "top_k");
        if (!top_k || *top_k < 0) throw_invalid("top_k", "must be a non-negative integer");
    }
    Value stops = stop_sequences(find_member(in, "stop"), a);
    const Value* user = find_present(in, "user");
    if (user && !user->IsString()) throw_invalid("user", "must be a string");

    add(out, "model", str(model, a), a);
    add(out, "max_tokens", Value(limit), a);
    if (!translated.system.IsNull()) add(out, "system", std::move(translated.system), a);
    add(out, "messages", std::move(translated.messages), a);
    if (!tools.Empty()) add(out, "tools", std::move(tools), a);
    if (!tool_choice.IsNull()) add(out, "tool_choice", std::move(tool_choice), a);
    if (budget > 0) {
        Value thinking(rapidjson::kObjectType);
        add(thinking, "type", Value("enabled"), a);
        add(thinking, "budget_tokens", Value(budget), a);
        add(out, "thinking", std::move(thinking), a);
    } else {
        if (temperature) add(out, "temperature", Value(std::clamp(*temperature, 0.0, 1.0)), a);
        if (top_p) add(out, "top_p", Value(*top_p), a);
        if (top_k) add(out, "top_k", Value(*top_k), a);
    }
    if (!stops.Empty()) add(out, "stop_sequences", std::move(stops), a);
    if (user && user->GetStringLength() > 0) {
        Value metadata(rapidjson::kObjectType);
        add(metadata, "user_id", Value(*user, a), a);
        add(out, "metadata", std::move(metadata), a);
    }
    if (stream) add(out, "stream", Value(true), a);
    return out;
}

UpstreamRequest build_request(const ProviderConfig& cfg, const RequestInput& in) {
    UpstreamRequest r;
    switch (in.op) {
        case NX_OP_CHAT: {
            bool native = in.native_format == "anthropic";
            r.method = "POST";
            r.url = api_url(base_of(cfg, in), "messages");
            r.framing = NX_FRAMING_SSE;
            if (native) {
                r.body = replace_model(in.native_body, in.upstream_model);
            } else {
                r.body = to_json(translate_chat(cfg, in.body, in.upstream_model, in.stream));
            }
            add_common_headers(cfg, in, r, true, native);
            return r;
        }
        case NX_OP_EMBEDDINGS:
            throw sdk::Error(NX_ERR_UNSUPPORTED, "anthropic has no embeddings endpoint");
        case NX_OP_LIST_MODELS:
            r.method = "GET";
            r.url = api_url(base_of(cfg, in), "models?limit=1000");
            add_common_headers(cfg, in, r, false, false);
            return r;
        default:
            throw sdk::Error(NX_ERR_UNSUPPORTED, "the claude provider does not support operation " + std::to_string(in.op));
    }
}

}  // namespace nexus::claude
