#include "chat_output.hpp"

#include <cstdio>

namespace nexus::ollama {

namespace {

uint64_t mix(uint64_t x) {  // splitmix64 finalizer
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

int64_t count(const Value& obj, std::string_view key) {
    const Value* v = find_member(obj, key);
    return v && v->IsInt64() && v->GetInt64() > 0 ? v->GetInt64() : 0;
}

}  // namespace

std::string completion_id(uint64_t salt) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(mix(salt)));
    return std::string("chatcmpl-ollama-") + hex;
}

std::string tool_call_id(std::string_view completion_id, size_t n) {
    std::string_view tail = completion_id.substr(completion_id.size() >= 8 ? completion_id.size() - 8 : 0);
    return "call_" + std::string(tail) + "_" + std::to_string(n);
}

Value canonical_tool_call(const Value& call, const std::string& id, int index, bool with_index, Alloc& a) {
    const Value* fn = find_member(call, "function");
    std::string_view name = fn ? string_member(*fn, "name") : std::string_view();
    if (name.empty()) return Value(rapidjson::kNullType);
    const Value* args = find_member(*fn, "arguments");
    std::string arguments = !args || args->IsNull() ? "{}" : args->IsString() ? std::string(as_view(*args)) : to_json(*args);

    Value f(rapidjson::kObjectType);
    f.AddMember("name", str(name, a), a);
    f.AddMember("arguments", str(arguments, a), a);
    Value out(rapidjson::kObjectType);
    if (with_index) out.AddMember("index", index, a);
    out.AddMember("id", str(id, a), a);
    out.AddMember("type", "function", a);
    out.AddMember("function", std::move(f), a);
    return out;
}

std::string_view finish_reason(bool had_tool_calls, std::string_view done_reason) {
    if (had_tool_calls) return "tool_calls";
    return done_reason == "length" ? "length" : "stop";
}

Value usage_of(const Value& final_object, Alloc& a) {
    int64_t prompt = count(final_object, "prompt_eval_count"), completion = count(final_object, "eval_count");
    Value u(rapidjson::kObjectType);
    u.AddMember("prompt_tokens", prompt, a);
    u.AddMember("completion_tokens", completion, a);
    u.AddMember("total_tokens", prompt + completion, a);
    return u;
}

}  // namespace nexus::ollama
