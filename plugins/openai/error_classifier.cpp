#include "error_classifier.hpp"

#include "json_util.hpp"
#include "retry_hint.hpp"

#include <algorithm>
#include <cctype>

namespace nexus::openai {

namespace {

bool contains_nocase(std::string_view hay, std::string_view needle) {
    auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    return it != hay.end();
}

bool is_context_length(std::string_view code, std::string_view message) {
    return code == "context_length_exceeded" || contains_nocase(message, "maximum context length");
}

bool is_quota(std::string_view type, std::string_view code) {
    return code == "insufficient_quota" || type == "insufficient_quota";
}

// Fields of an OpenAI error object; tolerant of the variants OpenAI-compatible servers send
// (a bare string, a numeric code).
struct ErrorFields {
    std::string_view message, type, code;
    int numeric_code = 0;
};

ErrorFields read_error(const rapidjson::Value& error) {
    ErrorFields f;
    if (error.IsString()) {
        f.message = as_view(error);
        return f;
    }
    f.message = string_member(error, "message");
    f.type = string_member(error, "type");
    if (const auto* code = find_member(error, "code")) {
        if (code->IsString()) f.code = as_view(*code);
        else if (code->IsInt()) f.numeric_code = code->GetInt();
    }
    return f;
}

// Classes for in-band errors, which carry no HTTP status of their own.
nx_error_class class_for_fields(const ErrorFields& f, nx_error_class fallback) {
    if (is_context_length(f.code, f.message)) return NX_EC_CONTEXT_LENGTH;
    if (is_quota(f.type, f.code)) return NX_EC_QUOTA_EXHAUSTED;
    if (f.code == "rate_limit_exceeded" || f.type == "rate_limit_error" || f.type == "requests" || f.type == "tokens")
        return NX_EC_RATE_LIMITED;
    if (f.code == "invalid_api_key" || f.type == "authentication_error") return NX_EC_AUTHENTICATION;
    if (f.type == "permission_error") return NX_EC_PERMISSION;
    if (f.code == "model_not_found" || f.type == "not_found_error") return NX_EC_NOT_FOUND;
    if (f.code == "content_filter" || f.code == "content_policy_violation") return NX_EC_CONTENT_FILTER;
    if (f.type == "overloaded_error" || f.code == "server_overloaded") return NX_EC_OVERLOADED;
    if (f.type == "timeout_error") return NX_EC_TIMEOUT;
    if (f.type == "server_error" || f.type == "api_error") return NX_EC_SERVER;
    if (f.type == "invalid_request_error") return NX_EC_INVALID_REQUEST;
    if (f.numeric_code >= 400 && f.numeric_code <= 599) return class_for_status(f.numeric_code, f.type, f.code, f.message);
    return fallback;
}

std::string excerpt(std::string_view body) {
    constexpr size_t kMax = 200;
    std::string out;
    for (char c : trim(body).substr(0, kMax)) out.push_back(std::iscntrl(static_cast<unsigned char>(c)) ? ' ' : c);
    if (trim(body).size() > kMax) out += "...";
    return out;
}

std::string message_or_default(std::string_view message, std::string_view type, int status) {
    if (!message.empty()) return std::string(message);
    std::string m = "upstream error";
    if (!type.empty()) m += " (" + std::string(type) + ")";
    if (status != 0) m += " with HTTP " + std::to_string(status);
    return m;
}

}  // namespace

nx_error_class class_for_status(int status, std::string_view type, std::string_view code, std::string_view message) {
    switch (status) {
        case 400:
            if (is_context_length(code, message)) return NX_EC_CONTEXT_LENGTH;
            if (code == "content_filter") return NX_EC_CONTENT_FILTER;  // Azure OpenAI
            return NX_EC_INVALID_REQUEST;
        case 401: return NX_EC_AUTHENTICATION;
        case 402: return NX_EC_QUOTA_EXHAUSTED;
        case 403: return NX_EC_PERMISSION;
        case 404: return NX_EC_NOT_FOUND;
        case 408: return NX_EC_TIMEOUT;
        case 409: return NX_EC_SERVER;
        case 429: return is_quota(type, code) ? NX_EC_QUOTA_EXHAUSTED : NX_EC_RATE_LIMITED;
        case 500: case 502: return NX_EC_SERVER;
        case 503: case 529: return NX_EC_OVERLOADED;
        case 504: return NX_EC_TIMEOUT;
        default:
            if (status >= 400 && status < 500) return NX_EC_INVALID_REQUEST;
            if (status >= 500 && status < 600) return NX_EC_SERVER;
            return NX_EC_PROTOCOL;
    }
}

std::string scrub_secrets(std::string_view message, std::string_view api_key) {
    std::string out(message);
    if (api_key.size() >= 8) {
        for (size_t pos; (pos = out.find(api_key)) != std::string::npos;) out.replace(pos, api_key.size(), "***");
    }
    // OpenAI echoes a partly masked key ("sk-proj-****...abcd"); mask all of it.
    auto key_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '*'; };
    for (size_t pos = 0; (pos = out.find("sk-", pos)) != std::string::npos;) {
        bool word_start = pos == 0 || !key_char(out[pos - 1]);
        size_t end = pos + 3;
        while (end < out.size() && key_char(out[end])) ++end;
        if (word_start && end > pos + 3 && out.compare(pos, end - pos, "sk-***") != 0) {
            out.replace(pos, end - pos, "sk-***");
        }
        pos += 3;
    }
    return out;
}

sdk::UpstreamError classify_http_error(int status, const sdk::HeaderView& headers, std::string_view body,
                                       std::string_view api_key, int64_t now_unix_ms) {
    rapidjson::Document doc;
    const rapidjson::Value* error = nullptr;
    if (parse_json(doc, body).empty()) error = find_member(doc, "error");

    std::string message;
    ErrorFields f;
    if (error && !error->IsNull()) {
        f = read_error(*error);
        message = message_or_default(f.message, f.type, status);
    } else if (doc.IsObject() && doc.HasMember("message")) {
        f.message = string_member(doc, "message");  // e.g. {"message": "..."} from some compatible servers
        message = message_or_default(f.message, {}, status);
    } else {
        message = "upstream returned HTTP " + std::to_string(status);
        if (!trim(body).empty()) message += ": " + excerpt(body);
    }
    nx_error_class cls = class_for_status(status, f.type, f.code, f.message);
    int64_t retry = retry_after_ms(headers, status, f.type, now_unix_ms);
    return sdk::UpstreamError(cls, status, retry, scrub_secrets(message, api_key));
}

sdk::UpstreamError classify_inband_error(const rapidjson::Value& error, int status, nx_error_class fallback,
                                         std::string_view api_key) {
    ErrorFields f = read_error(error);
    nx_error_class cls = class_for_fields(f, fallback);
    int upstream_status = f.numeric_code >= 400 && f.numeric_code <= 599 ? f.numeric_code : status;
    return sdk::UpstreamError(cls, upstream_status, -1, scrub_secrets(message_or_default(f.message, f.type, 0), api_key));
}

}  // namespace nexus::openai
