// The `audit` middleware: one hash-chained JSON line per request, written off the request
// path (writer.hpp). Record format: FORMAT.md. Verification: `nexus audit verify FILE...`.
#include "audit_config.hpp"
#include "capture.hpp"
#include "record.hpp"
#include "writer.hpp"

#include "nexus/nexus.hpp"

#include <rapidjson/document.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace nexus::audit {
namespace {

using namespace nexus::sdk;

uint64_t now_ms() {
    return uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count());
}

// Loud but not flooding: at most one error line per kind every 10 seconds, with a count of
// what happened since the last one. Plugin-wide: writers outlive the instance that made them.
class RateLimitedError {
public:
    explicit RateLimitedError(const char* what) : what_(what) {}
    void hit(const std::string& detail) {
        uint64_t n = ++since_;
        uint64_t now = now_ms(), last = last_ms_.load();
        if (now - last < 10000 && last != 0) return;
        if (!last_ms_.compare_exchange_strong(last, now)) return;
        since_ -= n;
        std::string msg = "audit: " + std::string(what_) + " (" + std::to_string(n) + " since the last report): " + detail;
        host().log(nullptr, NX_LOG_ERROR, to_nx(msg));
    }

private:
    const char* what_;
    std::atomic<uint64_t> since_{0};
    std::atomic<uint64_t> last_ms_{0};
};

RateLimitedError g_dropped("records dropped, the write queue is full");
RateLimitedError g_write_failed("records lost, the log cannot be written");

class Audit final : public Middleware {
public:
    Audit(Call& call, std::string_view config) : cfg_(parse_config(config)) {
        // Without response capture only on_complete is needed.
        call.use_hooks(NX_CAP_COMPLETE_HOOK | (cfg_.capture_response ? NX_CAP_RESPONSE_HOOK | NX_CAP_CHUNK_HOOK : 0));
        auto notice = [](const std::string& msg) { host().log(nullptr, NX_LOG_WARN, to_nx("audit: " + msg)); };
        auto on_error = [](const std::string& why) {
            counter_add("nexus_audit_write_errors_total", "", 1);
            g_write_failed.hit(why);
        };
        try {
            writer_ = shared_writer(cfg_.log, cfg_.queue, now_ms, notice, on_error);
        } catch (const std::runtime_error& e) {
            throw Error(NX_ERR_INVALID, std::string("audit: 'path': ") + e.what());
        }
    }

    // The answer is captured as it passes this middleware's place in the chain: after the
    // middleware behind it (sanitize) rewrote it, before the ones in front of it.
    nx_filter_status on_response(Call&, Exchange& ex) override {
        if (!cfg_.capture_response) return NX_FILTER_CONTINUE;
        auto st = state(ex);
        st->response = capture_doc(ex, NX_DOC_RESPONSE);  // a replayed stream's chunks repeat it
        return NX_FILTER_CONTINUE;
    }

    nx_chunk_status on_chunk(Call&, Exchange& ex) override {
        if (!cfg_.capture_response) return NX_CHUNK_PASS;
        rapidjson::Document chunk;
        std::string_view json = ex.json(NX_DOC_CHUNK);
        chunk.Parse(json.data(), json.size());
        if (chunk.HasParseError() || !chunk.IsObject()) return NX_CHUNK_PASS;
        auto choices = chunk.FindMember("choices");
        if (choices == chunk.MemberEnd() || !choices->value.IsArray()) return NX_CHUNK_PASS;
        std::shared_ptr<RequestState> st;
        for (const auto& choice : choices->value.GetArray()) {
            if (!choice.IsObject()) continue;
            auto idx = choice.FindMember("index");
            auto delta = choice.FindMember("delta");
            if (idx == choice.MemberEnd() || !idx->value.IsUint() || delta == choice.MemberEnd() || !delta->value.IsObject())
                continue;
            auto content = delta->value.FindMember("content");
            if (content == delta->value.MemberEnd() || !content->value.IsString()) continue;
            if (!st) st = state(ex);
            if (st->response) return NX_CHUNK_PASS;
            st->stream.append(idx->value.GetUint(), {content->value.GetString(), content->value.GetStringLength()});
        }
        return NX_CHUNK_PASS;
    }

