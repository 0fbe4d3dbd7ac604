// The middleware chain around one request (Envoy-style filter status; see nexus.h).
#include "core/loop_context.hpp"
#include "core/metrics.hpp"
#include "core/request_flow.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace nexus::core {

namespace {
nx_call make_call(const MiddlewareRuntime& m, const std::string& request_id) {
    nx_call c;
    c.plugin = m.name;
    c.request_id = request_id;
    return c;
}

void time_hook(Metrics::Series* series, std::chrono::steady_clock::time_point t0) {
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    Metrics::instance().observe(series, s);
}
}  // namespace

// A hook failed without setting a reject (it threw, or returned an invalid status). Returns true
// when the request should go on (fail_open); otherwise sets a 500 reject naming the middleware.
bool RequestFlow::contained_failure(size_t index, const nx_call& call, const char* hook) {
    const auto& m = *entries_[index];
    std::string why = call.error.empty() ? "failed" : call.error;
    spdlog::error("[{}] middleware '{}' {} failed: {}{}", request_id_, m.name, hook, why,
                  m.fail_open ? " (on_error: fail_open, continuing)" : "");
    Metrics::instance().add("nexus_middleware_errors_total", LabelText().add("middleware", m.name).add("hook", hook).view());
    if (m.fail_open) return true;
    ex_.has_reject = true;
    ex_.reject_error = ApiError::internal("middleware '" + m.name + "' failed in " + hook + ": " + why);
    return false;
}

void RequestFlow::add_chain(const Chain& chain) {
    for (const auto& m : chain.entries)
        if (std::find(entries_.begin(), entries_.end(), m.get()) == entries_.end()) entries_.push_back(m.get());
}

// A middleware (auth, per virtual key) may name a chain in the `chain` attribute; it runs
// after the route's chain, once.
bool RequestFlow::add_requested_chain() {
    if (extra_chain_added_) return false;
    const std::string* name = ex_.attr("chain");
    if (!name || name->empty()) return false;
    extra_chain_added_ = true;
    const Chain* c = rt_->chain(*name);
    if (!c) {
        spdlog::error("[{}] middleware asked for chain '{}', which is not configured; ignored", request_id_, *name);
        return false;
    }
    size_t before = entries_.size();
    add_chain(*c);
    return entries_.size() > before;
}

bool RequestFlow::chain_rewrites_output() const {
    for (const auto* m : entries_)
        if (m->has(NX_CAP_RESPONSE_HOOK) || m->has(NX_CAP_CHUNK_HOOK)) return true;
    return false;
}

void RequestFlow::run_request_hooks(size_t from) {
    for (size_t i = from; i < entries_.size() || add_requested_chain(); ++i) {
        if (finished_) return;
        const auto& m = *entries_[i];
        hooks_ran_ = i + 1;
        if (!m.has(NX_CAP_REQUEST_HOOK)) continue;
        auto self = shared_from_this();
        {
            std::lock_guard<std::mutex> lock(ex_.resume_mu);
            ex_.on_resume = [self, i](nx_filter_status st) {
                post_to_loop(self->loop_, [self, i, st] {
                    if (self->pending_index_ != i) return;  // not (or no longer) waiting on hook i
                    self->pending_index_ = SIZE_MAX;
                    self->request_hook_finished(i, st);
                });
            };
        }
        pending_index_ = i;
        nx_call call = make_call(m, request_id_);
        auto t0 = std::chrono::steady_clock::now();
        nx_filter_status st = m.plugin->middleware->on_request(&call, m.instance, &ex_);
        time_hook(m.on_request_seconds, t0);
        if (st == NX_FILTER_PENDING) return;  // request_hook_finished(i, ...) comes through resume
        {
            std::lock_guard<std::mutex> lock(ex_.resume_mu);
            ex_.on_resume = nullptr;
        }
        pending_index_ = SIZE_MAX;
        if (st == NX_FILTER_CONTINUE) continue;
        if (st == NX_FILTER_REJECT && !ex_.has_reject && contained_failure(i, call, "on_request")) continue;
        if (st != NX_FILTER_CONTINUE && st != NX_FILTER_REJECT && st != NX_FILTER_RESPOND) {
            call.error = "returned unknown status " + std::to_string(st);
            if (contained_failure(i, call, "on_request")) continue;
        }
        if (st == NX_FILTER_RESPOND && !ex_.has_respond) {
            call.error = "returned RESPOND without a response";
            if (contained_failure(i, call, "on_request")) continue;
        }
        return request_hook_finished(i, st);
    }
    if (!finished_) route();
}

