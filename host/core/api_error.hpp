// An error as the client will see it, before a codec puts it in its wire format.
#pragma once

#include "nexus/nexus.h"

#include <cstdint>
#include <string>

namespace nexus::core {

struct ApiError {
    int status = 500;
    std::string type;     // OpenAI error type, e.g. "invalid_request_error"
    std::string message;  // never contains secrets
    std::string param;    // the offending field, empty when none
    std::string code;     // machine-readable code, empty when none
    int64_t retry_after_ms = -1;
    nx_error_class error_class = NX_EC_NONE;

    static ApiError invalid(std::string message, std::string param = {}, std::string code = {});
    static ApiError internal(std::string message);
};

// The HTTP status and OpenAI error type that a classified upstream failure maps to.
int status_for_error_class(nx_error_class cls, int upstream_status);
const char* type_for_status(int status);
const char* error_class_name(nx_error_class cls);

}  // namespace nexus::core
