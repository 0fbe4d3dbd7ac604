// Routing and upstream attempts: provider.prepare -> transport -> provider.parse_response or
// provider.stream_event, with fallback to the route's next target before the client has seen
// a byte.
#include "core/json_text.hpp"
#include "core/loop_context.hpp"
#include "core/loop_timer.hpp"
#include "core/metrics.hpp"
#include "core/request_flow.hpp"
#include "core/strategy.hpp"
#include "core/token_estimate.hpp"
#include "core/upstream_request.hpp"

#include <spdlog/spdlog.h>

namespace nexus::core {

namespace {
constexpr size_t kMaxUpstreamBody = 64u << 20;

nx_str nx(std::string_view s) { return nx_str{s.data(), s.size()}; }

bool falls_back(nx_error_class cls) {
    switch (cls) {
        case NX_EC_AUTHENTICATION:
        case NX_EC_NOT_FOUND:
        case NX_EC_RATE_LIMITED:
        case NX_EC_QUOTA_EXHAUSTED:
        case NX_EC_SERVER:
        case NX_EC_OVERLOADED:
        case NX_EC_TIMEOUT:
        case NX_EC_PROTOCOL:
        case NX_EC_NETWORK:
            return true;
        default:
            return false;
    }
}

const char* code_for_class(nx_error_class cls) {
    switch (cls) {
        case NX_EC_RATE_LIMITED: return "rate_limit_exceeded";
        case NX_EC_QUOTA_EXHAUSTED: return "insufficient_quota";
        case NX_EC_CONTEXT_LENGTH: return "context_length_exceeded";
        case NX_EC_NOT_FOUND: return "model_not_found";
        case NX_EC_TIMEOUT: return "upstream_timeout";
        case NX_EC_NETWORK: return "upstream_unreachable";
        case NX_EC_PROTOCOL: return "upstream_protocol_error";
        default: return "";
    }
}
}  // namespace

void RequestFlow::route() {
    if (!route_) {
        ApiError e;
        e.status = 404;
        e.type = "invalid_request_error";
        e.param = "model";
        e.code = "model_not_found";
        e.error_class = NX_EC_NOT_FOUND;
        e.message = "The model '" + decoded_.model +
                    "' does not exist on this gateway: configure a route for it, or address a provider directly as "
                    "'<provider>/<model>'";
        return fail(std::move(e));
    }
    if (route_->targets.empty()) return fail(ApiError::internal("route '" + route_->name + "' has no usable target"));
    if (route_->strategy != "fallback" && route_->targets.size() > 1) {
        auto order = try_order(*route_, rt_->models(), jitter_random);
        ResolvedRoute ordered = *route_;
        ordered.targets.clear();
        for (size_t i : order) ordered.targets.push_back(route_->targets[i]);
        route_scratch_ = std::move(ordered);
        route_ = &route_scratch_;
    }
    attempt(0);
}

ApiError RequestFlow::classify(const nx_call& call, const char* what) const {
    ApiError e;
    e.error_class = call.error_class != NX_EC_NONE ? call.error_class : NX_EC_PROTOCOL;
    e.status = status_for_error_class(e.error_class, call.upstream_status);
    e.type = type_for_status(e.status);
    e.code = code_for_class(e.error_class);
    e.retry_after_ms = call.retry_after_ms;
    std::string detail = !call.upstream_message.empty() ? call.upstream_message
                         : !call.error.empty()          ? call.error
                                                        : std::string(what) + " failed";
    e.message = "upstream provider '" + provider_->name + "' (" + upstream_model_ + "): " + detail;
    return e;
}

namespace {
// Outcomes that say the target itself is unwell (they count towards opening its circuit).
bool unhealthy(nx_error_class cls) {
    return cls == NX_EC_SERVER || cls == NX_EC_OVERLOADED || cls == NX_EC_TIMEOUT || cls == NX_EC_NETWORK ||
           cls == NX_EC_PROTOCOL;
}
// Outcomes that say the target answered sensibly, whatever the request's fate.
bool healthy(std::string_view outcome, nx_error_class cls) {
    return outcome == "ok" || cls == NX_EC_INVALID_REQUEST || cls == NX_EC_CONTEXT_LENGTH || cls == NX_EC_CONTENT_FILTER;
}
}  // namespace

void RequestFlow::note_attempt(std::string_view outcome, nx_error_class cls) {
    if (!attempt_open_) return;
    attempt_open_ = false;
    attempt_log_.end(outcome, upstream_status_);
    TargetHealth& health = *route_->targets[target_index_].health;
    --health.in_flight;
    const auto& b = route_->breaker;
    if (healthy(outcome, cls)) health.success(TargetHealth::Clock::now(), b.window);
    else if (unhealthy(cls))
        health.failure(b.failures, TargetHealth::Clock::now(), {b.failure_ratio, b.window, b.min_requests});
    else if (probing_) health.probe_abandoned();
    probing_ = false;
    Metrics::instance().add(
        "nexus_upstream_attempts_total",
        LabelText().add("provider", provider_->name).add("model", upstream_model_).add("outcome", outcome).view());
}

bool RequestFlow::retry_same_target(const ApiError& e) {
    if (!loop_ || !provider_ || !provider_->available || !route_->retry.retries(e.error_class)) return false;
    if (target_attempts_ >= route_->retry.max_attempts) return false;
    auto wait = route_->retry.delay(target_attempts_, e.retry_after_ms, jitter_random());
    if (!wait) {
        spdlog::warn("[{}] target {}/{} asks to retry after {} ms, more than max_backoff; falling back", request_id_,
                     provider_->name, upstream_model_, e.retry_after_ms);
        return false;
    }
    spdlog::warn("[{}] target {}/{} failed ({}), retrying in {} ms", request_id_, provider_->name, upstream_model_,
                 error_class_name(e.error_class), wait->count());
    if (stream_state_) {
        provider_->plugin->provider->stream_close(provider_->instance, stream_state_);
        stream_state_ = nullptr;
    }
    retrying_ = true;
    auto self = shared_from_this();
    run_after(loop_, *wait, [self] {
        if (self->finished_) return;
        if (self->cancelled_) return self->finish();
        self->attempt(self->target_index_);
    });
    return true;
}

// An upstream context-length error: the next target with a larger known window gets the
// request; without one the error goes to the client.
bool RequestFlow::roomier_target(const ApiError& e) {
    if (e.error_class != NX_EC_CONTEXT_LENGTH || op_ != NX_OP_CHAT) return false;
    auto window = [&](size_t i) {
        const ModelInfo* info = rt_->models().find(route_->targets[i].model);
        return info ? info->context_window : 0;
    };
    int64_t w = window(target_index_);
    for (size_t j = target_index_ + 1; j < route_->targets.size(); ++j) {
        if (window(j) <= w) continue;
        spdlog::warn("[{}] target {}/{} rejected the prompt as too long; trying {} (window {})", request_id_,
                     provider_->name, upstream_model_, route_->targets[j].model, window(j));
        if (stream_state_) {
            provider_->plugin->provider->stream_close(provider_->instance, stream_state_);
            stream_state_ = nullptr;
        }
        attempt(j);
        return true;
    }
    return false;
}

bool RequestFlow::try_next_target(const ApiError& e) {
    Metrics::instance().add("nexus_upstream_errors_total", "provider=\"" + label_value(provider_ ? provider_->name : "") +
                                                               "\",class=\"" + error_class_name(e.error_class) + "\"");
    const bool rotated = attempt_open_ && key_index_ >= 0;
    note_attempt(error_class_name(e.error_class), e.error_class);
    const bool skipped = e.code == "circuit_open" || e.code == "keys_cooling";  // nothing was sent
    if (!skipped) last_error_ = e;
    if (cancelled_ || client_stream_started_) return false;
    if (rotated && key_feedback(e)) return true;
    if (!skipped && retry_same_target(e)) return true;
    if (roomier_target(e)) return true;
    if (!falls_back(e.error_class)) return false;
    if (target_index_ + 1 >= route_->targets.size()) return false;
    spdlog::warn("[{}] target {}/{} failed ({}), falling back", request_id_, provider_ ? provider_->name : "?",
                 upstream_model_, error_class_name(e.error_class));
    if (stream_state_) {
        provider_->plugin->provider->stream_close(provider_->instance, stream_state_);
        stream_state_ = nullptr;
    }
    attempt(target_index_ + 1);
    return true;
}

void RequestFlow::attempt(size_t index) {
    bool same_target = retrying_ && index == target_index_;
    retrying_ = false;
    target_index_ = index;
    const Target& target = route_->targets[index];
    provider_ = target.provider;
    upstream_model_ = target.model;
    upstream_status_ = 0;
    upstream_headers_.clear();
    upstream_body_.clear();
    upstream_streaming_ = false;
    stream_done_ = false;
    stream_error_.reset();
    sse_.reset();
    ndjson_.reset();
    relay_events_.clear();

    if (!provider_->available) {
        ApiError e;
        e.status = 503;
        e.type = "server_error";
        e.code = "provider_unavailable";
        e.error_class = NX_EC_AUTHENTICATION;
        e.message = "provider '" + provider_->name + "' is unavailable: " + provider_->unavailable_reason;
        if (!try_next_target(e)) fail(std::move(e));
        return;
    }
    if (!fits_context(index)) return;
    std::string_view key;
    if (!pick_key(&key)) return;
    if (!circuit_admits()) return;
    prepare_attempt_body(target, rt_->models().find(target.model));
    ++attempts_;
    target_attempts_ = same_target ? target_attempts_ + 1 : 1;
    attempt_open_ = true;
    attempt_log_.begin(provider_->name, upstream_model_);
    ++target.health->in_flight;

    plugin_headers_ = plugin_visible_headers(req_.headers);
    std::string_view body = attempt_body_.empty() ? ex_.request.text() : std::string_view(attempt_body_);
    preq_ = nx_provider_request{};
    preq_.struct_size = sizeof preq_;
    preq_.op = op_;
    preq_.body = nx(body);
    preq_.upstream_model = nx(upstream_model_);
    preq_.base_url = nx(provider_->cfg.base_url);
    preq_.api_key = nx(key);
    preq_.client_headers = plugin_headers_.data();
    preq_.client_header_count = plugin_headers_.size();
    preq_.stream = decoded_.stream ? 1 : 0;
    // Same wire, no translation: a provider that speaks the client's format gets the client's
    // bytes, unless middleware changed the request (then only the canonical form is true).
    native_ = decoded_.native_format && std::string_view(decoded_.native_format) == "anthropic" &&
              (provider_->plugin->capabilities & NX_CAP_NATIVE_ANTHROPIC) && !ex_.request.changed_since_set() &&
              attempt_body_.empty();
    relay_ = native_ && !chain_rewrites_output();
    if (native_) {
        preq_.native_format = nx("anthropic");
        preq_.native_body = nx(decoded_.native_text);
    }

    nx_buf method, url, out_body;
    nx_headers headers;
    headers.items.reserve(8);
    nx_http_request_out out{sizeof(nx_http_request_out), NX_FRAMING_NONE, &method, &url, &headers, &out_body};
    nx_call call;
    call.plugin = provider_->plugin->name;
    call.request_id = request_id_;
    nx_status st = provider_->plugin->provider->prepare(&call, provider_->instance, &preq_, &out);
    if (st != NX_OK) {
        ApiError e = st == NX_ERR_INVALID || st == NX_ERR_UNSUPPORTED
                         ? ApiError::invalid("provider '" + provider_->name + "' cannot take this request: " + call.error)
                         : ApiError::internal("provider plugin '" + provider_->plugin->name +
                                              "' failed to prepare the request: " + call.error);
        if (st == NX_ERR_UPSTREAM) e = classify(call, "prepare");
        if (!try_next_target(e)) fail(std::move(e));
        return;
    }
    framing_ = out.framing;

    net::ClientRequest cr = make_client_request(provider_->cfg, std::move(method.data), std::move(url.data),
                                                std::move(headers.items), std::move(out_body.data));
    const auto& rto = route_->timeouts;
    if (rto.connect) cr.timeouts.connect = *rto.connect;
    if (rto.first_byte) cr.timeouts.first_byte = *rto.first_byte;
    if (rto.idle) cr.timeouts.idle = *rto.idle;
    if (rto.total) cr.timeouts.total = *rto.total;
    upstream_started_ = Clock::now();
    auto self = shared_from_this();
    net::ClientCallbacks cb;
    cb.on_headers = [self](int status, net::HeaderList&& h) { self->upstream_headers(status, std::move(h)); };
    cb.on_data = [self](std::string_view d) { return self->upstream_data(d); };
    cb.on_done = [self](net::ClientError err, const std::string& detail) { self->upstream_done(err, detail); };
    upstream_ = loop_http_client().send(std::move(cr), std::move(cb));
}

bool RequestFlow::pick_key(std::string_view* key) {
    key_index_ = -1;
    const size_t keys = provider_->cfg.keys.size();
    if (keys == 0) {  // a keyless provider (a local Ollama)
        *key = {};
        return true;
    }
    auto pick = provider_->key_rotation.pick();
    if (pick.index >= 0) {
        key_index_ = pick.index;
        *key = provider_->cfg.keys[size_t(pick.index)];
        return true;
    }
    ApiError e;
    e.type = "server_error";
    if (pick.all_rejected) {
        e.status = 503;
        e.code = "provider_unavailable";
        e.error_class = NX_EC_AUTHENTICATION;
        e.message = "provider '" + provider_->name + "' is unavailable: " +
                    (keys == 1 ? std::string("its API key was rejected (401); fix it and reload")
                               : "all " + std::to_string(keys) + " API keys were rejected (401); fix them and reload");
    } else {
        e.status = 429;
        e.type = "rate_limit_error";
        e.code = "keys_cooling";
        e.error_class = NX_EC_RATE_LIMITED;
        e.retry_after_ms = pick.retry_after_ms;
        e.message = "provider '" + provider_->name + "': every API key is cooling down after a 429";
    }
    if (!try_next_target(e)) fail(last_error_ ? *last_error_ : std::move(e));
    return false;
}

bool RequestFlow::key_feedback(const ApiError& e) {
    const size_t index = size_t(key_index_);
    if (e.error_class == NX_EC_RATE_LIMITED && provider_->cfg.keys.size() > 1) {
        auto cool = std::chrono::milliseconds(e.retry_after_ms > 0 ? e.retry_after_ms : 1000);
        provider_->key_rotation.cool_down(index, cool);
        spdlog::warn("[{}] provider '{}': API key #{} got 429; cooling down for {} ms", request_id_, provider_->name, index,
                     cool.count());
    } else if (e.error_class == NX_EC_AUTHENTICATION) {
        provider_->key_rotation.reject(index);
        if (provider_->cfg.keys.size() == 1)
            spdlog::error("provider '{}': API key #0 (its only key) was rejected with 401 and is taken out until the next "
                          "reload; the provider answers with an error meanwhile",
                          provider_->name);
        else
            spdlog::error("provider '{}': API key #{} (of {}) was rejected with 401 and is taken out of rotation until "
                          "the next reload",
                          provider_->name, index, provider_->cfg.keys.size());
    } else {
        return false;
    }
    if (++key_switches_ > provider_->cfg.keys.size()) return false;
    if (provider_->key_rotation.pick().index < 0) return false;  // no other key usable right now
    if (stream_state_) {
        provider_->plugin->provider->stream_close(provider_->instance, stream_state_);
        stream_state_ = nullptr;
    }
    spdlog::info("[{}] provider '{}': trying again with another key", request_id_, provider_->name);
    retrying_ = true;
    attempt(target_index_);
    return true;
}

bool RequestFlow::circuit_admits() {
    const Target& target = route_->targets[target_index_];
    auto admit = target.health->admit(route_->breaker.cooldown);
    probing_ = admit == TargetHealth::Admit::probe;
    if (probing_) spdlog::info("[{}] target {}/{}: circuit half-open, this request is the probe", request_id_,
                               provider_->name, upstream_model_);
    if (admit != TargetHealth::Admit::no) return true;
    ++circuit_skips_;
    ApiError e;
    e.status = 503;
    e.type = "server_error";
    e.code = "circuit_open";
    e.error_class = NX_EC_OVERLOADED;
    e.message = circuit_skips_ >= route_->targets.size()
                    ? "all targets of route '" + route_->name + "' are unavailable (circuit open)"
                    : "target " + provider_->name + "/" + upstream_model_ + " is unavailable (circuit open)";
    if (!try_next_target(e)) fail(last_error_ ? *last_error_ : std::move(e));
    return false;
}

// A prompt that cannot fit the target's context window is not sent: the next target whose
// window fits gets it, or the client gets a clear 400 before any upstream call.
bool RequestFlow::fits_context(size_t index) {
    if (op_ != NX_OP_CHAT) return true;
    auto window = [&](size_t i) {
        const ModelInfo* info = rt_->models().find(route_->targets[i].model);
        return info ? info->context_window : 0;
    };
    int64_t w = window(index);
    if (w <= 0) return true;
    if (prompt_estimate_ < 0 || ex_.request.changed_since_set()) {  // middleware may have rewritten it
        auto* d = ex_.request.dom();
        prompt_estimate_ = d ? estimate_prompt_tokens(*d) : 0;
    }
    if (prompt_estimate_ <= w) return true;
    for (size_t j = index + 1; j < route_->targets.size(); ++j) {
        int64_t wj = window(j);
        if (wj <= 0 || prompt_estimate_ <= wj) {
            spdlog::info("[{}] prompt of ~{} tokens exceeds {}'s window of {}; trying {}", request_id_, prompt_estimate_,
                         route_->targets[index].model, w, route_->targets[j].model);
            attempt(j);
            return false;
        }
    }
    ApiError e = ApiError::invalid("the prompt is about " + std::to_string(prompt_estimate_) +
                                       " tokens, more than the context window of " + std::to_string(w) + " tokens of '" +
                                       route_->targets[index].model + "'",
                                   "messages", "context_length_exceeded");
    e.error_class = NX_EC_CONTEXT_LENGTH;
    fail(std::move(e));
    return false;
}

// targets[].params override request fields for one target; max_tokens above the model's
// output cap is clamped (and the client told so in a header) rather than failing upstream.
void RequestFlow::prepare_attempt_body(const Target& target, const ModelInfo* info) {
    attempt_body_.clear();
    rapidjson::Document* req = ex_.request.dom();
    if (!req || !req->IsObject()) return;
    int64_t cap = info ? info->max_output_tokens : 0;
    std::vector<const char*> clamp;
    for (const char* k : {"max_tokens", "max_completion_tokens"})
        if (const auto* v = member(*req, k); cap > 0 && v && v->IsInt64() && v->GetInt64() > cap) clamp.push_back(k);
    if (target.params_json.empty() && clamp.empty()) return;

    rapidjson::Document d;
    d.CopyFrom(*req, d.GetAllocator());
    if (!target.params_json.empty()) {
        rapidjson::Document params;
        if (parse_json(target.params_json, params, nullptr) && params.IsObject())
            for (auto it = params.MemberBegin(); it != params.MemberEnd(); ++it) {
                rapidjson::Value name(it->name, d.GetAllocator());
                rapidjson::Value value(it->value, d.GetAllocator());
                if (d.HasMember(name)) d[name] = value;
                else d.AddMember(name, value, d.GetAllocator());
            }
    }
    for (const char* k : clamp) {
        int64_t asked = d[k].GetInt64();
        if (asked <= cap) continue;  // params may have lowered it already
        d[k].SetInt64(cap);
        ex_.response_headers.emplace_back("x-nexus-max-tokens-clamped", std::to_string(asked) + "->" + std::to_string(cap));
    }
    attempt_body_ = to_json(d);
}

void RequestFlow::upstream_headers(int status, net::HeaderList&& headers) {
    upstream_status_ = status;
    upstream_headers_ = std::move(headers);
    if (status >= 200 && status <= 299)
        route_->targets[target_index_].health->first_byte(
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - upstream_started_));
    if (!decoded_.stream || status < 200 || status > 299 || finished_) return;
    nx_call call;
    call.plugin = provider_->plugin->name;
    call.request_id = request_id_;
    auto* vt = provider_->plugin->provider;
    if (!vt->stream_open || vt->stream_open(&call, provider_->instance, &preq_, &stream_state_) != NX_OK) {
        stream_state_ = nullptr;
        stream_error_ = ApiError::internal("provider plugin '" + provider_->plugin->name +
                                           "' cannot stream: " + (call.error.empty() ? "no stream support" : call.error));
        return;
    }
    upstream_streaming_ = true;
    sink_.emit = [this](std::string_view chunk) {
        emit_chunk(chunk);
        return NX_OK;
    };
    if (framing_ == NX_FRAMING_NDJSON) ndjson_.emplace();
    else sse_.emplace();
}

