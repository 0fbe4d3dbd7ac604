#include "chat_request.hpp"

#include "json_util.hpp"

#include "nexus/nexus.hpp"

#include <unordered_map>

namespace nexus::ollama {

namespace {

[[noreturn]] void invalid(const std::string& msg) { throw sdk::Error(NX_ERR_INVALID, "invalid chat request: " + msg); }
[[noreturn]] void unsupported(const std::string& msg) { throw sdk::Error(NX_ERR_UNSUPPORTED, "ollama provider: " + msg); }

std::string at(size_t i) { return "messages[" + std::to_string(i) + "]"; }

// The raw base64 of a data: URL image, as Ollama's `images` wants it.
std::string_view image_base64(std::string_view url, const std::string& where) {
    if (url.rfind("data:", 0) == 0) {
        size_t comma = url.find(',');
        if (comma == std::string_view::npos) invalid(where + ": malformed data: URL");
        std::string_view meta = url.substr(5, comma - 5);
        if (meta.size() < 7 || meta.substr(meta.size() - 7) != ";base64")
            unsupported(where + ": only base64 data: URLs can be sent to Ollama");
        return url.substr(comma + 1);
    }
    if (url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0)
        unsupported(where + ": Ollama takes images inline as base64 and the ollama provider cannot fetch " +
                    "http(s) image URLs; send the image as a data: URL (data:image/png;base64,...)");
    invalid(where + ": image_url.url must be a data: URL");
}

struct FlatContent {
    std::string text;
    std::vector<std::string_view> images;
};

FlatContent flatten(const Value& content, const std::string& where) {
    FlatContent out;
    if (content.IsNull()) return out;
    if (content.IsString()) {
        out.text = as_view(content);
        return out;
    }
    if (!content.IsArray()) invalid(where + ".content must be a string or an array of content parts");
    bool first = true;
    for (rapidjson::SizeType j = 0; j < content.Size(); ++j) {
        const Value& part = content[j];
        std::string pw = where + ".content[" + std::to_string(j) + "]";
        std::string_view type = string_member(part, "type");
        if (type == "text") {
            const Value* text = find_member(part, "text");
            if (!text || !text->IsString()) invalid(pw + ".text must be a string");
            if (!first) out.text += '\n';
            out.text += as_view(*text);
            first = false;
        } else if (type == "image_url") {
            const Value* iu = find_member(part, "image_url");
            std::string_view url = iu && iu->IsString() ? as_view(*iu) : iu ? string_member(*iu, "url") : std::string_view();
            if (url.empty()) invalid(pw + ".image_url.url is missing");
            out.images.push_back(image_base64(url, pw));
        } else if (type == "refusal") {
            continue;
        } else if (type.empty()) {
            invalid(pw + " has no \"type\"");
        } else {
            unsupported(pw + ": content parts of type \"" + std::string(type) + "\" cannot be sent to Ollama");
        }
    }
    return out;
}

// OpenAI's JSON-string arguments -> the object Ollama wants.
Value arguments_object(const Value* args, const std::string& where, Alloc& a) {
    if (!args || args->IsNull()) return Value(rapidjson::kObjectType);
    if (args->IsObject()) return Value(*args, a);
    if (!args->IsString()) invalid(where + " must be a JSON string");
    if (trim(as_view(*args)).empty()) return Value(rapidjson::kObjectType);
    rapidjson::Document parsed(&a);
    if (std::string err = parse_json(parsed, as_view(*args)); !err.empty()) invalid(where + " is not valid JSON (" + err + ")");
    if (!parsed.IsObject()) invalid(where + " must encode a JSON object");
    return Value(parsed, a);
}

Value convert_messages(const Value& messages, Alloc& a) {
    if (!messages.IsArray()) invalid("messages must be an array");
    std::unordered_map<std::string, std::string> tool_names;  // tool call id -> function name
    Value out(rapidjson::kArrayType);
    for (rapidjson::SizeType i = 0; i < messages.Size(); ++i) {
        const Value& m = messages[i];
        if (!m.IsObject()) invalid(at(i) + " must be an object");
        std::string_view role = string_member(m, "role");
        const Value* content = find_member(m, "content");
        FlatContent flat = content ? flatten(*content, at(i)) : FlatContent{};
        Value msg(rapidjson::kObjectType);

        if (role == "system" || role == "developer") msg.AddMember("role", "system", a);
        else if (role == "user" || role == "assistant" || role == "tool") msg.AddMember("role", str(role, a), a);
        else if (role == "function") unsupported(at(i) + ": the deprecated \"function\" role is not supported; use tools and \"tool\" messages");
        else invalid(at(i) + ".role: unknown role \"" + std::string(role) + "\"");
        msg.AddMember("content", str(flat.text, a), a);

        if (!flat.images.empty()) {
            Value images(rapidjson::kArrayType);
            for (std::string_view img : flat.images) images.PushBack(str(img, a), a);
            msg.AddMember("images", std::move(images), a);
        }
        if (role == "assistant") {
            if (std::string_view thinking = string_member(m, "reasoning_content"); !thinking.empty())
                msg.AddMember("thinking", str(thinking, a), a);
            const Value* calls = find_member(m, "tool_calls");
            if (calls && calls->IsArray() && !calls->Empty()) {
                Value out_calls(rapidjson::kArrayType);
                for (rapidjson::SizeType k = 0; k < calls->Size(); ++k) {
                    const Value& call = (*calls)[k];
                    std::string cw = at(i) + ".tool_calls[" + std::to_string(k) + "]";
                    const Value* fn = find_member(call, "function");
                    std::string_view name = fn ? string_member(*fn, "name") : std::string_view();
                    if (name.empty()) invalid(cw + ".function.name is missing");
                    if (std::string_view id = string_member(call, "id"); !id.empty()) tool_names[std::string(id)] = std::string(name);
                    Value f(rapidjson::kObjectType);
                    f.AddMember("name", str(name, a), a);
                    f.AddMember("arguments", arguments_object(find_member(*fn, "arguments"), cw + ".function.arguments", a), a);
                    Value c(rapidjson::kObjectType);
                    c.AddMember("function", std::move(f), a);
                    out_calls.PushBack(std::move(c), a);
                }
                msg.AddMember("tool_calls", std::move(out_calls), a);
            }
        } else if (role == "tool") {
            std::string_view id = string_member(m, "tool_call_id");
            if (auto it = tool_names.find(std::string(id)); it != tool_names.end()) msg.AddMember("tool_name", str(it->second, a), a);
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
        if (type != "function") unsupported(tw + ": tools of type \"" + std::string(type) + "\" cannot be sent to Ollama");
        const Value* fn = find_member(t, "function");
        if (!fn || !fn->IsObject() || string_member(*fn, "name").empty()) invalid(tw + ".function.name is missing");
        Value f(rapidjson::kObjectType);
        for (std::string_view key : {"name", "description", "parameters"})
            if (const Value* v = find_member(*fn, key); v && !v->IsNull()) f.AddMember(str(key, a), Value(*v, a), a);
        Value tool(rapidjson::kObjectType);
        tool.AddMember("type", "function", a);
        tool.AddMember("function", std::move(f), a);
        out.PushBack(std::move(tool), a);
    }
    return out;
}

// response_format -> Ollama `format`; a null Value when there is none to send.
Value convert_format(const Value& rf, Alloc& a) {
    std::string_view type = string_member(rf, "type");
    if (type == "json_object") return Value("json", a);
    if (type == "json_schema") {
        const Value* js = find_member(rf, "json_schema");
        const Value* schema = js ? find_member(*js, "schema") : nullptr;
        if (!schema || !schema->IsObject()) invalid("response_format.json_schema.schema must be an object");
        return Value(*schema, a);
    }
    if (type == "text" || type.empty()) return Value(rapidjson::kNullType);
    unsupported("response_format type \"" + std::string(type) + "\" has no Ollama equivalent");
}

}  // namespace

ChatRequestOut translate_chat_request(std::string_view canonical, std::string_view model, bool stream,
                                      const ProviderConfig& cfg) {
    rapidjson::Document doc;
    if (std::string err = parse_json(doc, canonical); !err.empty()) invalid(err);
    if (!doc.IsObject()) invalid("the body must be a JSON object");
    Alloc& a = doc.GetAllocator();
    if (model.empty()) model = string_member(doc, "model");
    if (model.empty()) invalid("no model (the body has no \"model\" and none was routed)");
    const Value* messages = find_member(doc, "messages");
    if (!messages) invalid("messages is missing");

    ChatRequestOut result;
    Value out(rapidjson::kObjectType);
    Value options(rapidjson::kObjectType);
    Value format, tools, keep_alive, think;
    bool tools_off = false;
    const Value* max_tokens = nullptr;
    const Value* max_completion_tokens = nullptr;

    if (const Value* o = find_member(doc, "options"); o && o->IsObject())
        for (const auto& m : o->GetObject()) set_member(options, as_view(m.name), Value(m.value, a), a);

    for (const auto& m : doc.GetObject()) {
        std::string_view key = as_view(m.name);
        const Value& v = m.value;
        if (key == "model" || key == "messages" || key == "stream" || key == "stream_options" || key == "options") continue;
        if (v.IsNull()) continue;
        if (key == "temperature" || key == "top_p" || key == "top_k" || key == "seed" || key == "presence_penalty" ||
            key == "frequency_penalty" || key == "num_ctx") {
            if (!v.IsNumber()) invalid(std::string(key) + " must be a number");
            set_member(options, key, Value(v, a), a);
        } else if (key == "stop") {
            Value stop(rapidjson::kArrayType);
            if (v.IsString()) stop.PushBack(Value(v, a), a);
            else if (v.IsArray()) stop.CopyFrom(v, a);
            else invalid("stop must be a string or an array of strings");
            set_member(options, "stop", std::move(stop), a);
        } else if (key == "max_tokens") {
            max_tokens = &v;
        } else if (key == "max_completion_tokens") {
            max_completion_tokens = &v;
        } else if (key == "response_format") {
            format = convert_format(v, a);
        } else if (key == "tools") {
            tools = convert_tools(v, a);
        } else if (key == "tool_choice") {
            tools_off = v.IsString() && as_view(v) == "none";  // nothing else has an Ollama equivalent
        } else if (key == "keep_alive") {
            keep_alive.CopyFrom(v, a);
        } else if (key == "think") {
            think.CopyFrom(v, a);
        } else if (key == "n") {
            if (!v.IsInt() || v.GetInt() != 1) unsupported("n > 1 (several choices) is not supported by Ollama");
        } else {
            result.dropped.emplace_back(key);
        }
    }
    if (const Value* limit = max_completion_tokens ? max_completion_tokens : max_tokens) {
        if (!limit->IsInt64()) invalid("max_tokens must be an integer");
        set_member(options, "num_predict", Value(limit->GetInt64()), a);
    }
    if (cfg.num_ctx && !find_member(options, "num_ctx")) options.AddMember("num_ctx", Value(*cfg.num_ctx), a);
    if (keep_alive.IsNull() && !cfg.keep_alive_json.empty()) {
        rapidjson::Document ka(&a);
        ka.Parse(cfg.keep_alive_json.c_str(), cfg.keep_alive_json.size());
        keep_alive.CopyFrom(ka, a);
    }

    out.AddMember("model", str(model, a), a);
    out.AddMember("messages", convert_messages(*messages, a), a);
    if (tools.IsArray() && !tools_off) out.AddMember("tools", std::move(tools), a);
    if (!format.IsNull()) out.AddMember("format", std::move(format), a);
    if (options.MemberCount() > 0) out.AddMember("options", std::move(options), a);
    if (!keep_alive.IsNull()) out.AddMember("keep_alive", std::move(keep_alive), a);
    if (!think.IsNull()) out.AddMember("think", std::move(think), a);
    out.AddMember("stream", stream, a);
    result.body = to_json(out);
    return result;
}

}  // namespace nexus::ollama
