#include "stream_translator.hpp"

#include "error_classifier.hpp"
#include "json_util.hpp"
#include "request_builder.hpp"
#include "response_parser.hpp"

#include "nexus/nexus.hpp"

namespace nexus::claude {

using rapidjson::Value;

namespace {

constexpr int kStreamStatus = 200;  // a stream only opens on a 2xx

[[noreturn]] void protocol(const std::string& what) {
    throw sdk::UpstreamError(NX_EC_PROTOCOL, kStreamStatus, -1, "upstream stream " + what);
}

int64_t block_index(const Value& event) {
    std::optional<int64_t> i = int_member(event, "index");
    if (!i || *i < 0) protocol("event has no valid \"index\": " + to_json(event).substr(0, 200));
    return *i;
}

}  // namespace

// One chat.completion.chunk with a single choice; the caller writes the delta's members.
class StreamTranslator::Chunk {
public:
    explicit Chunk(const StreamTranslator& t) : w_(buf_) {
        head(t);
        write_key(w_, "choices");
        w_.StartArray();
        w_.StartObject();
        write_key(w_, "index");
        w_.Int(0);
        write_key(w_, "delta");
        w_.StartObject();
    }
    JsonWriter& w() { return w_; }
    void key(std::string_view k) { write_key(w_, k); }
    void string(std::string_view s) { write_string(w_, s); }

    // Closes the delta and the chunk.
    void emit(const Emit& emit, std::string_view finish_reason = {}, std::string_view native = {},
              std::string_view stop_sequence = {}) {
        w_.EndObject();
        write_key(w_, "logprobs");
        w_.Null();
        write_key(w_, "finish_reason");
        if (finish_reason.empty()) w_.Null();
        else write_string(w_, finish_reason);
        if (!native.empty()) {
            write_key(w_, "native_finish_reason");
            write_string(w_, native);
        }
        if (!stop_sequence.empty()) {
            write_key(w_, "stop_sequence");
            write_string(w_, stop_sequence);
        }
        w_.EndObject();
        w_.EndArray();
        w_.EndObject();
        emit(std::string_view(buf_.GetString(), buf_.GetSize()));
    }

    // The usage chunk: no choices.
    static void emit_usage(const StreamTranslator& t, const Emit& emit) {
        rapidjson::StringBuffer buf;
        JsonWriter w(buf);
        head(t, w);
        write_key(w, "choices");
        w.StartArray();
        w.EndArray();
        write_key(w, "usage");
        write_usage(w, t.usage_);
        w.EndObject();
        emit(std::string_view(buf.GetString(), buf.GetSize()));
    }

private:
    void head(const StreamTranslator& t) { head(t, w_); }
    static void head(const StreamTranslator& t, JsonWriter& w) {
        w.StartObject();
        write_key(w, "id");
        write_string(w, t.id_);
        write_key(w, "object");
        write_string(w, "chat.completion.chunk");
        write_key(w, "created");
        w.Int64(t.created_);
        write_key(w, "model");
        write_string(w, t.model_);
    }

