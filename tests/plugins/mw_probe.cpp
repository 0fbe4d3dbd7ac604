// A configurable middleware for chain tests. Config:
//   {"tag":"a", "on_request":"continue|respond|reject|pending|pending_reject|throw",
//    "on_response":"continue|reject|throw", "on_chunk":"pass|drop|abort|upper|drop_first"}
// It leaves a trace of every hook in the `x-probe-trace` response header (">a" on the way in,
// "<a" on the way out) and counts on_complete calls in the metric probe_complete_total{tag}.
#include "nexus/nexus.hpp"

#include <rapidjson/document.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace {

using namespace nexus::sdk;

std::string field(const rapidjson::Document& d, const char* name, const char* fallback) {
    auto it = d.FindMember(name);
    return it != d.MemberEnd() && it->value.IsString() ? it->value.GetString() : fallback;
}

class Probe final : public Middleware {
public:
    Probe(Call&, std::string_view config) {
        rapidjson::Document d;
        d.Parse(config.data(), config.size());
        if (d.HasParseError() || !d.IsObject()) throw Error(NX_ERR_INVALID, "mw_probe: config must be an object");
        tag_ = field(d, "tag", "probe");
        on_request_ = field(d, "on_request", "continue");
        on_response_ = field(d, "on_response", "continue");
        on_chunk_ = field(d, "on_chunk", "pass");
        if (tag_ == "bad") throw Error(NX_ERR_INVALID, "mw_probe: 'tag': 'bad' is refused on purpose");
    }

    nx_filter_status on_request(Call&, Exchange& ex) override {
        trace(ex, ">" + tag_);
        if (on_request_ == "respond") {
            std::string content = "answered by " + tag_;
            return ex.respond(200, R"({"id":"chatcmpl-probe","object":"chat.completion","created":1,"model":"probe",)"
                                   R"("choices":[{"index":0,"message":{"role":"assistant","content":")" +
                                       content +
                                       R"("},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":3,"total_tokens":4}})");
        }
        if (on_request_ == "reject") return ex.reject(403, "permission_error", "blocked by " + tag_);
        if (on_request_ == "throw") throw std::runtime_error("probe " + tag_ + " exploded");
        if (on_request_ == "pending" || on_request_ == "pending_reject") {
            bool reject = on_request_ == "pending_reject";
            std::string tag = tag_;
            nx_exchange* raw = ex.raw();
            // Finish later from another thread, as a middleware waiting on Redis would.
            std::thread([raw, reject, tag] {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                Exchange later(raw);
                if (reject) {
                    later.reject(429, "rate_limit_error", "pending probe " + tag + " said no");
                    later.resume(NX_FILTER_REJECT);
                } else {
                    later.resume(NX_FILTER_CONTINUE);
                }
            }).detach();
            return NX_FILTER_PENDING;
        }
        return NX_FILTER_CONTINUE;
    }

    nx_filter_status on_response(Call&, Exchange& ex) override {
        trace(ex, "<" + tag_);
        if (on_response_ == "reject") return ex.reject(502, "server_error", "response refused by " + tag_);
        if (on_response_ == "throw") throw std::runtime_error("probe " + tag_ + " exploded on the way out");
        return NX_FILTER_CONTINUE;
    }

    nx_chunk_status on_chunk(Call&, Exchange& ex) override {
        if (on_chunk_ == "drop") return NX_CHUNK_DROP;
        if (on_chunk_ == "drop_first" && !dropped_one_.exchange(true)) return NX_CHUNK_DROP;
        if (on_chunk_ == "abort" && ex.text_count(NX_DOC_CHUNK) > 0) {
            ex.reject(400, "invalid_request_error", "stream aborted by " + tag_);
            return NX_CHUNK_ABORT;
        }
        if (on_chunk_ == "upper") {
            for (size_t i = 0; i < ex.text_count(NX_DOC_CHUNK); ++i) {
                std::string t(ex.text(NX_DOC_CHUNK, i));
                for (auto& c : t)
                    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
                ex.set_text(NX_DOC_CHUNK, i, t);
            }
        }
        return NX_CHUNK_PASS;
    }

    void on_complete(Call&, Exchange& ex, const nx_completion& info) override {
        counter_add("probe_complete_total", "tag=\"" + tag_ + "\",outcome=\"" +
                                                std::string(to_sv(info.outcome)) + "\"", 1);
        (void)ex;
    }

private:
    static void trace(Exchange& ex, const std::string& step) {
        std::string t(ex.attr("probe_trace").value_or(""));
        t += step;
        ex.set_attr("probe_trace", t);
        ex.set_response_header("x-probe-trace", t);
    }

    std::string tag_, on_request_, on_response_, on_chunk_;
    std::atomic<bool> dropped_one_{false};
};

}  // namespace

NEXUS_MIDDLEWARE_PLUGIN(Probe, "mw_probe", "1.0.0", "configurable middleware for chain tests",
                        NX_CAP_REQUEST_HOOK | NX_CAP_RESPONSE_HOOK | NX_CAP_CHUNK_HOOK | NX_CAP_COMPLETE_HOOK)
