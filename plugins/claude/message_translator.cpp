#include "message_translator.hpp"

#include "content_blocks.hpp"

#include <string>
#include <vector>

namespace nexus::claude {

using rapidjson::Value;

namespace {

struct SystemPart {
    std::string_view text;
    const Value* cache_control = nullptr;
};

void collect_system(const Value& msg, const std::string& where, std::vector<SystemPart>& out) {
    const Value* content = find_member(msg, "content");
    size_t first = out.size();
    if (!content || content->IsNull()) {
        // nothing to hoist
    } else if (content->IsString()) {
        if (content->GetStringLength() > 0) out.push_back({as_view(*content), nullptr});
    } else if (content->IsArray()) {
        for (rapidjson::SizeType i = 0; i < content->Size(); ++i) {
            const Value& part = (*content)[i];
            std::string at = where + ".content[" + std::to_string(i) + "]";
            if (!part.IsObject() || string_member(part, "type") != "text" || !find_member(part, "text") ||
                !part["text"].IsString())
                throw_invalid(at, "system and developer messages may only hold text parts");
            if (part["text"].GetStringLength() == 0) continue;
            const Value* cc = find_present(part, "cache_control");
            if (cc && !cc->IsObject()) throw_invalid(at + ".cache_control", "must be an object");
            out.push_back({as_view(part["text"]), cc});
        }
    } else {
        throw_invalid(where + ".content", "must be a string or an array of text parts");
    }
    const Value* cc = find_present(msg, "cache_control");
    if (cc && out.size() > first && !out.back().cache_control) {
        if (!cc->IsObject()) throw_invalid(where + ".cache_control", "must be an object");
        out.back().cache_control = cc;
    }
}

Value build_system(const std::vector<SystemPart>& parts, Alloc& alloc) {
    if (parts.empty()) return Value();
    bool cached = false;
    for (const auto& p : parts) cached = cached || p.cache_control;
    if (!cached) {
        std::string joined;
        for (const auto& p : parts) {
            if (!joined.empty()) joined += "\n\n";
            joined += p.text;
        }
        return str(joined, alloc);
    }
    Value blocks(rapidjson::kArrayType);
    for (const auto& p : parts) {
        Value b(rapidjson::kObjectType);
        add(b, "type", Value("text"), alloc);
        add(b, "text", str(p.text, alloc), alloc);
        if (p.cache_control) add(b, "cache_control", Value(*p.cache_control, alloc), alloc);
        blocks.PushBack(std::move(b), alloc);
    }
    return blocks;
}

// OpenAI's arguments string (or, from Mistral-style clients, an object) -> `input`.
Value tool_input(const Value* arguments, Alloc& alloc, const std::string& where) {
    if (!arguments || arguments->IsNull()) return Value(rapidjson::kObjectType);
    if (arguments->IsObject()) return Value(*arguments, alloc);
    if (!arguments->IsString()) throw_invalid(where, "must be a JSON-encoded string");
    std::string_view text = as_view(*arguments);
    if (trim(text).empty()) return Value(rapidjson::kObjectType);
    rapidjson::Document parsed;
    if (std::string err = parse_json(parsed, text); !err.empty()) throw_invalid(where, "is not valid JSON (" + err + ")");
    if (!parsed.IsObject()) throw_invalid(where, "must encode a JSON object (Anthropic tool input is an object)");
    return Value(parsed, alloc);
}

void append_thinking(const Value& msg, Value& blocks, Alloc& alloc, const std::string& where) {
    const Value* thinking = find_present(msg, "thinking_blocks");
    if (!thinking) return;
    if (!thinking->IsArray()) throw_invalid(where + ".thinking_blocks", "must be an array");
    for (rapidjson::SizeType i = 0; i < thinking->Size(); ++i) {
        const Value& b = (*thinking)[i];
        if (!b.IsObject() || string_member(b, "type").empty())
            throw_invalid(where + ".thinking_blocks[" + std::to_string(i) + "]", "must be a thinking or redacted_thinking block");
        blocks.PushBack(Value(b, alloc), alloc);  // verbatim: the signature is what makes it valid
    }
}

void append_tool_calls(const Value& msg, Value& blocks, Alloc& alloc, const std::string& where) {
    const Value* calls = find_present(msg, "tool_calls");
    if (!calls) return;
    if (!calls->IsArray()) throw_invalid(where + ".tool_calls", "must be an array");
    for (rapidjson::SizeType i = 0; i < calls->Size(); ++i) {
        const Value& call = (*calls)[i];
        std::string at = where + ".tool_calls[" + std::to_string(i) + "]";
        if (!call.IsObject()) throw_invalid(at, "must be an object");
        std::string_view type = string_member(call, "type");
        if (!type.empty() && type != "function") throw_unsupported(at, "tool calls of type '" + std::string(type) + "'");
        std::string_view id = string_member(call, "id");
        if (id.empty()) throw_invalid(at + ".id", "is required");
        const Value* fn = find_member(call, "function");
        if (!fn || !fn->IsObject()) throw_invalid(at + ".function", "is required");
        std::string_view name = string_member(*fn, "name");
        if (name.empty()) throw_invalid(at + ".function.name", "is required");
        Value b(rapidjson::kObjectType);
        add(b, "type", Value("tool_use"), alloc);
        add(b, "id", str(id, alloc), alloc);
        add(b, "name", str(name, alloc), alloc);
        add(b, "input", tool_input(find_member(*fn, "arguments"), alloc, at + ".function.arguments"), alloc);
        blocks.PushBack(std::move(b), alloc);
    }
}

Value tool_result(const Value& msg, Alloc& alloc, const std::string& where) {
    std::string_view id = string_member(msg, "tool_call_id");
    if (id.empty()) throw_invalid(where + ".tool_call_id", "is required on tool messages");
    Value b(rapidjson::kObjectType);
    add(b, "type", Value("tool_result"), alloc);
    add(b, "tool_use_id", str(id, alloc), alloc);
    const Value* content = find_member(msg, "content");
    if (content && content->IsString()) {
        if (content->GetStringLength() > 0) add(b, "content", Value(*content, alloc), alloc);
    } else if (content && !content->IsNull()) {
        Value inner(rapidjson::kArrayType);
        append_content(*content, inner, alloc, where + ".content", PartSet::tool_result);
        add(b, "content", std::move(inner), alloc);
    }
    return b;
}

void apply_message_cache_control(const Value& msg, Value& blocks, Alloc& alloc, const std::string& where) {
    const Value* cc = find_present(msg, "cache_control");
    if (!cc || blocks.Empty()) return;
    if (!cc->IsObject()) throw_invalid(where + ".cache_control", "must be an object");
    Value& last = blocks[blocks.Size() - 1];
    if (!last.HasMember("cache_control")) add(last, "cache_control", Value(*cc, alloc), alloc);
}

// tool_result blocks first, the rest after, each group in its original order.
void tool_results_first(Value& content, Alloc& alloc) {
    bool other_seen = false, misplaced = false;
    for (const auto& b : content.GetArray()) {
        bool is_result = string_member(b, "type") == "tool_result";
        misplaced = misplaced || (is_result && other_seen);
        other_seen = other_seen || !is_result;
    }
    if (!misplaced) return;
    Value ordered(rapidjson::kArrayType);
    for (int pass = 0; pass < 2; ++pass) {
        for (auto& b : content.GetArray()) {
            bool is_result = string_member(b, "type") == "tool_result";
            if (is_result == (pass == 0)) ordered.PushBack(Value(b, alloc), alloc);
        }
    }
    content = std::move(ordered);
}

}  // namespace

TranslatedMessages translate_messages(const Value& messages, Alloc& alloc) {
    if (!messages.IsArray()) throw_invalid("messages", "must be an array");
    if (messages.Empty()) throw_invalid("messages", "must not be empty");

    std::vector<SystemPart> system;
    Value out(rapidjson::kArrayType);
    for (rapidjson::SizeType i = 0; i < messages.Size(); ++i) {
        const Value& msg = messages[i];
        std::string where = "messages[" + std::to_string(i) + "]";
        if (!msg.IsObject()) throw_invalid(where, "must be an object");
        std::string_view role = string_member(msg, "role");
        if (role == "system" || role == "developer") {
            collect_system(msg, where, system);
            continue;
        }
        Value blocks(rapidjson::kArrayType);
        const Value* content = find_member(msg, "content");
        static const Value kNull;
        const Value& c = content ? *content : kNull;
        if (role == "user") {
            append_content(c, blocks, alloc, where + ".content", PartSet::user);
        } else if (role == "assistant") {
            append_thinking(msg, blocks, alloc, where);
            append_content(c, blocks, alloc, where + ".content", PartSet::text);
            append_tool_calls(msg, blocks, alloc, where);
        } else if (role == "tool") {
            blocks.PushBack(tool_result(msg, alloc, where), alloc);
        } else if (role == "function") {
            throw_unsupported(where, "the deprecated 'function' role (send tool messages with tool_call_id)");
        } else {
            throw_invalid(where + ".role", role.empty() ? "is required" : "unknown role '" + std::string(role) + "'");
        }
        apply_message_cache_control(msg, blocks, alloc, where);
        if (blocks.Empty()) continue;  // e.g. an empty user string: Anthropic refuses empty content

        std::string_view anthropic_role = role == "assistant" ? "assistant" : "user";
        if (!out.Empty() && string_member(out[out.Size() - 1], "role") == anthropic_role) {
            Value& prev = out[out.Size() - 1]["content"];
            for (auto& b : blocks.GetArray()) prev.PushBack(std::move(b), alloc);
            continue;
        }
        Value m(rapidjson::kObjectType);
        add(m, "role", str(anthropic_role, alloc), alloc);
        add(m, "content", std::move(blocks), alloc);
        out.PushBack(std::move(m), alloc);
    }
    for (auto& m : out.GetArray())
        if (string_member(m, "role") == "user") tool_results_first(m["content"], alloc);
    return TranslatedMessages{build_system(system, alloc), std::move(out)};
}

}  // namespace nexus::claude
