// One client request through the gateway: decode, chain on the way in, route, upstream
// attempts (with fallback), chain on the way out, encode, on_complete. Everything runs on the
// event loop that accepted the request; a PENDING hook resumes there too.
#pragma once

#include "core/api_error.hpp"
#include "core/attempt_log.hpp"
#include "core/exchange.hpp"
#include "core/ingress_codec.hpp"
#include "core/runtime.hpp"
#include "core/token_usage.hpp"
#include "core/whole_events.hpp"
#include "net/http_server.hpp"
#include "net/stream_framers.hpp"
#include "plugin/abi_objects.hpp"
#include "transport/http_client.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nexus::core {

class RequestFlow : public std::enable_shared_from_this<RequestFlow> {
public:
    RequestFlow(std::shared_ptr<const Runtime> rt, const IngressCodec& codec, nx_op op, net::ServerRequest&& req,
                std::shared_ptr<net::Responder> res, std::string request_id);
    ~RequestFlow();
    void start();

private:
    using Clock = std::chrono::steady_clock;

    // Chain, on the way in and out (request_flow_chain.cpp).
    void run_request_hooks(size_t from);
    void request_hook_finished(size_t index, nx_filter_status st);
    bool run_response_hooks(size_t count);  // reverse order over the first `count`; false: rejected
    bool run_chunk_hooks();                 // false: drop the chunk (or aborted, see aborted_)
    void run_complete_hooks();
    bool contained_failure(size_t index, const nx_call& call, const char* hook);
    bool chain_rewrites_output() const;  // some middleware has on_response or on_chunk
    void add_chain(const Chain& chain);
    bool add_requested_chain();          // true when the `chain` attr named a new chain

    // Upstream (request_flow_upstream.cpp).
    void route();
    void attempt(size_t target_index);
    void upstream_headers(int status, net::HeaderList&& headers);
    bool upstream_data(std::string_view data);
    void upstream_done(net::ClientError err, const std::string& detail);
    void stream_event(std::string_view event, std::string_view data, std::string_view id);
    void emit_chunk(std::string_view chunk_json);
    bool try_next_target(const ApiError& e);
    bool retry_same_target(const ApiError& e);  // true: a retry is scheduled
    bool roomier_target(const ApiError& e);     // context length: a target with a larger window
    void note_attempt(std::string_view outcome, nx_error_class cls = NX_EC_NONE);  // closes the open attempt
    bool circuit_admits();
    bool pick_key(std::string_view* key);  // else the provider has no usable key (handled)
    bool key_feedback(const ApiError& e);  // a 429/401 on a rotated key; true: retried with another  // else the target is skipped (next target, or the error)
    ApiError classify(const nx_call& call, const char* what) const;
    bool fits_context(size_t target_index);         // else tries a roomier target or fails
    void prepare_attempt_body(const Target& target, const ModelInfo* info);

    // Delivery (request_flow.cpp).
    void deliver_response(int status, std::string canonical);
    void replay_as_stream(std::string canonical);
    void begin_client_stream();
    void fail(ApiError e);
    void finish();
    net::HeaderList response_headers(const char* content_type) const;

    std::shared_ptr<const Runtime> rt_;
    const IngressCodec& codec_;
    nx_op op_;
    net::ServerRequest req_;
    std::shared_ptr<net::Responder> res_;
    std::string request_id_;
    void* loop_ = nullptr;
    Clock::time_point started_ = Clock::now();

    DecodedRequest decoded_;
    nx_exchange ex_;
    ResolvedRoute route_scratch_;
    const ResolvedRoute* route_ = nullptr;
    // The middleware this request runs through: the route's chain (or "default"), then the
    // chain a middleware asked for by setting the `chain` attribute (e.g. auth, per key).
    std::vector<const MiddlewareRuntime*> entries_;
    bool extra_chain_added_ = false;
    size_t hooks_ran_ = 0;          // middleware whose on_request ran (they get on_complete)
    size_t out_hooks_ = SIZE_MAX;   // a cap on who sees the way out (the responder does not)
    size_t pending_index_ = SIZE_MAX;

    // Attempt state.
    size_t target_index_ = 0;
    unsigned attempts_ = 0;
    unsigned target_attempts_ = 0;  // attempts on the current target (retries included)
    bool retrying_ = false;         // the next attempt() retries the same target
    bool attempt_open_ = false;     // an attempt was sent and its outcome not yet counted
    AttemptLog attempt_log_;        // every attempt, for the `attempts` attribute
    bool probing_ = false;          // the open attempt is a half-open circuit's probe
    size_t circuit_skips_ = 0;
    int key_index_ = -1;            // the rotated key of the open attempt; -1: not rotated
    size_t key_switches_ = 0;      // targets skipped because their circuit is open
    std::optional<ApiError> last_error_;  // the last upstream failure, for when the rest are skipped
    std::shared_ptr<ProviderRuntime> provider_;
    std::string upstream_model_;
    nx_provider_request preq_{};
    std::vector<nx_header> plugin_headers_;  // views into req_.headers
    nx_framing framing_ = NX_FRAMING_NONE;
    std::shared_ptr<net::CancelToken> upstream_;
    int upstream_status_ = 0;
    net::HeaderList upstream_headers_;
    std::string upstream_body_;  // non-stream body, or an error body in stream mode
    std::string relay_body_;     // the upstream's own response bytes, sent as they are
    WholeEvents relay_events_;   // a relayed stream goes to the client one whole event at a time
    std::string attempt_body_;   // the request with per-target params / clamps; empty: unchanged
    int64_t prompt_estimate_ = -1;
    double cost_usd_ = -1;
    bool upstream_streaming_ = false;
    bool native_ = false;  // same-wire: the provider got the client's own bytes
    bool relay_ = false;   // ... and its response goes to the client unchanged
    bool in_band_error_relayed_ = false;
    void* stream_state_ = nullptr;
    bool stream_done_ = false;
    std::optional<ApiError> stream_error_;
    std::optional<net::SseFramer> sse_;
    std::optional<net::NdjsonFramer> ndjson_;
    nx_chunk_sink sink_;
    Clock::time_point upstream_started_{};
    uint64_t upstream_latency_us_ = 0;

    // Client side.
    std::unique_ptr<IngressCodec::StreamEncoder> encoder_;
    bool client_stream_started_ = false;
    bool finished_ = false;
    bool cancelled_ = false;
    bool aborted_ = false;
    int final_status_ = 0;
    ApiError final_error_;
    std::string outcome_ = "ok";
    TokenUsage usage_;
    std::optional<TokenUsage> provider_usage_;  // what the provider reported for the final response
    rapidjson::Document chunk_doc_;
    std::string out_buf_;
};

}  // namespace nexus::core