    void on_complete(Call&, Exchange& ex, const nx_completion& info) override {
        auto attr = [&](const char* name) { return std::string(ex.attr(name).value_or("")); };
        RecordInput r;
        r.time_ms = now_ms();
        r.request_id = attr("request_id");
        if (auto k = ex.attr("key_id")) r.key_id = std::string(*k);
        r.client_ip = attr("client_ip");
        r.ingress = attr("ingress");
        r.route = attr("route");
        r.model = attr("model");
        r.provider = std::string(to_sv(info.provider));
        r.upstream_model = std::string(to_sv(info.upstream_model));
        r.stream = attr("stream") == "true";
        r.outcome = std::string(to_sv(info.outcome));
        r.status = info.http_status;
        r.error_class = info.error_class;
        r.prompt_tokens = info.prompt_tokens;
        r.completion_tokens = info.completion_tokens;
        r.cached_tokens = info.cached_tokens;
        r.cost_usd = info.cost_usd;
        r.latency_us = info.latency_us;
        r.upstream_latency_us = info.upstream_latency_us;
        // The host lists each attempt (attr `attempts`); an older host only says how many.
        auto listed = ex.attr("attempts");
        auto parsed = listed ? parse_attempts(*listed) : std::nullopt;
        r.attempts = parsed ? std::move(*parsed) : std::vector<Attempt>(info.attempts);
        r.cache_hit = info.cache_hit != 0;
        if (auto v = ex.attr("redactions")) std::from_chars(v->data(), v->data() + v->size(), r.redactions);

        // The prompt is read now, after every middleware's on_request: what sanitize redacted
        // stays redacted whatever the order.
        if (cfg_.capture_prompt) r.prompt = capture_doc(ex, NX_DOC_REQUEST);
        std::shared_ptr<RequestState> st = take_state(ex);
        if (cfg_.capture_response) {
            if (st && st->response) r.response = std::move(*st->response);
            else if (st) r.response = st->stream.text();
            else r.response = CapturedText{};
        }

        if (!writer_->submit(open_record(r))) {
            counter_add("nexus_audit_dropped_total", "", 1);
            g_dropped.hit("request " + r.request_id);
        }
    }

private:
    CapturedText capture_doc(Exchange& ex, nx_doc doc) const {
        TextCapture cap(cfg_.capture_max_bytes);
        const size_t n = ex.text_count(doc);
        for (size_t i = 0; i < n; ++i) cap.append(i, ex.text(doc, i));
        return cap.text();
    }

    // What is captured of one answer, per exchange (unique while the request is in flight).
    struct RequestState {
        explicit RequestState(size_t max) : stream(max) {}
        std::optional<CapturedText> response;  // a whole answer (on_response)
        TextCapture stream;                    // a streamed one, assembled from its chunks
    };

    std::shared_ptr<RequestState> state(Exchange& ex) {
        std::lock_guard<std::mutex> lock(mu_);
        auto& slot = states_[ex.raw()];
        if (!slot) slot = std::make_shared<RequestState>(cfg_.capture_max_bytes);
        return slot;
    }
    std::shared_ptr<RequestState> take_state(Exchange& ex) {
        std::lock_guard<std::mutex> lock(mu_);
        auto it = states_.find(ex.raw());
        if (it == states_.end()) return nullptr;
        auto st = std::move(it->second);
        states_.erase(it);
        return st;
    }

    const Config cfg_;
    std::shared_ptr<Writer> writer_;
    std::mutex mu_;
    std::unordered_map<nx_exchange*, std::shared_ptr<RequestState>> states_;
};

}  // namespace
}  // namespace nexus::audit

NEXUS_MIDDLEWARE_PLUGIN(nexus::audit::Audit, "audit", "1.0.0",
                        "hash-chained JSON lines audit log of every request (verify with `nexus audit verify`)",
                        NX_CAP_RESPONSE_HOOK | NX_CAP_CHUNK_HOOK | NX_CAP_COMPLETE_HOOK)
