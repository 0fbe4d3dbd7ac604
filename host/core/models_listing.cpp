// GET /v1/models: the gateway's routes, then `<provider>/<model>` for what every available
// provider lists. Providers are asked in parallel; one that fails is left out (and logged).
#include "core/gateway.hpp"
#include "core/json_text.hpp"
#include "core/provider_call.hpp"

#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

namespace nexus::core {

namespace {

struct Listing {
    std::string request_id;
    std::shared_ptr<net::Responder> res;
    size_t outstanding = 0;
    std::string data;  // comma-separated model objects

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

}  // namespace

void serve_models(std::shared_ptr<const Runtime> rt, std::string request_id, std::shared_ptr<net::Responder> res) {
    auto listing = std::make_shared<Listing>();
    listing->request_id = std::move(request_id);
    listing->res = std::move(res);
    for (const auto& r : rt->routes()) listing->add(r.name, "nexus", 0);
    std::vector<std::shared_ptr<ProviderRuntime>> askable;
    for (const auto& [name, p] : rt->providers())
        if (p->available && p->plugin && (p->plugin->capabilities & NX_CAP_LIST_MODELS)) askable.push_back(p);
    listing->outstanding = askable.size() + 1;
    for (const auto& p : askable) {
        ProviderCall call;
        call.op = NX_OP_LIST_MODELS;
        call.total_timeout = std::chrono::milliseconds(10000);
        call.on_done = [listing, p, rt](bool ok, std::string body, ApiError e) {
            rapidjson::Document d;
            if (ok && parse_json(body, d, nullptr) && d.IsObject() && d.HasMember("data") && d["data"].IsArray()) {
                for (const auto& m : d["data"].GetArray()) {
                    const auto* id = member(m, "id");
                    const auto* created = member(m, "created");
                    if (id && id->IsString())
                        listing->add(p->name + "/" + id->GetString(), p->name,
                                     created && created->IsInt64() ? created->GetInt64() : 0);
                }
            } else {
                spdlog::warn("[{}] provider '{}' model list failed: {}", listing->request_id, p->name, e.message);
            }
            listing->done_one();
        };
        call_provider(p, std::move(call));
    }
    listing->done_one();
}

}  // namespace nexus::core
