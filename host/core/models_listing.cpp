// GET /v1/models: the gateway's routes, then `<provider>/<model>` for what every available
// provider lists. Providers are asked in parallel; one that fails is left out (and logged).
#include "core/gateway.hpp"
#include "core/json_text.hpp"
#include "core/loop_context.hpp"
#include "core/upstream_request.hpp"
#include "plugin/abi_objects.hpp"

#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

namespace nexus::core {

namespace {

nx_str nx(std::string_view s) { return nx_str{s.data(), s.size()}; }

struct Listing {
    std::shared_ptr<const Runtime> rt;
    std::string request_id;
    std::shared_ptr<net::Responder> res;
    size_t outstanding = 0;
    std::string data;  // comma-separated model objects
    std::vector<std::shared_ptr<net::CancelToken>> calls;

    void add(std::string_view id, std::string_view owner, int64_t created) {
        if (!data.empty()) data += ',';
        data += "{\"id\":";
        append_json_string(id, data);
        data += ",\"object\":\"model\",\"created\":" + std::to_string(created) + ",\"owned_by\":";
        append_json_string(owner, data);
        data += '}';
    }
    void done_one() {
        if (--outstanding > 0) return;
        res->respond(200, {{"Content-Type", "application/json"}, {"x-request-id", request_id}},
                     "{\"object\":\"list\",\"data\":[" + data + "]}");
    }
};

void ask_provider(const std::shared_ptr<Listing>& listing, const std::shared_ptr<ProviderRuntime>& p) {
    const std::string& key = p->pick_key();
    nx_provider_request preq{};
    preq.struct_size = sizeof preq;
    preq.op = NX_OP_LIST_MODELS;
    preq.base_url = nx(p->cfg.base_url);
    preq.api_key = nx(key);
    nx_buf method, url, body;
    nx_headers headers;
    nx_http_request_out out{sizeof(nx_http_request_out), NX_FRAMING_NONE, &method, &url, &headers, &body};
    nx_call call;
    call.plugin = p->plugin->name;
    if (p->plugin->provider->prepare(&call, p->instance, &preq, &out) != NX_OK) {
        spdlog::warn("[{}] provider '{}' cannot list models: {}", listing->request_id, p->name, call.error);
        return listing->done_one();
    }
    auto cr = make_client_request(p->cfg, std::move(method.data), std::move(url.data), std::move(headers.items),
                                  std::move(body.data));
    cr.timeouts.total = std::min(cr.timeouts.total, std::chrono::milliseconds(10000));
    struct State {
        int status = 0;
        net::HeaderList headers;
        std::string body;
    };
    auto st = std::make_shared<State>();
    net::ClientCallbacks cb;
    cb.on_headers = [st](int status, const net::HeaderList& h) {
        st->status = status;
        st->headers = h;
    };
    cb.on_data = [st](std::string_view d) {
        st->body.append(d);
        return st->body.size() < (16u << 20);
    };
    cb.on_done = [listing, p, st](net::ClientError err, const std::string& detail) {
        if (err != net::ClientError::none) {
            spdlog::warn("[{}] provider '{}' model list failed: {} {}", listing->request_id, p->name, net::to_string(err), detail);
            return listing->done_one();
        }
        std::vector<nx_header> hs;
        for (const auto& [k, v] : st->headers) hs.push_back(nx_header{nx(k), nx(v)});
        nx_http_response_in resp{sizeof(nx_http_response_in), st->status, hs.data(), hs.size(), nx(st->body)};
        nx_provider_request preq{};
        preq.struct_size = sizeof preq;
        preq.op = NX_OP_LIST_MODELS;
        nx_buf out;
        nx_call call;
        call.plugin = p->plugin->name;
        if (p->plugin->provider->parse_response(&call, p->instance, &preq, &resp, &out) == NX_OK) {
            rapidjson::Document d;
            if (parse_json(out.data, d, nullptr) && d.IsObject() && d.HasMember("data") && d["data"].IsArray())
                for (const auto& m : d["data"].GetArray()) {
                    const auto* id = member(m, "id");
                    const auto* created = member(m, "created");
                    if (id && id->IsString())
                        listing->add(p->name + "/" + id->GetString(), p->name,
                                     created && created->IsInt64() ? created->GetInt64() : 0);
                }
        } else {
            spdlog::warn("[{}] provider '{}' model list failed: {}", listing->request_id, p->name,
                         call.upstream_message.empty() ? call.error : call.upstream_message);
        }
        listing->done_one();
    };
    listing->calls.push_back(loop_http_client().send(std::move(cr), std::move(cb)));
}

}  // namespace

void serve_models(std::shared_ptr<const Runtime> rt, std::string request_id, std::shared_ptr<net::Responder> res) {
    auto listing = std::make_shared<Listing>();
    listing->rt = rt;
    listing->request_id = std::move(request_id);
    listing->res = std::move(res);
    for (const auto& r : rt->routes()) listing->add(r.name, "nexus", 0);
    std::vector<std::shared_ptr<ProviderRuntime>> askable;
    for (const auto& [name, p] : rt->providers())
        if (p->available && p->plugin && (p->plugin->capabilities & NX_CAP_LIST_MODELS)) askable.push_back(p);
    listing->outstanding = askable.size() + 1;
    for (const auto& p : askable) ask_provider(listing, p);
    listing->done_one();
}

}  // namespace nexus::core
