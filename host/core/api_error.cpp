#include "core/api_error.hpp"

namespace nexus::core {

ApiError ApiError::invalid(std::string message, std::string param, std::string code) {
    ApiError e;
    e.status = 400;
    e.type = "invalid_request_error";
    e.message = std::move(message);
    e.param = std::move(param);
    e.code = std::move(code);
    e.error_class = NX_EC_INVALID_REQUEST;
    return e;
}

ApiError ApiError::internal(std::string message) {
    ApiError e;
    e.status = 500;
    e.type = "server_error";
    e.message = std::move(message);
    e.error_class = NX_EC_INTERNAL;
    return e;
}

int status_for_error_class(nx_error_class cls, int upstream_status) {
    switch (cls) {
        case NX_EC_INVALID_REQUEST: return upstream_status >= 400 && upstream_status < 500 ? upstream_status : 400;
        case NX_EC_AUTHENTICATION: return 401;
        case NX_EC_PERMISSION: return 403;
        case NX_EC_NOT_FOUND: return 404;
        case NX_EC_CONTEXT_LENGTH: return 400;
        case NX_EC_RATE_LIMITED: return 429;
        case NX_EC_QUOTA_EXHAUSTED: return 429;
        case NX_EC_SERVER: return 502;
        case NX_EC_OVERLOADED: return 503;
        case NX_EC_TIMEOUT: return 504;
        case NX_EC_CONTENT_FILTER: return 400;
        case NX_EC_PROTOCOL: return 502;
        case NX_EC_NETWORK: return 502;
        default: return 500;
    }
}

const char* type_for_status(int status) {
    switch (status) {
        case 400: case 404: case 413: case 422: return "invalid_request_error";
        case 401: return "authentication_error";
        case 403: return "permission_error";
        case 408: return "timeout_error";
        case 429: return "rate_limit_error";
        case 503: return "overloaded_error";
        default: return status >= 500 ? "server_error" : "invalid_request_error";
    }
}

const char* error_class_name(nx_error_class cls) {
    switch (cls) {
        case NX_EC_NONE: return "none";
        case NX_EC_INVALID_REQUEST: return "invalid_request";
        case NX_EC_AUTHENTICATION: return "authentication";
        case NX_EC_PERMISSION: return "permission";
        case NX_EC_NOT_FOUND: return "not_found";
        case NX_EC_CONTEXT_LENGTH: return "context_length";
        case NX_EC_RATE_LIMITED: return "rate_limited";
        case NX_EC_QUOTA_EXHAUSTED: return "quota_exhausted";
        case NX_EC_SERVER: return "server";
        case NX_EC_OVERLOADED: return "overloaded";
        case NX_EC_TIMEOUT: return "timeout";
        case NX_EC_CONTENT_FILTER: return "content_filter";
        case NX_EC_PROTOCOL: return "protocol";
        case NX_EC_NETWORK: return "network";
        case NX_EC_INTERNAL: return "internal";
        default: return "unknown";
    }
}

}  // namespace nexus::core
