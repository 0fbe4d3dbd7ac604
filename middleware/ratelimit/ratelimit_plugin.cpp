// The `ratelimit` middleware: fixed-window request and token limits per virtual key, model,
// route or client address, counted in the host's key-value service (memory, or Redis shared
// by every host). The counters are asynchronous: on_request answers PENDING and the last
// counter's callback finishes the request through resume.
#include "limits_config.hpp"
#include "nexus/nexus.hpp"
#include "throttled_log.hpp"
#include "tokens.hpp"
#include "verdict.hpp"
#include "window.hpp"

#include <atomic>
#include <charconv>
#include <memory>

namespace {

using namespace nexus::sdk;
using namespace nexus::ratelimit;

std::atomic<unsigned> g_instances{0};

// One request's trip to the counters. Callbacks may run on other threads; each writes its own
// field, and the acq_rel countdown hands all of them to whoever finishes.
struct Check {
    nx_exchange* ex = nullptr;
    uint64_t now_ms = 0;
    Window window;
    Subject who;
    std::string token_key;
    Counts counts;
    std::atomic<bool> store_failed{false};
    std::atomic<int> outstanding{0};  // counter replies still to come, plus one for the starter
};

class RateLimit final : public Middleware {
public:
    RateLimit(Call&, std::string_view config)
        : limits_(read_limits(config)), reservation_attr_("ratelimit." + std::to_string(g_instances++) + ".reserved") {}

    nx_filter_status on_request(Call& call, Exchange& ex) override {
        auto c = std::make_shared<Check>();
        c->ex = ex.raw();
        c->now_ms = host().now_unix_ms();
        c->window = window_at(c->now_ms, limits_.window_ms);
        c->who = subject_for(limits_.key, ex.attr("key_id").value_or(""), ex.attr("model").value_or(""),
                             ex.attr("route").value_or(""), ex.attr("client_ip").value_or(""));
        if (limits_.tpm > 0) {
            c->counts.estimate = estimate(ex);
            c->token_key = counter_key("tok", c->window, c->who);
        }
        c->outstanding = (limits_.rpm > 0) + (limits_.tpm > 0) + 1;
        // Nothing below may touch `ex`: a callback can finish the request on another thread.
        if (limits_.rpm > 0) count(call, c, counter_key("req", c->window, c->who), 1, false);
        if (limits_.tpm > 0) count(call, c, c->token_key, c->counts.estimate, true);
        if (c->outstanding.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            Exchange e(c->ex);
            return finish(call.raw(), *c, e);  // every reply is in already
        }
        return NX_FILTER_PENDING;
    }

    void on_complete(Call& call, Exchange& ex, const nx_completion& info) override {
        auto attr = ex.attr(reservation_attr_);
        if (!attr) return;
        auto r = parse_reservation(*attr);
        if (!r) return;
        Outcome o{info.cache_hit != 0, info.attempts, info.prompt_tokens, info.completion_tokens};
        int64_t delta = settle_delta(r->tokens, o);
        if (delta == 0) return;
        nx_status st = kv_incr(call, r->key, delta, limits_.window_ms, [this](nx_status s, auto, int64_t) {
            if (s != NX_OK) store_log_.write(nullptr, NX_LOG_WARN, "ratelimit: settling a token reservation failed: "
                                                                   "the key-value store did not answer");
        });
        if (st != NX_OK) store_log_.write(call.raw(), NX_LOG_WARN, "ratelimit: settling a token reservation failed: "
                                                                    "the key-value store is unavailable");
    }

private:
    int64_t estimate(Exchange& ex) const {
        if (auto hint = ex.attr("prompt_tokens_estimate")) {  // used when the host provides one
            int64_t n = 0;
            auto [end, ec] = std::from_chars(hint->data(), hint->data() + hint->size(), n);
            if (ec == std::errc() && end == hint->data() + hint->size() && n > 0) return n;
        }
        uint64_t bytes = 0;
        for (size_t i = 0, n = ex.text_count(NX_DOC_REQUEST); i < n; ++i) bytes += ex.text(NX_DOC_REQUEST, i).size();
        return estimate_tokens(bytes);
    }

    void count(Call& call, const std::shared_ptr<Check>& c, const std::string& key, int64_t delta, bool tokens) {
        nx_status st = kv_incr(call, key, delta, limits_.window_ms, [this, c, tokens](nx_status s, auto, int64_t n) {
            record(*c, tokens, s, n);
            if (c->outstanding.fetch_sub(1, std::memory_order_acq_rel) == 1) finish_later(*c);
        });
        if (st != NX_OK) {  // no callback will come; the starter's share keeps the countdown above zero
            record(*c, tokens, st, 0);
            c->outstanding.fetch_sub(1, std::memory_order_acq_rel);
        }
    }

    static void record(Check& c, bool tokens, nx_status s, int64_t n) {
        if (s != NX_OK) c.store_failed = true;
        else if (tokens) c.counts.tokens = n;
        else c.counts.requests = n;
    }

    void finish_later(Check& c) {
        Exchange ex(c.ex);
        nx_filter_status st = NX_FILTER_REJECT;  // without a reject set, the host answers 500
        try {
            st = finish(nullptr, c, ex);
        } catch (const std::exception& e) {
            host().log(nullptr, NX_LOG_ERROR, to_nx(std::string("ratelimit: ") + e.what()));
        }
        ex.resume(st);
    }

    nx_filter_status finish(nx_call* call, Check& c, Exchange& ex) {
        if (c.counts.tokens) ex.set_attr(reservation_attr_, reservation_attr(c.counts.estimate, c.token_key));
        if (c.store_failed) {
            store_log_.write(call, NX_LOG_WARN,
                             std::string("ratelimit: the key-value store is unavailable; on_store_error: ") +
                                 (limits_.fail_open ? "fail_open, letting requests through" : "fail_closed, answering 503"));
            if (limits_.fail_open) return NX_FILTER_CONTINUE;
            return ex.reject(503, "", "rate limiter unavailable");
        }
        Verdict v = decide(limits_, c.counts, c.window, c.now_ms, c.who);
        for (const auto& [name, value] : v.headers) ex.set_response_header(name, value);
        if (!v.allowed) return ex.reject(429, "rate_limit_error", v.message);
        return NX_FILTER_CONTINUE;
    }

    const Limits limits_;
    const std::string reservation_attr_;
    nexus::mw::ThrottledLog store_log_;
};

}  // namespace

NEXUS_MIDDLEWARE_PLUGIN(RateLimit, "ratelimit", "1.0.0",
                        "fixed-window request and token limits per key, model, route or client, shared through the "
                        "host's key-value store",
                        NX_CAP_REQUEST_HOOK | NX_CAP_COMPLETE_HOOK)
