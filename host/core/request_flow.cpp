#include "core/request_flow.hpp"

#include "core/json_text.hpp"
#include "core/loop_context.hpp"
#include "core/metrics.hpp"
#include "core/stream_replay.hpp"
#include "core/token_estimate.hpp"

#include <spdlog/spdlog.h>

namespace nexus::core {

RequestFlow::RequestFlow(std::shared_ptr<const Runtime> rt, const IngressCodec& codec, nx_op op,
                         net::ServerRequest&& req, std::shared_ptr<net::Responder> res, std::string request_id)
    : rt_(std::move(rt)), codec_(codec), op_(op), req_(std::move(req)), res_(std::move(res)),
      request_id_(std::move(request_id)) {
    loop_ = current_loop();
}

RequestFlow::~RequestFlow() {
    note_attempt("cancelled");  // an attempt still open when the flow ended some other way
    if (stream_state_ && provider_ && provider_->plugin->provider->stream_close)
        provider_->plugin->provider->stream_close(provider_->instance, stream_state_);
}

void RequestFlow::start() {
    auto self = shared_from_this();
    res_->on_cancel([self] {
        post_to_loop(self->loop_, [self] {
            if (self->finished_) return;
            self->cancelled_ = true;
            self->outcome_ = "cancelled";
            // A PENDING hook still holds the exchange: finish once it resumes.
            if (self->pending_index_ != SIZE_MAX) return;
            if (self->upstream_) self->upstream_->cancel();
            else self->finish();
        });
    });

    ApiError err;
    if (!codec_.decode(op_, std::move(req_.body), decoded_, &err)) return fail(std::move(err));
    ex_.request.adopt(std::move(decoded_.canonical_text), std::move(decoded_.canonical));
    ex_.request_headers = &req_.headers;
    ex_.attrs.reserve(16);  // the host's nine and room for the chain's own
    ex_.set_attr("request_id", request_id_);
    ex_.set_attr("model", decoded_.model);
    ex_.set_attr("client_ip", req_.client_ip);
    ex_.set_attr("ingress", codec_.name());
    ex_.set_attr("stream", decoded_.stream ? "true" : "false");
    ex_.set_attr("route", "");
    if (auto* d = ex_.request.dom()) prompt_estimate_ = estimate_prompt_tokens(*d);
    ex_.set_attr("prompt_tokens_estimate", std::to_string(prompt_estimate_));
    ex_.set_attr("attempts", "[]");  // read-only for middleware; the host fills it in finish()
    ex_.readonly_attrs = ex_.attrs.size();

    route_ = rt_->resolve(decoded_.model, &route_scratch_);
    add_chain(route_ ? *route_->chain : rt_->default_chain());
    if (route_) ex_.set_attr("route", route_->name);
    run_request_hooks(0);
}

net::HeaderList RequestFlow::response_headers(const char* content_type) const {
    net::HeaderList h;
    h.reserve(6 + ex_.response_headers.size());
    h.emplace_back("Content-Type", content_type);
    h.emplace_back("x-request-id", request_id_);
    if (provider_) {
        h.emplace_back("x-nexus-provider", provider_->name);
        h.emplace_back("x-nexus-model", upstream_model_);
    }
    if (attempts_ > 0) h.emplace_back("x-nexus-attempts", std::to_string(attempts_));
    for (const auto& kv : ex_.response_headers) h.push_back(kv);
    return h;
}

void RequestFlow::deliver_response(int status, std::string canonical) {
    if (finished_) return;
    if (decoded_.stream) return replay_as_stream(std::move(canonical));
    ex_.response.set_text(std::move(canonical));
    if (!run_response_hooks(hooks_ran_)) return;
    // Usage: from the DOM when a middleware already parsed (maybe changed) the response,
    // else as the provider reported it, else read from the text.
    if (auto* d = ex_.response.parsed_dom()) read_usage(*d, usage_);
    else if (!provider_usage_) scan_usage(ex_.response.text(), usage_);
    final_status_ = status;
    if (!relay_body_.empty()) {
        res_->respond(status, response_headers("application/json"), std::move(relay_body_));
    } else {
        res_->respond(status, response_headers("application/json"), codec_.encode_response(op_, ex_.response.text()));
    }
    finish();
}

void RequestFlow::begin_client_stream() {
    if (client_stream_started_) return;
    client_stream_started_ = true;
    if (!encoder_) encoder_ = codec_.stream_encoder(decoded_);
    auto h = response_headers(codec_.stream_content_type());
    h.emplace_back("Cache-Control", "no-cache");
    final_status_ = 200;
    res_->begin_stream(200, std::move(h));
}

void RequestFlow::replay_as_stream(std::string canonical) {
    ex_.response.set_text(std::move(canonical));
    if (!run_response_hooks(hooks_ran_)) return;
    begin_client_stream();
    for (auto& chunk : response_as_chunks(ex_.response.text())) {
        emit_chunk(chunk);
        if (finished_ || aborted_) return;
    }
    std::string out;
    encoder_->end(out);
    res_->write(std::move(out));
    res_->end_stream();
    finish();
}

void RequestFlow::fail(ApiError e) {
    if (finished_) return;
    if (outcome_ == "ok") outcome_ = "error";
    final_error_ = e;
    if (e.error_class == NX_EC_NONE && e.status >= 500) final_error_.error_class = NX_EC_INTERNAL;
    spdlog::debug("[{}] request failed: {} {}", request_id_, e.status, e.message);
    if (client_stream_started_) {
        if (!in_band_error_relayed_) {  // a relayed stream already carries the upstream's error event
            if (!encoder_) encoder_ = codec_.stream_encoder(decoded_);
            std::string out;
            encoder_->error(e, out);
            res_->write(std::move(out));
        }
        res_->end_stream();
    } else {
        e.status = codec_.error_status(e);
        final_status_ = e.status;
        auto h = response_headers("application/json");
        if (e.retry_after_ms >= 0) h.emplace_back("Retry-After", std::to_string((e.retry_after_ms + 999) / 1000));
        res_->respond(e.status, std::move(h), codec_.encode_error(e));
    }
    finish();
}

void RequestFlow::finish() {
    if (finished_) return;
    finished_ = true;
    {
        std::lock_guard<std::mutex> lock(ex_.resume_mu);
        ex_.on_resume = nullptr;  // breaks the flow -> exchange -> callback -> flow cycle
    }
    if (upstream_) upstream_->cancel();
    note_attempt("cancelled");  // an attempt still open now is abandoned with the request
    if (cancelled_) final_status_ = final_status_ ? final_status_ : 499;
    if (const ModelInfo* info = upstream_model_.empty() ? nullptr : rt_->models().find(upstream_model_))
        cost_usd_ = info->cost(usage_.prompt, usage_.completion, usage_.cached);
    run_complete_hooks();

    double secs = std::chrono::duration<double>(Clock::now() - started_).count();
    std::string_view route = route_ ? std::string_view(route_->name) : std::string_view();
    std::string_view provider = provider_ ? std::string_view(provider_->name) : std::string_view();
    auto& m = Metrics::instance();
    LabelText labels;
    m.add("nexus_requests_total", labels.add("route", route)
                                      .add("provider", provider)
                                      .add("model", upstream_model_)
                                      .add("status", final_status_)
                                      .view());
    m.observe("nexus_request_duration_seconds", labels.clear().add("route", route).view(), secs);
    if (upstream_latency_us_)
        m.observe("nexus_upstream_duration_seconds", labels.clear().add("provider", provider).view(),
                  double(upstream_latency_us_) / 1e6);
    labels.clear().add("provider", provider).add("model", upstream_model_);
    const size_t tok = labels.view().size();
    if (cost_usd_ > 0) m.add("nexus_cost_usd_total", labels.view(), cost_usd_);
    if (usage_.prompt > 0) m.add("nexus_tokens_total", labels.add("direction", "in").view(), double(usage_.prompt));
    if (usage_.completion > 0) {
        labels.truncate(tok);
        m.add("nexus_tokens_total", labels.add("direction", "out").view(), double(usage_.completion));
    }

    spdlog::info("[{}] {} {} model={} provider={} status={} attempts={} outcome={} {:.1f}ms", request_id_, req_.method,
                 req_.target, decoded_.model, provider, final_status_, attempts_, outcome_, secs * 1e3);
}

}  // namespace nexus::core
