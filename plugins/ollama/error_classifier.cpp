#include "error_classifier.hpp"

#include "json_util.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace nexus::ollama {

namespace {

bool contains_nocase(std::string_view hay, std::string_view needle) {
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           }) != hay.end();
}

std::string excerpt(std::string_view body) {
    constexpr size_t kMax = 200;
    std::string out;
    for (char c : trim(body).substr(0, kMax)) out.push_back(std::iscntrl(static_cast<unsigned char>(c)) ? ' ' : c);
    if (trim(body).size() > kMax) out += "...";
    return out;
}

std::string scrub(std::string message, std::string_view api_key) {
    if (api_key.size() >= 8)
        for (size_t pos; (pos = message.find(api_key)) != std::string::npos;) message.replace(pos, api_key.size(), "***");
    return message;
}

}  // namespace

nx_error_class class_for_status(int status, std::string_view message) {
    switch (status) {
        case 400:
            if (contains_nocase(message, "context length") || contains_nocase(message, "context window"))
                return NX_EC_CONTEXT_LENGTH;
            return NX_EC_INVALID_REQUEST;
        case 401: return NX_EC_AUTHENTICATION;
        case 402: return NX_EC_QUOTA_EXHAUSTED;
        case 403: return NX_EC_PERMISSION;
        case 404: return NX_EC_NOT_FOUND;
        case 408: return NX_EC_TIMEOUT;
        case 429: return NX_EC_RATE_LIMITED;
        case 500: case 502: return NX_EC_SERVER;
        case 503: return NX_EC_OVERLOADED;  // "server busy, please try again. maximum pending requests exceeded"
        case 504: return NX_EC_TIMEOUT;
        default:
            if (status >= 400 && status < 500) return NX_EC_INVALID_REQUEST;
            return NX_EC_SERVER;
    }
}

int64_t retry_after_ms(const sdk::HeaderView& headers, int64_t) {
    auto v = headers.get("retry-after");
    if (!v) return -1;
    std::string_view s = trim(*v);
    if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; })) return -1;
    double secs = std::strtod(std::string(s).c_str(), nullptr);
    return int64_t(std::ceil(std::min(secs, 1e12) * 1000));
}

sdk::UpstreamError classify_http_error(int status, const sdk::HeaderView& headers, std::string_view body,
                                       std::string_view model, std::string_view api_key, int64_t now_unix_ms) {
    rapidjson::Document doc;
    std::string message;
    if (parse_json(doc, body).empty() && doc.IsObject()) {
        if (const Value* e = find_member(doc, "error")) {
            if (e->IsString()) message = as_view(*e);
            else if (e->IsObject()) message = string_member(*e, "message");  // ollama.com's OpenAI-style proxy errors
        }
    }
    if (message.empty()) {
        message = "Ollama returned HTTP " + std::to_string(status);
        if (!trim(body).empty()) message += ": " + excerpt(body);
    }
    nx_error_class cls = class_for_status(status, message);
    if (status == 404 && contains_nocase(message, "not found") && !model.empty())
        message += " (pull it with `nexus models pull " + std::string(model) + "` or `ollama pull " + std::string(model) + "`)";
    int64_t retry = status == 429 || status == 503 ? retry_after_ms(headers, now_unix_ms) : -1;
    return sdk::UpstreamError(cls, status, retry, scrub(std::move(message), api_key));
}

sdk::UpstreamError classify_inband_error(std::string_view message, int status) {
    nx_error_class cls = NX_EC_SERVER;
    if (contains_nocase(message, "context length") || contains_nocase(message, "context window")) cls = NX_EC_CONTEXT_LENGTH;
    else if (contains_nocase(message, "not found")) cls = NX_EC_NOT_FOUND;
    std::string text = message.empty() ? "Ollama reported an error" : std::string(message);
    return sdk::UpstreamError(cls, status, -1, text);
}

}  // namespace nexus::ollama
