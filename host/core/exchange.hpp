// The host side of nx_exchange: one client request as middleware sees it, and the functions
// that the host table exposes over it.
#pragma once

#include "core/api_error.hpp"
#include "core/doc_slot.hpp"
#include "net/http_types.hpp"
#include "nexus/nexus.h"

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

struct nx_exchange {
    nexus::core::DocSlot request;   // canonical request (OpenAI shape)
    nexus::core::DocSlot response;  // canonical response, once there is one
    nexus::core::DocSlot chunk;     // the stream chunk on_chunk is looking at
    const nexus::net::HeaderList* request_headers = nullptr;
    nexus::net::HeaderList response_headers;  // added by middleware
    std::vector<std::pair<std::string, std::string>> attrs;
    size_t readonly_attrs = 0;  // the first N attrs are set by the host and read-only

    bool has_respond = false;
    int respond_status = 200;
    std::string respond_body;  // canonical chat.completion JSON
    bool has_reject = false;
    nexus::core::ApiError reject_error;

    // Set by the chain while a hook is PENDING; host->resume calls it (from any thread).
    std::function<void(nx_filter_status)> on_resume;
    std::mutex resume_mu;  // guards on_resume: resume may come from any thread
    // The text parts of each document (request, response, chunk), cached against the
    // document's generation so text_get/text_set over N parts cost O(N), not O(N^2).
    struct TextCache {
        uint64_t generation = UINT64_MAX;
        std::vector<rapidjson::Value*> values;
    };
    TextCache text_cache[3];

    const std::string* attr(std::string_view name) const;
    void set_attr(std::string name, std::string value);  // host use: also read-only ones
};

namespace nexus::core {

// Installs doc_*, text_*, request_header, response_header_set, attr_*, respond, reject and
// resume into the process-wide host table. Called once at start, before plugins load.
void install_exchange_api(nx_host_api& api);

}  // namespace nexus::core
