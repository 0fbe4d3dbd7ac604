// One operation against one provider outside a client request: the model list for
// GET /v1/models and `nexus models list`, a model pull for `nexus models pull`. Runs on the
// calling thread's event loop; the callbacks run there too.
#pragma once

#include "core/api_error.hpp"
#include "core/runtime.hpp"

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace nexus::core {

struct ProviderCall {
    nx_op op = NX_OP_LIST_MODELS;
    std::string body;            // canonical request body, may be empty
    std::string upstream_model;  // may be empty
    bool stream = false;         // deliver each event to on_event instead of a body
    std::chrono::milliseconds total_timeout{0};  // 0: the provider's own
    std::function<void(std::string_view event_json)> on_event;
    // Exactly once: ok with the canonical body (non-stream) or empty (stream), or the error.
    std::function<void(bool ok, std::string body, ApiError error)> on_done;
};

void call_provider(const std::shared_ptr<ProviderRuntime>& provider, ProviderCall call);

}  // namespace nexus::core
