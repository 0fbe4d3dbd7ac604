// Canonical chat.completion.chunk stream -> Anthropic's event sequence:
// message_start, (content_block_start, content_block_delta*, content_block_stop)*,
// message_delta, message_stop. Blocks are strictly sequential in Anthropic's protocol, so a
// new kind of content (text, thinking, a new tool call) closes the open block first.
// Reference: https://docs.anthropic.com/en/docs/build-with-claude/streaming
#include "core/anthropic_encode.hpp"
#include "core/json_text.hpp"

#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include <map>

namespace nexus::core {

namespace {

using rapidjson::Value;

class AnthropicStreamEncoder final : public IngressCodec::StreamEncoder {
public:
    explicit AnthropicStreamEncoder(std::string model) : model_(std::move(model)) {}

    void chunk(std::string_view, rapidjson::Document& c, std::string& out) override {
        if (!started_) start(c, out);
        if (const Value* usage = member(c, "usage"); usage && usage->IsObject()) note_usage(*usage);
        const Value* choices = member(c, "choices");
        if (!choices || !choices->IsArray() || choices->Empty()) return;
        const Value& choice = (*choices)[0];
        if (const Value* delta = member(choice, "delta"); delta && delta->IsObject()) {
            if (const Value* r = member(*delta, "reasoning_content"); r && r->IsString() && r->GetStringLength()) {
                open(Kind::thinking, R"({"type":"thinking","thinking":""})", out);
                delta_event(R"({"type":"thinking_delta","thinking":)", *r, out);
            }
            if (const Value* sig = member(*delta, "thinking_signature"); sig && sig->IsString()) {
                open(Kind::thinking, R"({"type":"thinking","thinking":""})", out);
                delta_event(R"({"type":"signature_delta","signature":)", *sig, out);
            }
            if (const Value* t = member(*delta, "content"); t && t->IsString() && t->GetStringLength()) {
                open(Kind::text, R"({"type":"text","text":""})", out);
                delta_event(R"({"type":"text_delta","text":)", *t, out);
            }
            if (const Value* calls = member(*delta, "tool_calls"); calls && calls->IsArray())
                for (const auto& tc : calls->GetArray()) tool_fragment(tc, out);
        }
        if (const Value* fr = member(choice, "finish_reason"); fr && fr->IsString())
            stop_reason_ = anthropic_stop_reason(fr->GetString());
        if (const Value* nfr = member(choice, "native_finish_reason"); nfr && nfr->IsString() && is_anthropic_only_stop(nfr->GetString()))
            stop_reason_ = nfr->GetString();
    }

    void end(std::string& out) override {
        if (!started_) {
            rapidjson::Document empty(rapidjson::kObjectType);
            start(empty, out);
        }
        close(out);
        std::string d = R"({"type":"message_delta","delta":{"stop_reason":)";
        append_json_string(stop_reason_, d);
        d += R"(,"stop_sequence":null},"usage":{"input_tokens":)" + std::to_string(input_tokens()) +
             R"(,"output_tokens":)" + std::to_string(completion_) + R"(,"cache_creation_input_tokens":)" +
             std::to_string(cache_created_) + R"(,"cache_read_input_tokens":)" + std::to_string(cached_) + "}}";
        event("message_delta", d, out);
        event("message_stop", R"({"type":"message_stop"})", out);
    }

    void error(const ApiError& e, std::string& out) override { event("error", anthropic_error_body(e), out); }

private:
    enum class Kind { none, text, thinking, tool };

    static void event(const char* name, std::string_view json, std::string& out) {
        out += "event: ";
        out += name;
        out += "\ndata: ";
        out += json;
        out += "\n\n";
    }

