#include "stream_translator.hpp"

#include "error_classifier.hpp"
#include "json_util.hpp"
#include "message_content.hpp"

#include "nexus/nexus.hpp"

namespace nexus::mistral {

namespace {

constexpr int kStreamStatus = 200;  // a stream only opens on a 2xx

[[noreturn]] void protocol(const std::string& what) { throw sdk::UpstreamError(NX_EC_PROTOCOL, kStreamStatus, -1, what); }

}  // namespace

nx_stream_result StreamTranslator::on_event(std::string_view event, std::string_view data, const Emit& emit) {
    if (done_) return NX_STREAM_DONE;  // nothing counts after [DONE]
    data = trim(data);
    if (data == "[DONE]") {
        done_ = true;
        return NX_STREAM_DONE;
    }
    if (data.empty()) {
        if (event == "error") throw sdk::UpstreamError(NX_EC_SERVER, kStreamStatus, -1, "Mistral sent an error event");
        return NX_STREAM_CONTINUE;  // keep-alive
    }

    rapidjson::Document doc;
    if (std::string err = parse_json(doc, data); !err.empty()) {
        if (event == "error") throw sdk::UpstreamError(NX_EC_SERVER, kStreamStatus, -1, "Mistral error: " + std::string(data.substr(0, 200)));
        protocol("Mistral stream event is not JSON (" + err + ")");
    }
    if (!doc.IsObject()) protocol("Mistral stream event is not a JSON object");
    if (event == "error" || is_error_object(doc)) throw classify_inband_error(doc, kStreamStatus);
    Alloc& a = doc.GetAllocator();

    Value usage;
    if (Value* u = find_member(doc, "usage")) {
        usage = std::move(*u);
        doc.RemoveMember("usage");
    }
    Value* choices = find_member(doc, "choices");
    if (choices && !choices->IsArray()) protocol("Mistral stream chunk has a \"choices\" that is not an array");
    if (!choices && !usage.IsObject()) protocol("Mistral stream chunk has neither \"choices\" nor \"usage\"");
    set_member(doc, "object", str("chat.completion.chunk", a), a);

    if (choices && !choices->Empty()) {
        for (auto& choice : choices->GetArray()) {
            if (!choice.IsObject()) protocol("Mistral stream chunk has a choice that is not an object");
            const Value* idx = find_member(choice, "index");
            int index = idx && idx->IsInt() ? idx->GetInt() : 0;
            if (!idx) choice.AddMember("index", index, a);
            ChoiceState& st = choices_[index];

            Value* delta = find_member(choice, "delta");
            if (!delta || !delta->IsObject()) {
                set_member(choice, "delta", Value(rapidjson::kObjectType), a);
                delta = find_member(choice, "delta");
            }
            if (Value* content = find_member(*delta, "content"); content && content->IsArray()) {
                auto flat = flatten_content(*content);
                if (!flat) protocol("Mistral stream chunk has content of an unknown shape");
                *content = str(flat->text, a);
                if (!flat->reasoning.empty()) set_member(*delta, "reasoning_content", str(flat->reasoning, a), a);
            }
            if (!st.role_sent) {
                set_member(*delta, "role", str("assistant", a), a);
                st.role_sent = true;
            }
            if (Value* calls = find_member(*delta, "tool_calls"); calls && calls->IsArray()) {
                for (auto& call : calls->GetArray()) {
                    if (!normalize_tool_call(call, a, "")) protocol("Mistral stream chunk has a malformed tool call");
                    std::string id(string_member(call, "id"));
                    const Value* ci = find_member(call, "index");
                    int tool_index;
                    if (ci && ci->IsInt()) {
                        tool_index = ci->GetInt();
                        if (tool_index >= st.next_tool_index) st.next_tool_index = tool_index + 1;
                    } else if (!id.empty()) {
                        auto it = st.tool_index_by_id.find(id);
                        tool_index = it != st.tool_index_by_id.end() ? it->second : st.next_tool_index++;
                    } else {
                        tool_index = st.last_tool_index >= 0 ? st.last_tool_index : 0;  // a continuation fragment
                    }
                    if (!id.empty()) st.tool_index_by_id[id] = tool_index;
                    st.last_tool_index = tool_index;
                    set_member(call, "index", Value(tool_index), a);
                }
            } else if (calls && calls->IsNull()) {
                delta->RemoveMember("tool_calls");
            }
            std::string_view native = string_member(choice, "finish_reason");
            if (native == "error")
                throw sdk::UpstreamError(NX_EC_SERVER, kStreamStatus, -1, "Mistral stopped the generation with finish_reason \"error\"");
            if (!native.empty() && canonical_finish_reason(native) != native) {
                Value original = str(native, a);
                set_member(choice, "finish_reason", str(canonical_finish_reason(native), a), a);
                set_member(choice, "native_finish_reason", std::move(original), a);
            }
        }
        emit(to_json(doc));
    }

    if (usage.IsObject() && !usage_sent_) {
        // The same chunk header, no choices, the usage: the canonical usage chunk.
        Value* ch = find_member(doc, "choices");
        if (ch) ch->SetArray();
        else doc.AddMember("choices", Value(rapidjson::kArrayType), a);
        doc.AddMember("usage", std::move(usage), a);
        emit(to_json(doc));
        usage_sent_ = true;
    }
    return NX_STREAM_CONTINUE;
}

void StreamTranslator::finish() const {
    if (!done_) protocol("Mistral stream ended before [DONE]");
}

}  // namespace nexus::mistral
