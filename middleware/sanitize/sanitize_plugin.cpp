// The `sanitize` middleware: finds personal data and secrets in prompts (on_request) and in
// answers (on_response, on_chunk with a hold-back buffer), and redacts, hashes or blocks them
// per rule. With `reversible: true` the upstream sees numbered placeholders and the client
// gets the originals back. See README.md.
#include "rewrite.hpp"
#include "sanitize_config.hpp"
#include "stream_holdback.hpp"

#include "nexus/nexus.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace nexus::sanitize {
namespace {

using namespace nexus::sdk;

// What one request carries from its prompt to the end of its answer.
struct RequestState {
    Vault vault;                          // reversible placeholders
    std::map<int64_t, StreamBuffer> streams;  // per choice index
    bool response_done = false;           // the answer went through on_response (a replayed stream)
};

std::string json_string(std::string_view s) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    w.String(s.data(), rapidjson::SizeType(s.size()));
    return std::string(sb.GetString(), sb.GetSize());
}

class Sanitize final : public Middleware {
public:
    Sanitize(Call& call, std::string_view config) : cfg_(parse_config(config)) {
        // A request-only redactor needs no per-chunk work (and leaves same-wire relay on).
        call.use_hooks((cfg_.request ? NX_CAP_REQUEST_HOOK : 0) |
                       (cfg_.response ? NX_CAP_RESPONSE_HOOK | NX_CAP_CHUNK_HOOK : 0) | NX_CAP_COMPLETE_HOOK);
    }

    nx_filter_status on_request(Call&, Exchange& ex) override {
        if (!cfg_.request || cfg_.rules.empty()) return NX_FILTER_CONTINUE;
        auto st = cfg_.reversible ? state(ex, true) : nullptr;
        Tally total;
        const size_t n = ex.text_count(NX_DOC_REQUEST);
        for (size_t i = 0; i < n && total.blocked_by.empty(); ++i) {
            Tally one;
            std::string out = sanitize(cfg_, ex.text(NX_DOC_REQUEST, i), st ? &st->vault : nullptr, one);
            total.merge(one);
            if (!one.matches.empty()) ex.set_text(NX_DOC_REQUEST, i, out);  // blocked text too: audit reads it
        }
        report(ex, total);
        if (!total.blocked_by.empty())
            return ex.reject(400, "invalid_request_error", "request blocked by sanitize rule '" + total.blocked_by + "'");
        return NX_FILTER_CONTINUE;
    }

    nx_filter_status on_response(Call&, Exchange& ex) override {
        auto st = find_state(ex);
        if (ex.attr("stream").value_or("") == "true") {
            st = state(ex, true);
            st->response_done = true;  // its chunks replay this response: leave them alone
        }
        const Vault* vault = st && !st->vault.empty() ? &st->vault : nullptr;
        if (!cfg_.response && !vault) return NX_FILTER_CONTINUE;
        Tally total;
        const size_t n = ex.text_count(NX_DOC_RESPONSE);
        for (size_t i = 0; i < n && total.blocked_by.empty(); ++i) {
            std::string_view text = ex.text(NX_DOC_RESPONSE, i);
            Tally one;
            std::string out = cfg_.response ? sanitize(cfg_, text, nullptr, one) : std::string(text);
            if (vault) out = vault->restore(out);
            total.merge(one);
            if (out != text) ex.set_text(NX_DOC_RESPONSE, i, out);
        }
        report(ex, total);
        if (!total.blocked_by.empty())
            return ex.reject(400, "invalid_request_error", "response blocked by sanitize rule '" + total.blocked_by + "'");
        return NX_FILTER_CONTINUE;
    }

