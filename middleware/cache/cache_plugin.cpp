// The `cache` middleware: an exact cache of chat completions in the host's key-value service
// (memory, or Redis shared by every host), keyed by the normalized request (request_key.hpp).
// A hit answers at once (the host replays it as a stream when the client asked for one);
// a miss goes upstream and the answer, plain or assembled from its stream, is stored when the
// request completes.
//
// Single flight: within one process, identical misses wait for the first one (the leader)
// instead of all going upstream; they get its answer, or go upstream themselves when it
// failed. Across hosts sharing Redis there is no lock: each host makes at most one upstream
// call per key at a time.
#include "bypass.hpp"
#include "cache_config.hpp"
#include "nexus/nexus.hpp"
#include "request_key.hpp"
#include "single_flight.hpp"
#include "storable.hpp"
#include "stream_assembly.hpp"
#include "throttled_log.hpp"

#include <memory>
#include <mutex>
#include <unordered_map>

namespace {

using namespace nexus::sdk;
using namespace nexus::cache;

// A request the cache let through, remembered until its on_complete.
struct Tracked {
    std::string key;
    bool leader = false;  // others wait for this request's answer
    std::optional<StreamAssembly> assembly;
};

class Cache final : public Middleware {
public:
    Cache(Call&, std::string_view config) : cfg_(read_cache_config(config)) {}

    nx_filter_status on_request(Call& call, Exchange& ex) override {
        auto key = request_key(ex.json(NX_DOC_REQUEST), cfg_.ns);
        if (!key) return NX_FILTER_CONTINUE;  // not a chat request
        if (wants_bypass(ex.header("cache-control"), ex.header("x-nexus-cache"))) {
            mark(ex, "bypass");
            track(ex.raw(), *key, false);
            return NX_FILTER_CONTINUE;
        }
        if (!flights_.lead_or_wait(*key, ex.raw())) return NX_FILTER_PENDING;  // the leader answers for us
        nx_exchange* raw = ex.raw();
        // Nothing below may touch `ex`: the callback can finish the request on another thread.
        nx_status st = kv_get(call, *key, [this, raw, k = *key](nx_status s, std::optional<std::string_view> v, int64_t) {
            Exchange later(raw);
            nx_filter_status r = NX_FILTER_CONTINUE;
            try {
                r = looked_up(nullptr, raw, k, s, s == NX_OK ? v : std::nullopt);
            } catch (const std::exception& e) {
                host().log(nullptr, NX_LOG_ERROR, to_nx(std::string("cache: lookup failed: ") + e.what()));
                release_all(k, nullptr);
            }
            later.resume(r);
        });
        if (st != NX_OK) return looked_up(call.raw(), raw, *key, st, std::nullopt);
        return NX_FILTER_PENDING;
    }

    nx_chunk_status on_chunk(Call&, Exchange& ex) override {
        Tracked* t = find(ex.raw());
        if (!t) return NX_CHUNK_PASS;
        if (!t->assembly) t->assembly.emplace(cfg_.max_entry_bytes);
        t->assembly->add(ex.json(NX_DOC_CHUNK));
        return NX_CHUNK_PASS;
    }

    void on_complete(Call& call, Exchange& ex, const nx_completion& info) override {
        std::unique_ptr<Tracked> t = take(ex.raw());
        if (!t) return;
        std::optional<std::string> answer;
        try {
            answer = storable_answer(ex, info, *t);
            if (answer) store(call, t->key, *answer);
        } catch (const std::exception& e) {
            host().log(call.raw(), NX_LOG_ERROR, to_nx(std::string("cache: storing failed: ") + e.what()));
        }
        if (t->leader) release_all(t->key, answer ? &*answer : nullptr);
    }

private:
    // The leader's lookup came back: a usable entry answers it and everyone waiting; otherwise
    // the leader goes upstream and the others keep waiting for its answer.
    nx_filter_status looked_up(nx_call* call, nx_exchange* raw, const std::string& key, nx_status st,
                               std::optional<std::string_view> value) {
        if (st != NX_OK)
            store_log_.write(call, NX_LOG_WARN, "cache: the key-value store is unavailable; lookups count as misses");
        if (value) {
            const std::string answer(*value);
            if (serve(raw, answer)) {
                release_all(key, &answer);
                return NX_FILTER_RESPOND;
            }
        }
        Exchange ex(raw);
        mark(ex, "miss");
        track(raw, key, true);
        return NX_FILTER_CONTINUE;
    }