bool RequestFlow::upstream_data(std::string_view data) {
    if (finished_ || stream_error_) return false;
    if (upstream_streaming_ && relay_) {
        if (std::string whole = relay_events_.take(data); !whole.empty()) {
            begin_client_stream();
            res_->write(std::move(whole));
        }
    }
    if (!upstream_streaming_) {
        if (upstream_body_.size() + data.size() > kMaxUpstreamBody) {
            stream_error_ = ApiError::internal("upstream response exceeds " + std::to_string(kMaxUpstreamBody) + " bytes");
            stream_error_->status = 502;
            stream_error_->error_class = NX_EC_PROTOCOL;
            return false;
        }
        upstream_body_.append(data);
        return true;
    }
    bool ok = true;
    if (sse_) {
        ok = sse_->feed(data, [this](const net::SseEvent& ev) {
            stream_event(ev.event, ev.data, ev.id);
            return !finished_ && !stream_error_;
        });
        if (!ok && sse_->overflowed()) stream_error_ = ApiError::internal("upstream stream event too large");
    } else {
        ok = ndjson_->feed(data, [this](std::string_view line) {
            stream_event({}, line, {});
            return !finished_ && !stream_error_;
        });
        if (!ok && ndjson_->overflowed()) stream_error_ = ApiError::internal("upstream stream line too large");
    }
    return ok && !finished_ && !stream_error_;
}

