#include "chat_request.hpp"

#include "json_util.hpp"
#include "tool_call_ids.hpp"

#include "nexus/nexus.hpp"

#include <algorithm>
#include <array>
#include <unordered_map>

namespace nexus::mistral {

namespace {

[[noreturn]] void invalid(const std::string& msg) { throw sdk::Error(NX_ERR_INVALID, "invalid chat request: " + msg); }
[[noreturn]] void unsupported(const std::string& msg) { throw sdk::Error(NX_ERR_UNSUPPORTED, "mistral provider: " + msg); }

// Top-level members that Mistral takes under the same name and meaning.
constexpr std::array<std::string_view, 12> kPassThrough = {
    "temperature", "top_p", "stop", "n", "presence_penalty", "frequency_penalty", "response_format",
    "parallel_tool_calls", "prediction", "safe_prompt", "prompt_mode", "random_seed"};

bool passes_through(std::string_view key) {
    return std::find(kPassThrough.begin(), kPassThrough.end(), key) != kPassThrough.end();
}

std::string at(size_t i) { return "messages[" + std::to_string(i) + "]"; }

// The URL of an OpenAI image part: image_url is {"url": ...} (or, leniently, a string).
std::string_view image_url_of(const Value& part, const std::string& where) {
    const Value* iu = find_member(part, "image_url");
    std::string_view url = iu && iu->IsString() ? as_view(*iu) : iu ? string_member(*iu, "url") : std::string_view();
    if (url.empty()) invalid(where + ".image_url.url is missing");
    return url;
}

// Content as Mistral takes it: a string, or an array of text (and, for user messages, image)
// chunks with nothing but their documented members.
Value convert_content(Value& content, const std::string& where, bool images_allowed, Alloc& a) {
    if (content.IsString()) return std::move(content);
    if (content.IsNull()) return Value("", a);
    if (!content.IsArray()) invalid(where + ".content must be a string or an array of content parts");
    Value parts(rapidjson::kArrayType);
    for (rapidjson::SizeType j = 0; j < content.Size(); ++j) {
        const Value& part = content[j];
        std::string pw = where + ".content[" + std::to_string(j) + "]";
        std::string_view type = string_member(part, "type");
        if (type == "text") {
            const Value* text = find_member(part, "text");
            if (!text || !text->IsString()) invalid(pw + ".text must be a string");
            Value chunk(rapidjson::kObjectType);
            chunk.AddMember("type", "text", a);
            chunk.AddMember("text", Value(*text, a), a);
            parts.PushBack(std::move(chunk), a);
        } else if (type == "image_url") {
            if (!images_allowed) unsupported(pw + ": image parts are only allowed in user messages");
            Value chunk(rapidjson::kObjectType);
            chunk.AddMember("type", "image_url", a);
            chunk.AddMember("image_url", str(image_url_of(part, pw), a), a);  // docs.mistral.ai vision: a string or {url}
            parts.PushBack(std::move(chunk), a);
        } else if (type == "refusal") {
            continue;  // an earlier assistant refusal: nothing Mistral can take
        } else if (type.empty()) {
            invalid(pw + " has no \"type\"");
        } else {
            unsupported(pw + ": content parts of type \"" + std::string(type) + "\" cannot be sent to Mistral");
        }
    }
    return parts;
}

Value convert_tool_calls(const Value& calls, size_t i, std::unordered_map<std::string, std::string>& names, Alloc& a) {
    if (!calls.IsArray()) invalid(at(i) + ".tool_calls must be an array");
    Value out(rapidjson::kArrayType);
    for (rapidjson::SizeType k = 0; k < calls.Size(); ++k) {
        const Value& call = calls[k];
        std::string cw = at(i) + ".tool_calls[" + std::to_string(k) + "]";
        const Value* fn = find_member(call, "function");
        if (!fn || !fn->IsObject()) invalid(cw + ".function is missing");
        std::string_view name = string_member(*fn, "name");
        if (name.empty()) invalid(cw + ".function.name is missing");
        std::string_view id = string_member(call, "id");
        if (id.empty()) invalid(cw + ".id is missing");
        names[std::string(id)] = std::string(name);

        Value f(rapidjson::kObjectType);
        f.AddMember("name", str(name, a), a);
        const Value* args = find_member(*fn, "arguments");
        if (!args || args->IsNull()) f.AddMember("arguments", "{}", a);
        else if (args->IsString()) f.AddMember("arguments", Value(*args, a), a);
        else f.AddMember("arguments", str(to_json(*args), a), a);  // tolerate an object
        Value c(rapidjson::kObjectType);
        c.AddMember("id", str(to_mistral_tool_call_id(id), a), a);
        c.AddMember("type", "function", a);
        c.AddMember("function", std::move(f), a);
        out.PushBack(std::move(c), a);
    }
    return out;
}

Value convert_messages(Value& messages, Alloc& a) {
    if (!messages.IsArray()) invalid("messages must be an array");
    std::unordered_map<std::string, std::string> tool_names;  // canonical tool call id -> function name
    Value out(rapidjson::kArrayType);
    for (rapidjson::SizeType i = 0; i < messages.Size(); ++i) {
        Value& m = messages[i];
        if (!m.IsObject()) invalid(at(i) + " must be an object");
        std::string_view role = string_member(m, "role");
        Value* content = find_member(m, "content");
        Value none;
        Value& c = content ? *content : none;
        Value msg(rapidjson::kObjectType);

        if (role == "system" || role == "developer") {
            msg.AddMember("role", "system", a);
            msg.AddMember("content", convert_content(c, at(i), false, a), a);
        } else if (role == "user") {
            msg.AddMember("role", "user", a);
            msg.AddMember("content", convert_content(c, at(i), true, a), a);
        } else if (role == "assistant") {
            msg.AddMember("role", "assistant", a);
            const Value* calls = find_member(m, "tool_calls");
            bool has_calls = calls && calls->IsArray() && !calls->Empty();
            if (c.IsNull() && has_calls) msg.AddMember("content", Value(rapidjson::kNullType), a);
            else msg.AddMember("content", convert_content(c, at(i), false, a), a);
            if (has_calls) msg.AddMember("tool_calls", convert_tool_calls(*calls, i, tool_names, a), a);
            if (const Value* prefix = find_member(m, "prefix"); prefix && prefix->IsBool())
                msg.AddMember("prefix", prefix->GetBool(), a);  // Mistral's "continue this text"
        } else if (role == "tool") {
            std::string_view id = string_member(m, "tool_call_id");
            if (id.empty()) invalid(at(i) + ".tool_call_id is missing");
            msg.AddMember("role", "tool", a);
            msg.AddMember("content", convert_content(c, at(i), false, a), a);
            msg.AddMember("tool_call_id", str(to_mistral_tool_call_id(id), a), a);
            if (auto it = tool_names.find(std::string(id)); it != tool_names.end()) msg.AddMember("name", str(it->second, a), a);
        } else if (role == "function") {
            unsupported(at(i) + ": the deprecated \"function\" role is not supported; use tools and \"tool\" messages");
        } else {
            invalid(at(i) + ".role: unknown role \"" + std::string(role) + "\"");
        }
        out.PushBack(std::move(msg), a);
    }
    return out;
}

Value convert_tools(const Value& tools, Alloc& a) {
    if (!tools.IsArray()) invalid("tools must be an array");
    Value out(rapidjson::kArrayType);
    for (rapidjson::SizeType k = 0; k < tools.Size(); ++k) {
        const Value& t = tools[k];
        std::string tw = "tools[" + std::to_string(k) + "]";
        std::string_view type = string_member(t, "type");
        if (type != "function") unsupported(tw + ": tools of type \"" + std::string(type) + "\" cannot be sent to Mistral");
        const Value* fn = find_member(t, "function");
        if (!fn || !fn->IsObject() || string_member(*fn, "name").empty()) invalid(tw + ".function.name is missing");
        Value f(rapidjson::kObjectType);
        for (std::string_view key : {"name", "description", "parameters", "strict"}) {
            if (const Value* v = find_member(*fn, key); v && !v->IsNull()) f.AddMember(str(key, a), Value(*v, a), a);
        }
        Value tool(rapidjson::kObjectType);
        tool.AddMember("type", "function", a);
        tool.AddMember("function", std::move(f), a);
        out.PushBack(std::move(tool), a);
    }
    return out;
}

Value convert_tool_choice(const Value& choice, Alloc& a) {
    if (choice.IsString()) {
        if (as_view(choice) == "required") return Value("any", a);  // same meaning, Mistral's name
        return Value(choice, a);
    }
    if (choice.IsObject() && string_member(choice, "type") == "function") {
        const Value* fn = find_member(choice, "function");
        std::string_view name = fn ? string_member(*fn, "name") : std::string_view();
        if (name.empty()) invalid("tool_choice.function.name is missing");
        Value f(rapidjson::kObjectType);
        f.AddMember("name", str(name, a), a);
        Value out(rapidjson::kObjectType);
        out.AddMember("type", "function", a);
        out.AddMember("function", std::move(f), a);
        return out;
    }
    unsupported("this form of tool_choice cannot be sent to Mistral (use \"auto\", \"none\", \"required\" or a function)");
}

}  // namespace

ChatRequestOut translate_chat_request(std::string_view canonical, std::string_view model, bool stream) {
    rapidjson::Document doc;
    if (std::string err = parse_json(doc, canonical); !err.empty()) invalid(err);
    if (!doc.IsObject()) invalid("the body must be a JSON object");
    Alloc& a = doc.GetAllocator();

    std::string_view body_model = string_member(doc, "model");
    if (model.empty()) model = body_model;
    if (model.empty()) invalid("no model (the body has no \"model\" and none was routed)");
    const Value* messages = find_member(doc, "messages");
    if (!messages) invalid("messages is missing");
    bool has_mct = find_member(doc, "max_completion_tokens") && !find_member(doc, "max_completion_tokens")->IsNull();
    bool has_random_seed = find_member(doc, "random_seed") != nullptr;

    ChatRequestOut result;
    Value out(rapidjson::kObjectType);
    out.AddMember("model", str(model, a), a);
    for (auto& m : doc.GetObject()) {
        std::string_view key = as_view(m.name);
        if (key == "model" || key == "stream" || key == "stream_options") continue;
        if (key == "messages") {
            out.AddMember("messages", convert_messages(m.value, a), a);
            continue;
        }
        if (m.value.IsNull()) continue;
        if (key == "max_completion_tokens" || (key == "max_tokens" && !has_mct)) {
            set_member(out, "max_tokens", std::move(m.value), a);
        } else if (key == "max_tokens") {
            continue;  // superseded by max_completion_tokens
        } else if (key == "seed") {
            if (!has_random_seed) set_member(out, "random_seed", std::move(m.value), a);
        } else if (key == "tool_choice") {
            set_member(out, "tool_choice", convert_tool_choice(m.value, a), a);
        } else if (key == "tools") {
            set_member(out, "tools", convert_tools(m.value, a), a);
        } else if (passes_through(key)) {
            set_member(out, key, std::move(m.value), a);
        } else {
            result.dropped.emplace_back(key);
        }
    }
    out.AddMember("stream", stream, a);
    result.body = to_json(out);
    return result;
}

}  // namespace nexus::mistral