    rapidjson::StringBuffer buf_;
    JsonWriter w_;
};

nx_stream_result StreamTranslator::on_event(std::string_view event, std::string_view data, const Emit& emit) {
    if (done_) return NX_STREAM_DONE;  // nothing counts after message_stop
    if (event == "ping") return NX_STREAM_CONTINUE;
    data = trim(data);

    rapidjson::Document doc;
    if (data.empty()) {
        if (event == "error") throw sdk::UpstreamError(NX_EC_SERVER, kStreamStatus, -1, "upstream sent an error event");
        if (event.empty()) return NX_STREAM_CONTINUE;  // a comment-only or empty event
        protocol("event '" + std::string(event) + "' has no data");
    }
    if (std::string err = parse_json(doc, data); !err.empty()) {
        if (event == "error") {
            throw sdk::UpstreamError(NX_EC_SERVER, kStreamStatus, -1,
                                     scrub_secrets("upstream error: " + std::string(data.substr(0, 200)), {}));
        }
        protocol("event is not JSON (" + err + ")");
    }
    if (!doc.IsObject()) protocol("event is not a JSON object");
    std::string_view type = event.empty() ? string_member(doc, "type") : event;

    if (type == "error") {
        const Value* error = find_present(doc, "error");
        if (!error) throw sdk::UpstreamError(NX_EC_SERVER, kStreamStatus, -1, "upstream sent an error event without details");
        throw classify_error_object(*error, kStreamStatus, NX_EC_SERVER, {});
    }
    if (type == "ping") return NX_STREAM_CONTINUE;
    if (type == "message_start") {
        const Value* message = find_member(doc, "message");
        if (!message || !message->IsObject()) protocol("message_start has no \"message\" object");
        message_start(*message, emit);
        return NX_STREAM_CONTINUE;
    }
    bool known = type == "content_block_start" || type == "content_block_delta" || type == "content_block_stop" ||
                 type == "message_delta" || type == "message_stop";
    if (!known) return NX_STREAM_CONTINUE;  // forward compatible: new event types are skipped
    if (!started_) protocol("sent '" + std::string(type) + "' before message_start");

    if (type == "content_block_start") block_start(doc, emit);
    else if (type == "content_block_delta") block_delta(doc, emit);
    else if (type == "content_block_stop") block_stop(doc, emit);
    else if (type == "message_delta") message_delta(doc, emit);
    else {  // message_stop
        if (!finish_sent_) emit_finish({}, {}, emit);
        Chunk::emit_usage(*this, emit);
        done_ = true;
        return NX_STREAM_DONE;
    }
    return NX_STREAM_CONTINUE;
}

void StreamTranslator::message_start(const Value& message, const Emit& emit) {
    if (started_) protocol("sent a second message_start");
    started_ = true;
    std::string_view id = string_member(message, "id");
    id_ = id.empty() ? make_completion_id() : std::string(id);
    model_ = std::string(string_member(message, "model"));
    if (const Value* u = find_member(message, "usage")) usage_.merge(*u);
    Chunk c(*this);
    c.key("role");
    c.string("assistant");
    c.key("content");
    c.string("");
    c.emit(emit);
}

void StreamTranslator::block_start(const Value& event, const Emit& emit) {
    int64_t index = block_index(event);
    const Value* cb = find_member(event, "content_block");
    if (!cb || !cb->IsObject()) protocol("content_block_start has no \"content_block\" object");
    std::string_view type = string_member(*cb, "type");
    Block& b = blocks_[index];
    b = Block{};

    if (type == "text") {
        b.kind = Kind::text;
        if (std::string_view text = string_member(*cb, "text"); !text.empty()) {
            Chunk c(*this);
            c.key("content");
            c.string(text);
            c.emit(emit);
        }
    } else if (type == "tool_use") {
        std::string_view name = string_member(*cb, "name");
        const Value* input = find_member(*cb, "input");
        if (input && input->IsObject() && !input->ObjectEmpty()) b.start_input = to_json(*input);
        if (name == kJsonToolName) {
            b.kind = Kind::json_tool;
            json_output_ = true;
            return;
        }
        b.kind = Kind::tool;
        b.tool_index = next_tool_++;
        Chunk c(*this);
        c.key("tool_calls");
        c.w().StartArray();
        c.w().StartObject();
        c.key("index");
        c.w().Int(b.tool_index);
        c.key("id");
        c.string(string_member(*cb, "id"));
        c.key("type");
        c.string("function");
        c.key("function");
        c.w().StartObject();
        c.key("name");
        c.string(name);
        c.key("arguments");
        c.string("");
        c.w().EndObject();
        c.w().EndObject();
        c.w().EndArray();
        c.emit(emit);
    } else if (type == "thinking") {
        b.kind = Kind::thinking;
        std::string_view thinking = string_member(*cb, "thinking");
        std::string_view signature = string_member(*cb, "signature");
        if (thinking.empty() && signature.empty()) return;
        Chunk c(*this);
        if (!thinking.empty()) {
            c.key("reasoning_content");
            c.string(thinking);
        }
        if (!signature.empty()) {
            c.key("thinking_signature");
            c.string(signature);
        }
        c.emit(emit);
    } else if (type == "redacted_thinking") {
        Chunk c(*this);
        c.key("thinking_blocks");
        c.w().StartArray();
        cb->Accept(c.w());
        c.w().EndArray();
        c.emit(emit);
    }
    // server_tool_use, web_search_tool_result, ...: no canonical form (Kind::other).
}

void StreamTranslator::emit_arguments(const Block& b, std::string_view fragment, const Emit& emit) {
    Chunk c(*this);
    if (b.kind == Kind::json_tool) {
        c.key("content");
        c.string(fragment);
    } else {
        c.key("tool_calls");
        c.w().StartArray();
        c.w().StartObject();
        c.key("index");
        c.w().Int(b.tool_index);
        c.key("function");
        c.w().StartObject();
        c.key("arguments");
        c.string(fragment);
        c.w().EndObject();
        c.w().EndObject();
        c.w().EndArray();
    }
    c.emit(emit);
}

void StreamTranslator::block_delta(const Value& event, const Emit& emit) {
    int64_t index = block_index(event);
    const Value* delta = find_member(event, "delta");
    if (!delta || !delta->IsObject()) protocol("content_block_delta has no \"delta\" object");
    std::string_view type = string_member(*delta, "type");
    auto it = blocks_.find(index);
    Block* b = it == blocks_.end() ? nullptr : &it->second;

    if (type == "text_delta") {
        std::string_view text = string_member(*delta, "text");
        if (text.empty()) return;
        Chunk c(*this);
        c.key("content");
        c.string(text);
        c.emit(emit);
    } else if (type == "input_json_delta") {
        if (!b || (b->kind != Kind::tool && b->kind != Kind::json_tool)) return;  // e.g. a server tool's input
        b->got_delta = true;
        std::string_view fragment = string_member(*delta, "partial_json");
        if (!fragment.empty()) emit_arguments(*b, fragment, emit);
    } else if (type == "thinking_delta" || type == "signature_delta") {
        bool thinking = type == "thinking_delta";
        std::string_view piece = string_member(*delta, thinking ? "thinking" : "signature");
        if (piece.empty()) return;
        Chunk c(*this);
        c.key(thinking ? "reasoning_content" : "thinking_signature");
        c.string(piece);
        c.emit(emit);
    }
    // citations_delta and delta types added later: no canonical form.
}

void StreamTranslator::block_stop(const Value& event, const Emit& emit) {
    auto it = blocks_.find(block_index(event));
    if (it == blocks_.end()) return;
    const Block& b = it->second;
    // Some Anthropic-compatible servers send the whole input in content_block_start and no deltas.
    if ((b.kind == Kind::tool || b.kind == Kind::json_tool) && !b.got_delta && !b.start_input.empty())
        emit_arguments(b, b.start_input, emit);
}

void StreamTranslator::message_delta(const Value& event, const Emit& emit) {
    if (const Value* u = find_member(event, "usage")) usage_.merge(*u);
    const Value* delta = find_member(event, "delta");
    std::string_view stop_reason = delta ? string_member(*delta, "stop_reason") : std::string_view();
    if (!stop_reason.empty() && !finish_sent_) emit_finish(stop_reason, string_member(*delta, "stop_sequence"), emit);
}

void StreamTranslator::emit_finish(std::string_view stop_reason, std::string_view stop_sequence, const Emit& emit) {
    std::string_view finish = stop_reason.empty() ? "stop" : finish_reason_for(stop_reason);
    if (json_output_ && stop_reason == "tool_use") finish = "stop";
    Chunk c(*this);
    c.emit(emit, finish, stop_reason, stop_sequence);
    finish_sent_ = true;
}

void StreamTranslator::finish() const {
    if (!done_) protocol("ended before message_stop");
}

}  // namespace nexus::claude
