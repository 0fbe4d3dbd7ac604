#include "error_classifier.hpp"

#include "json_util.hpp"
#include "retry_hint.hpp"

#include <cctype>

namespace nexus::claude {

namespace {

// "prompt is too long: 208310 tokens > 200000 maximum", and "input length and `max_tokens`
// exceed context limit: 197202 + 21333 > 200000, ..."
bool is_context_length(std::string_view message) {
    return contains_nocase(message, "prompt is too long") || contains_nocase(message, "exceed context limit") ||
           contains_nocase(message, "context window");
}

// 400s that no retry fixes: "Your credit balance is too low to access the Anthropic API",
// "You have reached your specified API usage limits".
bool is_out_of_credit(std::string_view message) {
    return contains_nocase(message, "credit balance") || contains_nocase(message, "usage limits");
}

bool is_spend_limit(std::string_view message, std::string_view error_code, bool has_retry_after) {
    if (error_code == "enforced_spend_limit_reached") return true;
    return !has_retry_after && contains_nocase(message, "spend limit");
}

struct ErrorFields {
    std::string_view type, message, error_code;
};

ErrorFields read_error(const rapidjson::Value& error) {
    ErrorFields f;
    if (error.IsString()) {
        f.message = as_view(error);
        return f;
    }
    f.type = string_member(error, "type");
    f.message = string_member(error, "message");
    if (const rapidjson::Value* details = find_present(error, "details")) f.error_code = string_member(*details, "error_code");
    return f;
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

nx_error_class class_for_type(std::string_view type, std::string_view message, std::string_view error_code,
                              nx_error_class fallback) {
    if (type == "invalid_request_error") {
        if (is_context_length(message)) return NX_EC_CONTEXT_LENGTH;
        if (is_out_of_credit(message)) return NX_EC_QUOTA_EXHAUSTED;
        return NX_EC_INVALID_REQUEST;
    }
    if (type == "authentication_error") return NX_EC_AUTHENTICATION;
    if (type == "permission_error") return NX_EC_PERMISSION;
    if (type == "not_found_error") return NX_EC_NOT_FOUND;
    if (type == "request_too_large") return NX_EC_INVALID_REQUEST;
    if (type == "billing_error") return NX_EC_QUOTA_EXHAUSTED;
    if (type == "rate_limit_error")
        return is_spend_limit(message, error_code, true) ? NX_EC_QUOTA_EXHAUSTED : NX_EC_RATE_LIMITED;
    if (type == "api_error") return NX_EC_SERVER;
    if (type == "overloaded_error") return NX_EC_OVERLOADED;
    if (type == "timeout_error") return NX_EC_TIMEOUT;
    return fallback;
}

nx_error_class class_for_status(int status, std::string_view type, std::string_view message,
                                std::string_view error_code, bool has_retry_after) {
    switch (status) {
        case 400:
            if (is_context_length(message)) return NX_EC_CONTEXT_LENGTH;
            if (is_out_of_credit(message)) return NX_EC_QUOTA_EXHAUSTED;
            return NX_EC_INVALID_REQUEST;
        case 401: return NX_EC_AUTHENTICATION;
        case 402: return NX_EC_QUOTA_EXHAUSTED;
        case 403: return NX_EC_PERMISSION;
        case 404: return NX_EC_NOT_FOUND;
        case 408: return NX_EC_TIMEOUT;
        case 409: return NX_EC_SERVER;  // conflict_error: the SDKs retry it
        case 413: return NX_EC_INVALID_REQUEST;
        case 429:
            return is_spend_limit(message, error_code, has_retry_after) ? NX_EC_QUOTA_EXHAUSTED : NX_EC_RATE_LIMITED;
        case 500: case 502: return NX_EC_SERVER;
        case 503: case 529: return NX_EC_OVERLOADED;
        case 504: return NX_EC_TIMEOUT;
        default:
            if (status >= 400 && status < 500) return class_for_type(type, message, error_code, NX_EC_INVALID_REQUEST);
            if (status >= 500 && status < 600) return class_for_type(type, message, error_code, NX_EC_SERVER);
            return NX_EC_PROTOCOL;
    }
}

std::string scrub_secrets(std::string_view message, std::string_view api_key) {
    std::string out(message);
    if (api_key.size() >= 8) {
        for (size_t pos; (pos = out.find(api_key)) != std::string::npos;) out.replace(pos, api_key.size(), "***");
    }
    auto key_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '*'; };
    constexpr std::string_view kPrefix = "sk-ant-";
    constexpr std::string_view kMasked = "sk-ant-***";
    for (size_t pos = 0; (pos = out.find(kPrefix, pos)) != std::string::npos;) {
        bool word_start = pos == 0 || !key_char(out[pos - 1]);
        size_t end = pos + kPrefix.size();
        while (end < out.size() && key_char(out[end])) ++end;
        if (word_start && end > pos + kPrefix.size() && out.compare(pos, end - pos, kMasked) != 0)
            out.replace(pos, end - pos, kMasked);
        pos += kPrefix.size();
    }
    return out;
}

sdk::UpstreamError classify_http_error(int status, const sdk::HeaderView& headers, std::string_view body,
                                       std::string_view api_key, int64_t now_unix_ms) {
    rapidjson::Document doc;
    const rapidjson::Value* error = nullptr;
    if (parse_json(doc, body).empty()) error = find_present(doc, "error");

    ErrorFields f;
    std::string message;
    if (error) {
        f = read_error(*error);
        message = message_or_default(f.message, f.type, status);
    } else {
        message = "upstream returned HTTP " + std::to_string(status);
        if (!trim(body).empty()) message += ": " + excerpt(body);
    }
    bool has_retry_after = headers.get("retry-after").has_value() || headers.get("retry-after-ms").has_value();
    nx_error_class cls = class_for_status(status, f.type, f.message, f.error_code, has_retry_after);
    int64_t retry = cls == NX_EC_QUOTA_EXHAUSTED ? -1 : retry_after_ms(headers, status, now_unix_ms);
    return sdk::UpstreamError(cls, status, retry, scrub_secrets(message, api_key));
}

sdk::UpstreamError classify_error_object(const rapidjson::Value& error, int status, nx_error_class fallback,
                                         std::string_view api_key) {
    ErrorFields f = read_error(error);
    nx_error_class cls = class_for_type(f.type, f.message, f.error_code, fallback);
    return sdk::UpstreamError(cls, status, -1, scrub_secrets(message_or_default(f.message, f.type, 0), api_key));
}

}  // namespace nexus::claude
