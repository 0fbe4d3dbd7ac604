#include "stream_translator.hpp"

#include "chat_output.hpp"
#include "error_classifier.hpp"
#include "json_util.hpp"
#include "timestamps.hpp"

#include "nexus/nexus.hpp"

namespace nexus::ollama {

namespace {

constexpr int kStreamStatus = 200;  // a stream only opens on a 2xx

[[noreturn]] void protocol(const std::string& what) { throw sdk::UpstreamError(NX_EC_PROTOCOL, kStreamStatus, -1, what); }

std::string json_string(std::string_view s) {
    rapidjson::Document d;
    return to_json(str(s, d.GetAllocator()));
}

}  // namespace

StreamTranslator::StreamTranslator(std::string id, int64_t now_unix_s, std::string model)
    : id_(std::move(id)), created_(now_unix_s), model_(std::move(model)) {}

std::string StreamTranslator::chunk(std::string_view delta_json, std::string_view finish, std::string_view native_finish) const {
    std::string out = "{\"id\":" + json_string(id_) + ",\"object\":\"chat.completion.chunk\",\"created\":" +
                      std::to_string(created_) + ",\"model\":" + json_string(model_) + ",\"choices\":[{\"index\":0,\"delta\":";
    out += delta_json;
    out += ",\"logprobs\":null,\"finish_reason\":";
    out += finish.empty() ? "null" : json_string(finish);
    if (!native_finish.empty()) out += ",\"native_finish_reason\":" + json_string(native_finish);
    out += "}]}";
    return out;
}

nx_stream_result StreamTranslator::on_line(std::string_view line, const Emit& emit) {
    if (done_) return NX_STREAM_DONE;
    line = trim(line);
    if (line.empty()) return NX_STREAM_CONTINUE;

    rapidjson::Document doc;
    if (std::string err = parse_json(doc, line); !err.empty()) protocol("Ollama stream line is not JSON (" + err + ")");
    if (!doc.IsObject()) protocol("Ollama stream line is not a JSON object");
    if (const Value* e = find_member(doc, "error"); e && !e->IsNull())
        throw classify_inband_error(e->IsString() ? as_view(*e) : std::string_view(to_json(*e)), kStreamStatus);
    Alloc& a = doc.GetAllocator();

    if (!created_known_) {  // the first line sets the header every chunk repeats
        if (auto t = parse_rfc3339_seconds(string_member(doc, "created_at"))) created_ = *t;
        if (std::string_view m = string_member(doc, "model"); !m.empty()) model_ = m;
        created_known_ = true;
    }

    const Value* done = find_member(doc, "done");
    bool is_done = done && done->IsBool() && done->GetBool();
    const Value* message = find_member(doc, "message");

    Value delta(rapidjson::kObjectType);
    bool has_payload = false;
    if (!role_sent_) delta.AddMember("role", "assistant", a);
    if (message && message->IsObject()) {
        if (std::string_view content = string_member(*message, "content"); !content.empty()) {
            delta.AddMember("content", str(content, a), a);
            has_payload = true;
        }
        if (std::string_view thinking = string_member(*message, "thinking"); !thinking.empty()) {
            delta.AddMember("reasoning_content", str(thinking, a), a);
            has_payload = true;
        }
        if (const Value* tc = find_member(*message, "tool_calls"); tc && tc->IsArray() && !tc->Empty()) {
            Value calls(rapidjson::kArrayType);
            for (const auto& call : tc->GetArray()) {
                std::string_view upstream_id = string_member(call, "id");
                std::string call_id = upstream_id.empty() ? tool_call_id(id_, size_t(tool_calls_)) : std::string(upstream_id);
                Value c = canonical_tool_call(call, call_id, tool_calls_, true, a);
                if (c.IsNull()) protocol("Ollama stream line has a tool call without a function name");
                calls.PushBack(std::move(c), a);
                ++tool_calls_;
            }
            delta.AddMember("tool_calls", std::move(calls), a);
            has_payload = true;
        }
    } else if (!is_done) {
        protocol("Ollama stream line has neither \"message\" nor \"done\":true");
    }

    if (has_payload || !role_sent_) {
        if (!has_payload) delta.AddMember("content", "", a);  // the role chunk
        emit(chunk(to_json(delta), {}, {}));
        role_sent_ = true;
    }
    if (!is_done) return NX_STREAM_CONTINUE;

    std::string_view done_reason = string_member(doc, "done_reason");
    std::string_view finish = finish_reason(tool_calls_ > 0, done_reason);
    emit(chunk("{}", finish, done_reason != finish ? done_reason : std::string_view()));

    Value usage = usage_of(doc, a);
    emit("{\"id\":" + json_string(id_) + ",\"object\":\"chat.completion.chunk\",\"created\":" + std::to_string(created_) +
         ",\"model\":" + json_string(model_) + ",\"choices\":[],\"usage\":" + to_json(usage) + "}");
    done_ = true;
    return NX_STREAM_DONE;
}

void StreamTranslator::finish() const {
    if (!done_) protocol("Ollama stream ended before its done:true line");
}

}  // namespace nexus::ollama