    nx_chunk_status on_chunk(Call&, Exchange& ex) override {
        auto st = cfg_.response ? state(ex, true) : find_state(ex);
        if (!st || st->response_done) return NX_CHUNK_PASS;
        const Vault* vault = st->vault.empty() ? nullptr : &st->vault;
        if (!cfg_.response && !vault) return NX_CHUNK_PASS;

        rapidjson::Document chunk;
        std::string_view json = ex.json(NX_DOC_CHUNK);
        chunk.Parse(json.data(), json.size());
        if (chunk.HasParseError() || !chunk.IsObject()) return NX_CHUNK_PASS;
        auto choices = chunk.FindMember("choices");
        if (choices == chunk.MemberEnd() || !choices->value.IsArray()) return NX_CHUNK_PASS;

        Tally total;
        const auto& list = choices->value;
        for (rapidjson::SizeType pos = 0; pos < list.Size() && total.blocked_by.empty(); ++pos) {
            const auto& choice = list[pos];
            if (!choice.IsObject()) continue;
            int64_t index = pos;
            if (auto it = choice.FindMember("index"); it != choice.MemberEnd() && it->value.IsInt64()) index = it->value.GetInt64();
            const rapidjson::Value* content = nullptr;
            if (auto d = choice.FindMember("delta"); d != choice.MemberEnd() && d->value.IsObject())
                if (auto c = d->value.FindMember("content"); c != d->value.MemberEnd() && c->value.IsString()) content = &c->value;
            auto fr = choice.FindMember("finish_reason");
            bool finished = fr != choice.MemberEnd() && fr->value.IsString();
            if (!content && !finished) continue;

            StreamBuffer& buf = st->streams[index];
            Tally one;
            std::string out;
            std::string_view in = content ? std::string_view(content->GetString(), content->GetStringLength()) : "";
            if (content) out = buf.feed(in, cfg_, cfg_.response, vault, one);
            if (finished) out += buf.flush(cfg_, cfg_.response, vault, one);  // the last chunk of this choice
            total.merge(one);
            if (!one.blocked_by.empty()) break;
            if (out != in) ex.set(NX_DOC_CHUNK, "/choices/" + std::to_string(pos) + "/delta/content", json_string(out));
        }
        report(ex, total);
        if (!total.blocked_by.empty()) {
            ex.reject(400, "invalid_request_error", "response blocked by sanitize rule '" + total.blocked_by + "'");
            return NX_CHUNK_ABORT;
        }
        return NX_CHUNK_PASS;
    }

    void on_complete(Call&, Exchange& ex, const nx_completion&) override {
        std::lock_guard<std::mutex> lock(mu_);
        states_.erase(ex.raw());
    }

private:
    // Per-request state is keyed by the exchange handle, which is unique among the requests
    // in flight (a request id may come from the client's x-request-id and repeat), and
    // dropped in on_complete.
    std::shared_ptr<RequestState> state(Exchange& ex, bool create) {
        std::lock_guard<std::mutex> lock(mu_);
        auto it = states_.find(ex.raw());
        if (it != states_.end()) return it->second;
        if (!create) return nullptr;
        auto st = std::make_shared<RequestState>();
        states_.emplace(ex.raw(), st);
        return st;
    }
    std::shared_ptr<RequestState> find_state(Exchange& ex) { return state(ex, false); }

    static void report(Exchange& ex, const Tally& t) {
        for (const auto& [key, n] : t.matches)
            counter_add("nexus_sanitize_matches_total",
                        "rule=\"" + key.first + "\",action=\"" + action_name(key.second) + "\"", double(n));
        if (t.matches.empty()) return;
        // `redactions`: replacements so far in this request, for the audit log.
        int64_t before = 0;
        if (auto v = ex.attr("redactions")) std::from_chars(v->data(), v->data() + v->size(), before);
        ex.set_attr("redactions", std::to_string(before + t.replaced));
    }

    const Config cfg_;
    std::mutex mu_;
    std::unordered_map<nx_exchange*, std::shared_ptr<RequestState>> states_;
};

}  // namespace
}  // namespace nexus::sanitize

NEXUS_MIDDLEWARE_PLUGIN(nexus::sanitize::Sanitize, "sanitize", "1.0.0",
                        "redacts, hashes or blocks personal data and secrets in prompts and answers",
                        NX_CAP_REQUEST_HOOK | NX_CAP_RESPONSE_HOOK | NX_CAP_CHUNK_HOOK | NX_CAP_COMPLETE_HOOK)