void RequestFlow::stream_event(std::string_view event, std::string_view data, std::string_view id) {
    if (stream_done_) return;
    nx_stream_event ev{sizeof(nx_stream_event), 0, nx(event), nx(data), nx(id)};
    nx_call call;
    call.plugin = provider_->plugin->name;
    call.request_id = request_id_;
    nx_stream_result r = provider_->plugin->provider->stream_event(&call, provider_->instance, stream_state_, &ev, &sink_);
    if (r == NX_STREAM_DONE) {
        stream_done_ = true;
    } else if (r != NX_STREAM_CONTINUE) {
        stream_error_ = classify(call, "stream_event");
        in_band_error_relayed_ = relay_;
    }
}

void RequestFlow::emit_chunk(std::string_view chunk_json) {
    if (finished_) return;
    bool hooked = false;
    for (size_t i = 0; i < std::min(hooks_ran_, out_hooks_) && !hooked; ++i) hooked = entries_[i]->has(NX_CAP_CHUNK_HOOK);
    std::string_view text = chunk_json;
    if (hooked) {
        ex_.chunk.set_text(std::string(chunk_json));
        if (!run_chunk_hooks()) return;
        text = ex_.chunk.text();
    }
    // The client's encoder may need no DOM (OpenAI: the chunk goes out as it is): then one SAX
    // scan finds what the host needs of it. Relayed chunks need nothing but usage.
    if (!encoder_) encoder_ = codec_.stream_encoder(decoded_);
    const bool scan_only = relay_ || !encoder_->needs_dom();
    ChunkFacts facts;
    if (scan_only ? !scan_chunk(text, facts) : !parse_json(text, chunk_doc_, nullptr)) {
        spdlog::warn("[{}] provider '{}' emitted a chunk that is not JSON; dropped", request_id_, provider_->name);
        return;
    }
    if (scan_only) merge_usage(facts.usage, usage_);
    else read_usage(chunk_doc_, usage_);
    if (relay_) return;  // the client already has the upstream's own bytes
    begin_client_stream();
    out_buf_.clear();
    if (scan_only) encoder_->chunk(text, facts, out_buf_);
    else encoder_->chunk(text, chunk_doc_, out_buf_);
    if (!out_buf_.empty()) res_->write(out_buf_);
}

