#include "core/stream_replay.hpp"

#include "core/json_text.hpp"

#include <rapidjson/document.h>

namespace nexus::core {

namespace {
using rapidjson::Document;
using rapidjson::Value;

// A chunk skeleton carrying the completion's id, created and model.
Document chunk_base(const Value& completion) {
    Document c(rapidjson::kObjectType);
    auto& a = c.GetAllocator();
    for (const char* key : {"id", "created", "model", "system_fingerprint"})
        if (auto* v = member(completion, key)) c.AddMember(Value(key, a), Value(*v, a), a);
    c.AddMember("object", "chat.completion.chunk", a);
    return c;
}
}  // namespace

std::vector<std::string> response_as_chunks(std::string_view canonical) {
    std::vector<std::string> out;
    Document doc;
    if (!parse_json(canonical, doc, nullptr) || !doc.IsObject()) return out;
    const Value* choices = member(doc, "choices");
    if (choices && choices->IsArray()) {
        for (const auto& choice : choices->GetArray()) {
            const Value* msg = member(choice, "message");
            const Value* index = member(choice, "index");
            int idx = index && index->IsInt() ? index->GetInt() : 0;
            Document c = chunk_base(doc);
            auto& a = c.GetAllocator();
            Value delta(rapidjson::kObjectType);
            delta.AddMember("role", "assistant", a);
            if (msg) {
                if (auto* content = member(*msg, "content"); content && content->IsString())
                    delta.AddMember("content", Value(*content, a), a);
                if (auto* rc = member(*msg, "reasoning_content"); rc && rc->IsString())
                    delta.AddMember("reasoning_content", Value(*rc, a), a);
                if (auto* calls = member(*msg, "tool_calls"); calls && calls->IsArray() && !calls->Empty()) {
                    Value tc(rapidjson::kArrayType);
                    int i = 0;
                    for (const auto& call : calls->GetArray()) {
                        Value item(call, a);
                        item.AddMember("index", i++, a);
                        tc.PushBack(item, a);
                    }
                    delta.AddMember("tool_calls", tc, a);
                }
            }
            Value ch(rapidjson::kObjectType);
            ch.AddMember("index", idx, a);
            ch.AddMember("delta", delta, a);
            ch.AddMember("finish_reason", rapidjson::Value(rapidjson::kNullType), a);
            Value arr(rapidjson::kArrayType);
            arr.PushBack(ch, a);
            c.AddMember("choices", arr, a);
            out.push_back(to_json(c));

            Document fin = chunk_base(doc);
            auto& fa = fin.GetAllocator();
            Value fch(rapidjson::kObjectType);
            fch.AddMember("index", idx, fa);
            fch.AddMember("delta", Value(rapidjson::kObjectType), fa);
            const Value* fr = member(choice, "finish_reason");
            fch.AddMember("finish_reason", fr ? Value(*fr, fa) : Value("stop"), fa);
            Value farr(rapidjson::kArrayType);
            farr.PushBack(fch, fa);
            fin.AddMember("choices", farr, fa);
            out.push_back(to_json(fin));
        }
    }
    if (const Value* usage = member(doc, "usage"); usage && usage->IsObject()) {
        Document u = chunk_base(doc);
        auto& a = u.GetAllocator();
        u.AddMember("choices", Value(rapidjson::kArrayType), a);
        u.AddMember("usage", Value(*usage, a), a);
        out.push_back(to_json(u));
    }
    return out;
}

}  // namespace nexus::core