    // Ends the flight for `key`: each waiter gets `answer`, or (none) goes upstream itself.
    void release_all(const std::string& key, const std::string* answer) {
        for (nx_exchange* w : flights_.land(key)) {
            Exchange e(w);
            nx_filter_status r = NX_FILTER_CONTINUE;
            try {
                if (answer && serve(w, *answer)) {
                    r = NX_FILTER_RESPOND;
                } else {
                    mark(e, "miss");
                    track(w, key, false);
                }
            } catch (const std::exception& ex) {
                host().log(nullptr, NX_LOG_ERROR, to_nx(std::string("cache: releasing a waiting request: ") + ex.what()));
            }
            e.resume(r);
        }
    }

    // Sets `answer` as the response of `raw`; false when the host refuses it (a broken entry).
    static bool serve(nx_exchange* raw, const std::string& answer) {
        Exchange ex(raw);
        try {
            ex.respond(200, answer);
        } catch (const Error&) {
            return false;
        }
        mark(ex, "hit");
        return true;
    }

    static void mark(Exchange& ex, std::string_view how) {
        ex.set_response_header("x-nexus-cache", how);
        ex.set_attr("cache", how);
    }

    std::optional<std::string> storable_answer(Exchange& ex, const nx_completion& info, const Tracked& t) const {
        if (to_sv(info.outcome) != "ok" || info.http_status < 200 || info.http_status > 299) return std::nullopt;
        std::optional<std::string> answer;
        if (ex.attr("stream").value_or("") == "true") {
            if (t.assembly) answer = t.assembly->completion();
        } else {
            answer = std::string(ex.json(NX_DOC_RESPONSE));
        }
        if (!answer || answer->size() > cfg_.max_entry_bytes || !storable_completion(*answer)) return std::nullopt;
        return answer;
    }

    void store(Call& call, const std::string& key, const std::string& answer) {
        nx_status st = kv_set(call, key, answer, cfg_.ttl_ms, [this](nx_status s, auto, int64_t) {
            if (s != NX_OK) store_log_.write(nullptr, NX_LOG_WARN, "cache: storing an answer failed: the key-value "
                                                                   "store did not answer");
        });
        if (st != NX_OK)
            store_log_.write(call.raw(), NX_LOG_WARN, "cache: storing an answer failed: the key-value store is unavailable");
    }

    void track(nx_exchange* raw, const std::string& key, bool leader) {
        auto t = std::make_unique<Tracked>();
        t->key = key;
        t->leader = leader;
        std::lock_guard<std::mutex> lock(mu_);
        tracked_[raw] = std::move(t);
    }
    // Only the request's own thread uses its entry; the lock guards the map, not the entry.
    Tracked* find(nx_exchange* raw) {
        std::lock_guard<std::mutex> lock(mu_);
        auto it = tracked_.find(raw);
        return it == tracked_.end() ? nullptr : it->second.get();
    }
    std::unique_ptr<Tracked> take(nx_exchange* raw) {
        std::lock_guard<std::mutex> lock(mu_);
        auto it = tracked_.find(raw);
        if (it == tracked_.end()) return nullptr;
        auto t = std::move(it->second);
        tracked_.erase(it);
        return t;
    }

    const CacheConfig cfg_;
    SingleFlight<nx_exchange*> flights_;
    std::mutex mu_;
    std::unordered_map<nx_exchange*, std::unique_ptr<Tracked>> tracked_;  // keyed by exchange: request ids may repeat
    nexus::mw::ThrottledLog store_log_;
};

}  // namespace

NEXUS_MIDDLEWARE_PLUGIN(Cache, "cache", "1.0.0",
                        "exact cache of chat completions (plain and streamed) with single flight, in the host's "
                        "key-value store",
                        NX_CAP_REQUEST_HOOK | NX_CAP_CHUNK_HOOK | NX_CAP_COMPLETE_HOOK)
