#include "stream_assembly.hpp"

#include "json_util.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace nexus::cache {
namespace {

using rapidjson::Value;

void take_string(const Value& obj, const char* name, std::string& out) {
    if (const Value* v = mw::member(obj, name); v && v->IsString()) out = mw::as_view(*v);
}

}  // namespace

void StreamAssembly::append(std::string& to, std::string_view piece) {
    bytes_ += piece.size();
    if (bytes_ > max_bytes_) spoiled_ = true;
    else to.append(piece);
}

void StreamAssembly::add(std::string_view chunk_json) {
    if (spoiled_) return;
    rapidjson::Document d;
    if (!mw::parse_json(d, chunk_json) || !d.IsObject()) {
        spoiled_ = true;
        return;
    }
    take_string(d, "id", id_);
    take_string(d, "model", model_);
    take_string(d, "system_fingerprint", system_fingerprint_);
    take_string(d, "service_tier", service_tier_);
    if (const Value* c = mw::member(d, "created"); c && c->IsInt64()) created_ = c->GetInt64();
    if (const Value* u = mw::member(d, "usage"); u && u->IsObject()) usage_json_ = mw::to_json(*u);
    const Value* choices = mw::member(d, "choices");
    if (!choices) return;
    if (!choices->IsArray()) {
        spoiled_ = true;
        return;
    }
    for (const auto& c : choices->GetArray())
        if (!add_choice(c)) {
            spoiled_ = true;
            return;
        }
}

bool StreamAssembly::add_choice(const Value& c) {
    if (!c.IsObject()) return false;
    const Value* index = mw::member(c, "index");
    Choice& out = choices_[index && index->IsInt64() ? index->GetInt64() : 0];
    if (const Value* lp = mw::member(c, "logprobs"); lp && !lp->IsNull()) return false;
    take_string(c, "finish_reason", out.finish_reason);
    take_string(c, "native_finish_reason", out.native_finish_reason);
    take_string(c, "stop_sequence", out.stop_sequence);
    const Value* delta = mw::member(c, "delta");
    if (!delta || delta->IsNull()) return true;
    if (!delta->IsObject()) return false;
    for (const auto& m : delta->GetObject()) {
        std::string_view name = mw::as_view(m.name);
        const Value& v = m.value;
        if (name == "role") continue;
        if (v.IsNull()) continue;
        if (name == "content" || name == "refusal" || name == "reasoning_content") {
            if (!v.IsString()) return false;
            auto& field = name == "content" ? out.content : name == "refusal" ? out.refusal : out.reasoning;
            if (!field) field.emplace();
            append(*field, mw::as_view(v));
            if (name == "reasoning_content") append(out.thinking, mw::as_view(v));
        } else if (name == "thinking_signature") {
            if (!v.IsString()) return false;
            rapidjson::Document block(rapidjson::kObjectType);
            auto& a = block.GetAllocator();
            block.AddMember("type", "thinking", a);
            block.AddMember("thinking", Value(out.thinking.data(), rapidjson::SizeType(out.thinking.size()), a), a);
            block.AddMember("signature", Value(v, a), a);
            out.thinking_blocks.push_back(mw::to_json(block));
            out.thinking.clear();
        } else if (name == "thinking_blocks") {
            if (!v.IsArray()) return false;
            for (const auto& b : v.GetArray()) out.thinking_blocks.push_back(mw::to_json(b));
        } else if (name == "tool_calls") {
            if (!v.IsArray()) return false;
            for (const auto& tc : v.GetArray()) {
                const Value* ti = mw::member(tc, "index");
                if (!ti || !ti->IsInt64()) return false;
                ToolCall& call = out.tool_calls[ti->GetInt64()];
                take_string(tc, "id", call.id);
                take_string(tc, "type", call.type);
                if (const Value* fn = mw::member(tc, "function"); fn && fn->IsObject()) {
                    if (const Value* n = mw::member(*fn, "name"); n && n->IsString()) append(call.name, mw::as_view(*n));
                    if (const Value* a = mw::member(*fn, "arguments"); a && a->IsString())
                        append(call.arguments, mw::as_view(*a));
                }
            }
        } else {
            return false;  // a delta member this assembly cannot rebuild (audio, function_call, ...)
        }
    }
    return !spoiled_;
}

std::optional<std::string> StreamAssembly::completion() const {
    if (spoiled_ || choices_.empty()) return std::nullopt;
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    auto str = [&w](std::string_view s) { w.String(s.data(), rapidjson::SizeType(s.size())); };
    w.StartObject();
    w.Key("id");
    str(id_);
    w.Key("object");
    str("chat.completion");
    w.Key("created");
    w.Int64(created_);
    w.Key("model");
    str(model_);
    w.Key("choices");
    w.StartArray();
    for (const auto& [index, c] : choices_) {
        if (c.finish_reason.empty()) return std::nullopt;
        w.StartObject();
        w.Key("index");
        w.Int64(index);
        w.Key("message");
        w.StartObject();
        w.Key("role");
        str("assistant");
        w.Key("content");
        if (c.content) str(*c.content);
        else if (c.tool_calls.empty()) str("");
        else w.Null();
        w.Key("refusal");
        if (c.refusal) str(*c.refusal);
        else w.Null();
        if (!c.tool_calls.empty()) {
            w.Key("tool_calls");
            w.StartArray();
            for (const auto& [_, tc] : c.tool_calls) {
                w.StartObject();
                w.Key("id");
                str(tc.id);
                w.Key("type");
                str(tc.type);
                w.Key("function");
                w.StartObject();
                w.Key("name");
                str(tc.name);
                w.Key("arguments");
                str(tc.arguments);
                w.EndObject();
                w.EndObject();
            }
            w.EndArray();
        }
        if (c.reasoning) {
            w.Key("reasoning_content");
            str(*c.reasoning);
        }
        if (!c.thinking_blocks.empty()) {
            w.Key("thinking_blocks");
            w.StartArray();
            for (const auto& b : c.thinking_blocks) w.RawValue(b.data(), b.size(), rapidjson::kObjectType);
            w.EndArray();
        }
        w.EndObject();
        w.Key("logprobs");
        w.Null();
        w.Key("finish_reason");
        str(c.finish_reason);
        if (!c.native_finish_reason.empty()) {
            w.Key("native_finish_reason");
            str(c.native_finish_reason);
        }
        if (!c.stop_sequence.empty()) {
            w.Key("stop_sequence");
            str(c.stop_sequence);
        }
        w.EndObject();
    }
    w.EndArray();
    if (!usage_json_.empty()) {
        w.Key("usage");
        w.RawValue(usage_json_.data(), usage_json_.size(), rapidjson::kObjectType);
    }
    if (!system_fingerprint_.empty()) {
        w.Key("system_fingerprint");
        str(system_fingerprint_);
    }
    if (!service_tier_.empty()) {
        w.Key("service_tier");
        str(service_tier_);
    }
    w.EndObject();
    return std::string(sb.GetString(), sb.GetSize());
}

}  // namespace nexus::cache