void RequestFlow::request_hook_finished(size_t index, nx_filter_status st) {
    if (finished_) return;
    if (cancelled_) return finish();
    if (st == NX_FILTER_CONTINUE) return run_request_hooks(index + 1);
    hooks_ran_ = index + 1;
    if (ex_.has_respond && st == NX_FILTER_RESPOND) {
        outcome_ = "responded";
        // Middleware before the one that answered sees the response on the way out; the one
        // that answered gets on_complete like every middleware that ran.
        out_hooks_ = index;
        return deliver_response(ex_.respond_status, ex_.respond_body);
    }
    outcome_ = "rejected";
    ApiError e = ex_.has_reject ? ex_.reject_error : ApiError::internal("middleware rejected the request");
    if (!ex_.has_reject) e.message = "middleware '" + entries_[index]->name + "' rejected the request";
    fail(std::move(e));
}

bool RequestFlow::run_response_hooks(size_t count) {
    for (size_t i = std::min(count, out_hooks_); i-- > 0;) {
        const auto& m = *entries_[i];
        if (!m.has(NX_CAP_RESPONSE_HOOK)) continue;
        nx_call call = make_call(m, request_id_);
        auto t0 = std::chrono::steady_clock::now();
        nx_filter_status st = m.plugin->middleware->on_response(&call, m.instance, &ex_);
        time_hook(m.on_response_seconds, t0);
        if (st == NX_FILTER_CONTINUE || st == NX_FILTER_RESPOND) continue;
        if (st == NX_FILTER_REJECT && !ex_.has_reject && contained_failure(i, call, "on_response")) continue;
        if (st == NX_FILTER_PENDING) {
            call.error = "PENDING is not supported in on_response";
            if (contained_failure(i, call, "on_response")) continue;
        }
        outcome_ = "rejected";
        fail(ex_.reject_error);
        return false;
    }
    return true;
}

bool RequestFlow::run_chunk_hooks() {
    for (size_t i = std::min(hooks_ran_, out_hooks_); i-- > 0;) {
        const auto& m = *entries_[i];
        if (!m.has(NX_CAP_CHUNK_HOOK)) continue;
        nx_call call = make_call(m, request_id_);
        nx_chunk_status st = m.plugin->middleware->on_chunk(&call, m.instance, &ex_);
        if (st == NX_CHUNK_PASS) continue;
        if (st == NX_CHUNK_DROP) return false;
        if (!ex_.has_reject && contained_failure(i, call, "on_chunk")) continue;
        aborted_ = true;
        outcome_ = "rejected";
        fail(ex_.has_reject ? ex_.reject_error : ApiError::internal("middleware aborted the stream"));
        return false;
    }
    return true;
}

void RequestFlow::run_complete_hooks() {
    nx_completion info{};
    info.struct_size = sizeof info;
    info.http_status = final_status_;
    info.error_class = final_error_.error_class;
    info.cache_hit = outcome_ == "responded" ? 1 : 0;
    info.prompt_tokens = usage_.prompt;
    info.completion_tokens = usage_.completion;
    info.cached_tokens = usage_.cached;
    info.cost_usd = cost_usd_;
    info.latency_us = uint64_t(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_).count());
    info.upstream_latency_us = upstream_latency_us_;
    info.attempts = attempts_;
    info.outcome = nx_str{outcome_.data(), outcome_.size()};
    std::string provider = provider_ ? provider_->name : "";
    info.provider = nx_str{provider.data(), provider.size()};
    info.upstream_model = nx_str{upstream_model_.data(), upstream_model_.size()};
    bool attempts_listed = false;
    for (size_t i = hooks_ran_; i-- > 0;) {
        const auto& m = *entries_[i];
        if (!m.has(NX_CAP_COMPLETE_HOOK)) continue;
        if (!attempts_listed) {  // only built when some on_complete can read it
            ex_.set_attr("attempts", attempt_log_.json());
            attempts_listed = true;
        }
        nx_call call = make_call(m, request_id_);
        m.plugin->middleware->on_complete(&call, m.instance, &ex_, &info);
        if (!call.error.empty()) spdlog::error("[{}] middleware '{}' on_complete failed: {}", request_id_, m.name, call.error);
    }
}

}  // namespace nexus::core
