#include "message_content.hpp"

namespace nexus::mistral {

namespace {

// Appends the text of a chunk list, recursing into thinking chunks. False on a bad shape.
bool collect(const Value& chunks, FlatContent& out, bool thinking) {
    if (!chunks.IsArray()) return false;
    for (const auto& chunk : chunks.GetArray()) {
        std::string_view type = string_member(chunk, "type");
        if (type == "text") {
            (thinking ? out.reasoning : out.text) += string_member(chunk, "text");
        } else if (type == "thinking") {
            const Value* inner = find_member(chunk, "thinking");
            if (inner && inner->IsString()) out.reasoning += as_view(*inner);
            else if (!inner || !collect(*inner, out, true)) return false;
        } else if (!chunk.IsObject()) {
            return false;
        }
        // Other chunk types (references, images in the reply) carry no text to pass on.
    }
    return true;
}

}  // namespace

std::optional<FlatContent> flatten_content(const Value& content) {
    FlatContent out;
    if (content.IsNull()) return out;
    if (content.IsString()) {
        out.text = as_view(content);
        return out;
    }
    if (!collect(content, out, false)) return std::nullopt;
    return out;
}

bool normalize_tool_call(Value& call, Alloc& a, std::string_view missing_arguments) {
    if (!call.IsObject()) return false;
    if (find_member(call, "id") && string_member(call, "type").empty()) set_member(call, "type", str("function", a), a);
    Value* fn = find_member(call, "function");
    if (!fn) return true;  // a stream fragment may carry nothing but its index
    if (!fn->IsObject()) return false;
    Value* args = find_member(*fn, "arguments");
    if (!args || args->IsNull()) set_member(*fn, "arguments", str(missing_arguments, a), a);
    else if (!args->IsString()) *args = str(to_json(*args), a);
    return true;
}

std::string_view canonical_finish_reason(std::string_view mistral) {
    if (mistral == "stop" || mistral == "length" || mistral == "tool_calls") return mistral;
    if (mistral == "model_length") return "length";
    return "stop";
}

}  // namespace nexus::mistral
