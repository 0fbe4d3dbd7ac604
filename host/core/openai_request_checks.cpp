// Field rules from the OpenAI API reference (Chat Completions, Embeddings):
// https://platform.openai.com/docs/api-reference/chat/create
#include "core/openai_request_checks.hpp"

#include <string>

namespace nexus::core {

namespace {

const char* type_name(const rapidjson::Value& v) {
    if (v.IsNull()) return "null";
    if (v.IsBool()) return "boolean";
    if (v.IsNumber()) return "number";
    if (v.IsString()) return "string";
    if (v.IsArray()) return "array";
    return "object";
}

bool wrong(ApiError* e, const std::string& field, const char* expected, const rapidjson::Value& v) {
    *e = ApiError::invalid("'" + field + "': expected " + expected + ", found " + type_name(v), field);
    return false;
}

using Check = bool (*)(const rapidjson::Value&);
bool is_number(const rapidjson::Value& v) { return v.IsNumber(); }
bool is_int(const rapidjson::Value& v) { return v.IsInt64(); }
bool is_bool(const rapidjson::Value& v) { return v.IsBool(); }
bool is_string(const rapidjson::Value& v) { return v.IsString(); }
bool is_object(const rapidjson::Value& v) { return v.IsObject(); }
bool is_array(const rapidjson::Value& v) { return v.IsArray(); }
bool is_stop(const rapidjson::Value& v) {
    if (v.IsString() || v.IsNull()) return true;
    if (!v.IsArray()) return false;
    for (const auto& s : v.GetArray())
        if (!s.IsString()) return false;
    return true;
}
bool is_tool_choice(const rapidjson::Value& v) { return v.IsString() || v.IsObject(); }

struct FieldRule {
    const char* name;
    Check check;
    const char* expected;
};

constexpr FieldRule kChatFields[] = {
    {"stream", is_bool, "a boolean"},
    {"temperature", is_number, "a number"},
    {"top_p", is_number, "a number"},
    {"max_tokens", is_int, "an integer"},
    {"max_completion_tokens", is_int, "an integer"},
    {"n", is_int, "an integer"},
    {"seed", is_int, "an integer"},
    {"presence_penalty", is_number, "a number"},
    {"frequency_penalty", is_number, "a number"},
    {"logprobs", is_bool, "a boolean"},
    {"top_logprobs", is_int, "an integer"},
    {"user", is_string, "a string"},
    {"stop", is_stop, "a string or an array of strings"},
    {"tools", is_array, "an array"},
    {"tool_choice", is_tool_choice, "a string or an object"},
    {"parallel_tool_calls", is_bool, "a boolean"},
    {"response_format", is_object, "an object"},
    {"stream_options", is_object, "an object"},
    {"metadata", is_object, "an object"},
};

bool check_fields(const rapidjson::Value& body, const FieldRule* rules, size_t n, ApiError* e) {
    for (size_t i = 0; i < n; ++i) {
        auto it = body.FindMember(rules[i].name);
        if (it == body.MemberEnd() || it->value.IsNull()) continue;
        if (!rules[i].check(it->value)) return wrong(e, rules[i].name, rules[i].expected, it->value);
    }
    return true;
}

bool check_model(const rapidjson::Value& body, ApiError* e) {
    auto it = body.FindMember("model");
    if (it == body.MemberEnd()) {
        *e = ApiError::invalid("'model' is required", "model");
        return false;
    }
    if (!it->value.IsString()) return wrong(e, "model", "a string", it->value);
    if (it->value.GetStringLength() == 0) {
        *e = ApiError::invalid("'model' must not be empty", "model");
        return false;
    }
    return true;
}

bool check_content(const rapidjson::Value& content, const std::string& field, ApiError* e) {
    if (content.IsString() || content.IsNull()) return true;
    if (!content.IsArray()) return wrong(e, field, "a string or an array of content parts", content);
    rapidjson::SizeType i = 0;
    for (const auto& part : content.GetArray()) {
        std::string pf = field + "[" + std::to_string(i++) + "]";
        if (!part.IsObject()) return wrong(e, pf, "an object", part);
        auto t = part.FindMember("type");
        if (t == part.MemberEnd() || !t->value.IsString()) {
            *e = ApiError::invalid("'" + pf + ".type' is required and must be a string", pf + ".type");
            return false;
        }
        std::string type = t->value.GetString();
        if (type == "text") {
            auto txt = part.FindMember("text");
            if (txt == part.MemberEnd() || !txt->value.IsString()) {
                *e = ApiError::invalid("'" + pf + ".text' is required and must be a string", pf + ".text");
                return false;
            }
        } else if (type == "image_url") {
            auto iu = part.FindMember("image_url");
            bool ok = iu != part.MemberEnd() &&
                      (iu->value.IsString() || (iu->value.IsObject() && iu->value.HasMember("url") &&
                                                iu->value["url"].IsString()));
            if (!ok) {
                *e = ApiError::invalid("'" + pf + ".image_url' must be an object with a string 'url'", pf + ".image_url");
                return false;
            }
        }
    }
    return true;
}

bool check_messages(const rapidjson::Value& body, ApiError* e) {
    auto it = body.FindMember("messages");
    if (it == body.MemberEnd()) {
        *e = ApiError::invalid("'messages' is required", "messages");
        return false;
    }
    if (!it->value.IsArray()) return wrong(e, "messages", "an array", it->value);
    if (it->value.Empty()) {
        *e = ApiError::invalid("'messages' must contain at least one message", "messages");
        return false;
    }
    rapidjson::SizeType i = 0;
    for (const auto& m : it->value.GetArray()) {
        std::string f = "messages[" + std::to_string(i++) + "]";
        if (!m.IsObject()) return wrong(e, f, "an object", m);
        auto role = m.FindMember("role");
        if (role == m.MemberEnd() || !role->value.IsString()) {
            *e = ApiError::invalid("'" + f + ".role' is required and must be a string", f + ".role");
            return false;
        }
        std::string r = role->value.GetString();
        if (r != "system" && r != "developer" && r != "user" && r != "assistant" && r != "tool" && r != "function") {
            *e = ApiError::invalid("'" + f + ".role': expected one of system, developer, user, assistant, tool; found '" +
                                       r + "'",
                                   f + ".role");
            return false;
        }
        auto content = m.FindMember("content");
        if (content != m.MemberEnd() && !check_content(content->value, f + ".content", e)) return false;
        if (r == "tool") {
            auto id = m.FindMember("tool_call_id");
            if (id == m.MemberEnd() || !id->value.IsString()) {
                *e = ApiError::invalid("'" + f + ".tool_call_id' is required for tool messages", f + ".tool_call_id");
                return false;
            }
        }
        auto calls = m.FindMember("tool_calls");
        if (calls != m.MemberEnd() && !calls->value.IsNull() && !calls->value.IsArray())
            return wrong(e, f + ".tool_calls", "an array", calls->value);
    }
    return true;
}

bool check_tools(const rapidjson::Value& body, ApiError* e) {
    auto it = body.FindMember("tools");
    if (it == body.MemberEnd() || !it->value.IsArray()) return true;
    rapidjson::SizeType i = 0;
    for (const auto& t : it->value.GetArray()) {
        std::string f = "tools[" + std::to_string(i++) + "]";
        if (!t.IsObject()) return wrong(e, f, "an object", t);
        auto fn = t.FindMember("function");
        if (fn == t.MemberEnd() || !fn->value.IsObject()) {
            *e = ApiError::invalid("'" + f + ".function' is required and must be an object", f + ".function");
            return false;
        }
        auto name = fn->value.FindMember("name");
        if (name == fn->value.MemberEnd() || !name->value.IsString()) {
            *e = ApiError::invalid("'" + f + ".function.name' is required and must be a string", f + ".function.name");
            return false;
        }
    }
    return true;
}

}  // namespace

bool check_chat_request(const rapidjson::Value& body, ApiError* e) {
    if (!body.IsObject()) return wrong(e, "body", "a JSON object", body);
    return check_model(body, e) && check_messages(body, e) &&
           check_fields(body, kChatFields, sizeof kChatFields / sizeof kChatFields[0], e) && check_tools(body, e);
}

bool check_embeddings_request(const rapidjson::Value& body, ApiError* e) {
    if (!body.IsObject()) return wrong(e, "body", "a JSON object", body);
    if (!check_model(body, e)) return false;
    auto in = body.FindMember("input");
    if (in == body.MemberEnd()) {
        *e = ApiError::invalid("'input' is required", "input");
        return false;
    }
    const auto& v = in->value;
    bool ok = v.IsString() || v.IsArray();
    if (ok && v.IsArray()) {
        if (v.Empty()) {
            *e = ApiError::invalid("'input' must not be empty", "input");
            return false;
        }
        for (const auto& x : v.GetArray())
            if (!x.IsString() && !x.IsInt64() && !x.IsArray()) ok = false;
    }
    if (!ok) return wrong(e, "input", "a string, an array of strings, or an array of token arrays", v);
    auto ef = body.FindMember("encoding_format");
    if (ef != body.MemberEnd()) {
        if (!ef->value.IsString()) return wrong(e, "encoding_format", "a string", ef->value);
        std::string f = ef->value.GetString();
        if (f != "float" && f != "base64") {
            *e = ApiError::invalid("'encoding_format': expected 'float' or 'base64', found '" + f + "'", "encoding_format");
            return false;
        }
    }
    auto dims = body.FindMember("dimensions");
    if (dims != body.MemberEnd() && !dims->value.IsInt64()) return wrong(e, "dimensions", "an integer", dims->value);
    return true;
}

}  // namespace nexus::core