void RequestFlow::upstream_done(net::ClientError err, const std::string& detail) {
    upstream_.reset();
    upstream_latency_us_ += uint64_t(
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - upstream_started_).count());
    if (finished_) return;
    if (cancelled_) {
        note_attempt("cancelled");
        return finish();
    }

    if (upstream_streaming_ && !stream_error_ && err == net::ClientError::none) {
        if (sse_) sse_->finish([this](const net::SseEvent& ev) {
            stream_event(ev.event, ev.data, ev.id);
            return true;
        });
        if (ndjson_) ndjson_->finish([this](std::string_view line) {
            stream_event({}, line, {});
            return true;
        });
        if (!stream_done_ && !stream_error_ && provider_->plugin->provider->stream_finish) {
            nx_call call;
            call.plugin = provider_->plugin->name;
            call.request_id = request_id_;
            if (provider_->plugin->provider->stream_finish(&call, provider_->instance, stream_state_, &sink_) != NX_OK)
                stream_error_ = classify(call, "stream_finish");
        }
    }
    if (!stream_error_ && err != net::ClientError::none) {
        ApiError e;
        bool timeout = err == net::ClientError::timeout_connect || err == net::ClientError::timeout_first_byte ||
                       err == net::ClientError::timeout_idle || err == net::ClientError::timeout_total;
        e.error_class = timeout ? NX_EC_TIMEOUT : NX_EC_NETWORK;
        e.status = timeout ? 504 : 502;
        e.type = "server_error";
        e.code = code_for_class(e.error_class);
        e.message = "upstream provider '" + provider_->name + "' (" + upstream_model_ + "): " + net::to_string(err) +
                    (detail.empty() ? "" : ": " + detail);
        stream_error_ = std::move(e);
    }
    if (stream_error_) {
        ApiError e = std::move(*stream_error_);
        stream_error_.reset();
        if (!try_next_target(e)) fail(std::move(e));
        return;
    }
    if (upstream_streaming_) {
        note_attempt("ok");
        begin_client_stream();  // an upstream stream with no chunks still gets a well-formed reply
        if (relay_) {
            if (std::string rest = relay_events_.rest(); !rest.empty()) res_->write(std::move(rest));
        } else {
            std::string out;
            encoder_->end(out);
            res_->write(std::move(out));
        }
        res_->end_stream();
        return finish();
    }

    std::vector<nx_header> hs;
    hs.reserve(upstream_headers_.size());
    for (const auto& [k, v] : upstream_headers_) hs.push_back(nx_header{nx(k), nx(v)});
    nx_http_response_in resp{sizeof(nx_http_response_in), upstream_status_, hs.data(), hs.size(), nx(upstream_body_)};
    nx_buf out;
    nx_call call;
    call.plugin = provider_->plugin->name;
    call.request_id = request_id_;
    nx_status st = provider_->plugin->provider->parse_response(&call, provider_->instance, &preq_, &resp, &out);
    if (st == NX_OK) {
        note_attempt("ok");
        if (call.usage_reported) {
            provider_usage_ = TokenUsage{call.prompt_tokens, call.completion_tokens, call.cached_tokens};
            merge_usage(*provider_usage_, usage_);
        }
        if (relay_) relay_body_ = std::move(upstream_body_);
        return deliver_response(200, std::move(out.data));
    }
    ApiError e = st == NX_ERR_UPSTREAM ? classify(call, "parse_response")
                                       : ApiError::internal("provider plugin '" + provider_->plugin->name +
                                                            "' failed to read the upstream response: " + call.error);
    if (st != NX_ERR_UPSTREAM) {
        e.status = 502;
        e.error_class = NX_EC_PROTOCOL;
    }
    if (!try_next_target(e)) fail(std::move(e));
}

}  // namespace nexus::core