    void start(const rapidjson::Document& c, std::string& out) {
        started_ = true;
        const Value* id = member(c, "id");
        std::string mid = id && id->IsString() ? id->GetString() : "nexus";
        if (mid.rfind("msg_", 0) != 0) mid = "msg_" + mid;
        const Value* model = member(c, "model");
        std::string m = R"({"type":"message_start","message":{"id":)";
        append_json_string(mid, m);
        m += R"(,"type":"message","role":"assistant","model":)";
        append_json_string(model && model->IsString() ? std::string_view(model->GetString()) : std::string_view(model_), m);
        m += R"(,"content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}})";
        event("message_start", m, out);
    }

    void open(Kind kind, std::string_view block_json, std::string& out) {
        if (kind_ == kind && kind != Kind::tool) return;
        close(out);
        kind_ = kind;
        std::string s = R"({"type":"content_block_start","index":)" + std::to_string(index_) + R"(,"content_block":)";
        s += block_json;
        s += "}";
        event("content_block_start", s, out);
    }

    void close(std::string& out) {
        if (kind_ == Kind::none) return;
        event("content_block_stop", R"({"type":"content_block_stop","index":)" + std::to_string(index_) + "}", out);
        kind_ = Kind::none;
        ++index_;
    }

    void delta_event(std::string_view prefix, const Value& text, std::string& out) {
        std::string s = R"({"type":"content_block_delta","index":)" + std::to_string(index_) + R"(,"delta":)";
        s += prefix;
        append_json_string(std::string_view(text.GetString(), text.GetStringLength()), s);
        s += "}}";
        event("content_block_delta", s, out);
    }

    void tool_fragment(const Value& tc, std::string& out) {
        const Value* idx = member(tc, "index");
        int tool = idx && idx->IsInt() ? idx->GetInt() : 0;
        const Value* fn = member(tc, "function");
        const Value* name = fn ? member(*fn, "name") : nullptr;
        const Value* id = member(tc, "id");
        if (!tool_blocks_.count(tool)) {
            std::string b = R"({"type":"tool_use","id":)";
            append_json_string(id && id->IsString() ? std::string_view(id->GetString()) : std::string_view("toolu_nexus"), b);
            b += R"(,"name":)";
            append_json_string(name && name->IsString() ? std::string_view(name->GetString()) : std::string_view(""), b);
            b += R"(,"input":{}})";
            open(Kind::tool, b, out);
            tool_blocks_[tool] = index_;
        }
        const Value* args = fn ? member(*fn, "arguments") : nullptr;
        if (!args || !args->IsString() || args->GetStringLength() == 0) return;
        if (kind_ != Kind::tool || tool_blocks_[tool] != index_) {
            // Anthropic cannot reopen a closed block; OpenAI-style upstreams send tool calls in
            // index order, so this only happens with an unusual upstream.
            spdlog::warn("anthropic stream: arguments for tool call {} arrived after its block closed; dropped", tool);
            return;
        }
        delta_event(R"({"type":"input_json_delta","partial_json":)", *args, out);
    }

    void note_usage(const Value& u) {
        if (auto* p = member(u, "prompt_tokens"); p && p->IsInt64()) prompt_ = p->GetInt64();
        if (auto* c = member(u, "completion_tokens"); c && c->IsInt64()) completion_ = c->GetInt64();
        if (auto* d = member(u, "prompt_tokens_details"); d && d->IsObject())
            if (auto* c = member(*d, "cached_tokens"); c && c->IsInt64()) cached_ = c->GetInt64();
        if (auto* cc = member(u, "cache_creation_input_tokens"); cc && cc->IsInt64()) cache_created_ = cc->GetInt64();
    }
    int64_t input_tokens() const { return std::max<int64_t>(0, prompt_ - cached_ - cache_created_); }

    std::string model_;
    bool started_ = false;
    Kind kind_ = Kind::none;
    int index_ = 0;
    std::map<int, int> tool_blocks_;  // canonical tool index -> Anthropic block index
    std::string stop_reason_ = "end_turn";
    int64_t prompt_ = 0, completion_ = 0, cached_ = 0, cache_created_ = 0;
};

}  // namespace

std::unique_ptr<IngressCodec::StreamEncoder> make_anthropic_stream_encoder(const std::string& model) {
    return std::make_unique<AnthropicStreamEncoder>(model);
}

}  // namespace nexus::core
