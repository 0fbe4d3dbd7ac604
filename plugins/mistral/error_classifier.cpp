#include "error_classifier.hpp"

#include "json_util.hpp"
#include "retry_hint.hpp"

#include <algorithm>
#include <cctype>

namespace nexus::mistral {

namespace {

bool contains_nocase(std::string_view hay, std::string_view needle) {
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           }) != hay.end();
}

// "Prompt contains 40000 tokens and 0 draft tokens, too large for model with 32768 maximum
// context length".
bool is_context_length(std::string_view message) {
    return contains_nocase(message, "too large for model") || contains_nocase(message, "maximum context length");
}

// One pydantic-style validation item: "<loc joined by '.'>: <msg>".
std::string detail_item(const rapidjson::Value& item) {
    if (item.IsString()) return std::string(as_view(item));
    std::string loc;
    if (const auto* l = find_member(item, "loc"); l && l->IsArray()) {
        for (const auto& part : l->GetArray()) {
            if (!loc.empty()) loc += '.';
            loc += part.IsString() ? std::string(as_view(part)) : part.IsInt64() ? std::to_string(part.GetInt64()) : to_json(part);
        }
    }
    std::string msg(string_member(item, "msg"));
    if (msg.empty()) msg = to_json(item);
    return loc.empty() ? msg : loc + ": " + msg;
}

std::string detail_text(const rapidjson::Value& detail) {
    if (detail.IsString()) return std::string(as_view(detail));
    if (!detail.IsArray()) return {};
    std::string out;
    for (const auto& item : detail.GetArray()) {
        if (!out.empty()) out += "; ";
        out += detail_item(item);
    }
    return out;
}

// The `message` member in any of its forms: a string (which may itself be JSON holding a
// `detail`), an object with `detail`, or a detail array.
std::string message_text(const rapidjson::Value& message) {
    if (message.IsString()) {
        std::string_view s = trim(as_view(message));
        if (!s.empty() && (s.front() == '{' || s.front() == '[')) {
            rapidjson::Document inner;
            if (parse_json(inner, s).empty()) {
                if (inner.IsArray()) return detail_text(inner);
                if (const auto* d = find_member(inner, "detail")) return detail_text(*d);
            }
        }
        return std::string(as_view(message));
    }
    if (message.IsArray()) return detail_text(message);
    if (const auto* d = find_member(message, "detail")) return detail_text(*d);
    return {};
}

std::string excerpt(std::string_view body) {
    constexpr size_t kMax = 200;
    std::string out;
    for (char c : trim(body).substr(0, kMax)) out.push_back(std::iscntrl(static_cast<unsigned char>(c)) ? ' ' : c);
    if (trim(body).size() > kMax) out += "...";
    return out;
}

std::string_view type_of(const rapidjson::Value& obj) {
    if (const auto* e = find_member(obj, "error"); e && e->IsObject()) return string_member(*e, "type");
    return string_member(obj, "type");
}

}  // namespace

bool is_error_object(const rapidjson::Value& obj) {
    if (!obj.IsObject()) return false;
    if (const auto* e = find_member(obj, "error"); e && !e->IsNull()) return true;
    std::string_view object = string_member(obj, "object");
    if (object == "error" || object == "Error") return true;
    return !find_member(obj, "choices") && !find_member(obj, "data") && (find_member(obj, "detail") || find_member(obj, "message"));
}

std::string error_message(const rapidjson::Value& obj) {
    if (const auto* e = find_member(obj, "error"); e && !e->IsNull()) {
        if (e->IsString()) return std::string(as_view(*e));
        if (const auto* m = find_member(*e, "message")) return message_text(*m);
    }
    if (const auto* m = find_member(obj, "message")) {
        if (std::string text = message_text(*m); !text.empty()) return text;
    }
    if (const auto* d = find_member(obj, "detail")) return detail_text(*d);
    return {};
}

nx_error_class class_for_status(int status, std::string_view type, std::string_view message) {
    switch (status) {
        case 400: case 413: case 422:
            return is_context_length(message) ? NX_EC_CONTEXT_LENGTH : NX_EC_INVALID_REQUEST;
        case 401: return NX_EC_AUTHENTICATION;
        case 402: return NX_EC_QUOTA_EXHAUSTED;
        case 403: return NX_EC_PERMISSION;
        case 404: return NX_EC_NOT_FOUND;
        case 408: return NX_EC_TIMEOUT;
        case 429: return NX_EC_RATE_LIMITED;
        case 500: case 502: return NX_EC_SERVER;
        case 503: case 529: return NX_EC_OVERLOADED;
        case 504: return NX_EC_TIMEOUT;
        default: break;
    }
    if (type == "rate_limited") return NX_EC_RATE_LIMITED;
    if (status >= 400 && status < 500) return NX_EC_INVALID_REQUEST;
    if (status >= 500 && status < 600) return NX_EC_SERVER;
    if (is_context_length(message)) return NX_EC_CONTEXT_LENGTH;
    if (type == "invalid_request_error" || type == "invalid_function_call") return NX_EC_INVALID_REQUEST;
    return NX_EC_SERVER;
}

std::string scrub_secret(std::string message, std::string_view api_key) {
    if (api_key.size() >= 8)
        for (size_t pos; (pos = message.find(api_key)) != std::string::npos;) message.replace(pos, api_key.size(), "***");
    return message;
}

sdk::UpstreamError classify_http_error(int status, const sdk::HeaderView& headers, std::string_view body,
                                       std::string_view api_key, int64_t now_unix_ms) {
    rapidjson::Document doc;
    std::string message;
    std::string_view type;
    if (parse_json(doc, body).empty() && doc.IsObject()) {
        message = error_message(doc);
        type = type_of(doc);
    }
    if (message.empty()) {
        message = "Mistral returned HTTP " + std::to_string(status);
        if (!trim(body).empty()) message += ": " + excerpt(body);
    }
    nx_error_class cls = class_for_status(status, type, message);
    if (cls == NX_EC_RATE_LIMITED && monthly_limit_exhausted(headers)) cls = NX_EC_QUOTA_EXHAUSTED;
    int64_t retry = cls == NX_EC_QUOTA_EXHAUSTED ? -1 : retry_after_ms(headers, status, now_unix_ms);
    return sdk::UpstreamError(cls, status, retry, scrub_secret(std::move(message), api_key));
}

sdk::UpstreamError classify_inband_error(const rapidjson::Value& error, int status) {
    std::string message = error_message(error);
    if (message.empty()) message = "Mistral reported an error: " + excerpt(to_json(error));
    // A numeric `raw_status_code` (seen on 429 bodies) or `code` in the HTTP range says more
    // than the 200 the error arrived with.
    int upstream = status;
    for (std::string_view key : {"raw_status_code", "code"}) {
        if (const auto* c = find_member(error, key); c && c->IsInt() && c->GetInt() >= 400 && c->GetInt() <= 599) {
            upstream = c->GetInt();
            break;
        }
    }
    nx_error_class cls = upstream != status ? class_for_status(upstream, type_of(error), message)
                                            : class_for_status(0, type_of(error), message);
    return sdk::UpstreamError(cls, upstream, -1, message);
}

}  // namespace nexus::mistral
