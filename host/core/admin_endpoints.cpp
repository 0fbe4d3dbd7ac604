// /admin/*: operational endpoints behind admin.key (Authorization: Bearer <key>). Without an
// admin key in the config they do not exist (404).
#include "core/gateway.hpp"

#include "core/json_text.hpp"
#include "core/reload.hpp"
#include "core/target_health.hpp"

#include <openssl/crypto.h>
#include <strings.h>

#include <set>

namespace nexus::core {

namespace {
void reply(net::Responder& res, int status, const std::string& request_id, std::string body) {
    res.respond(status, {{"Content-Type", "application/json"}, {"x-request-id", request_id}}, std::move(body));
}

std::string error_body(std::string_view message, std::string_view code) {
    std::string out = "{\"error\":{\"message\":";
    append_json_string(message, out);
    out += ",\"type\":\"invalid_request_error\",\"code\":";
    append_json_string(code, out);
    return out + "}}";
}

bool authorized(const net::ServerRequest& req, const std::string& key) {
    constexpr std::string_view kBearer = "Bearer ";
    for (const auto& [name, value] : req.headers) {
        if (name.size() != 13 || strncasecmp(name.c_str(), "authorization", 13) != 0) continue;
        std::string_view v = value;
        if (v.substr(0, kBearer.size()) != kBearer) return false;
        v.remove_prefix(kBearer.size());
        return v.size() == key.size() && CRYPTO_memcmp(v.data(), key.data(), key.size()) == 0;
    }
    return false;
}

std::string targets_json(const Runtime& rt) {
    std::set<const TargetHealth*> seen;
    std::string out = "{\"targets\":[";
    for (const auto& route : rt.routes())
        for (const auto& t : route.targets) {
            if (!seen.insert(t.health.get()).second) continue;
            auto s = t.health->snapshot();
            if (seen.size() > 1) out += ',';
            out += "{\"provider\":";
            append_json_string(t.health->provider(), out);
            out += ",\"model\":";
            append_json_string(t.health->model(), out);
            out += ",\"state\":\"" + std::string(circuit_state_name(s.state)) + "\"";
            out += ",\"consecutive_failures\":" + std::to_string(s.consecutive_failures);
            out += ",\"in_flight\":" + std::to_string(s.in_flight);
            out += ",\"ewma_ttfb_ms\":" + (s.ewma_ttfb_ms < 0 ? std::string("null") : std::to_string(s.ewma_ttfb_ms));
            out += '}';
        }
    return out + "]}";
}
}  // namespace

void Gateway::handle_admin(net::ServerRequest&& req, std::shared_ptr<net::Responder> res, const std::string& request_id) {
    auto rt = rt_.load();
    const std::string& key = rt->config().admin.key;
    std::string_view path = req.path();
    if (key.empty())
        return reply(*res, 404, request_id,
                     error_body("Unknown request URL: " + std::string(path) + " (no admin.key is configured)", "unknown_url"));
    if (!authorized(req, key))
        return reply(*res, 401, request_id,
                     error_body("the admin endpoints need 'Authorization: Bearer <admin.key>'", "invalid_admin_key"));
    const bool get = req.method == "GET" || req.method == "HEAD";
    if (path == "/admin/targets") {
        if (!get) return reply(*res, 405, request_id, error_body("use GET on /admin/targets", "method_not_allowed"));
        return reply(*res, 200, request_id, targets_json(*rt));
    }
    if (path == "/admin/reload") {
        if (req.method != "POST") return reply(*res, 405, request_id, error_body("use POST on /admin/reload", "method_not_allowed"));
        if (config_path_.empty())
            return reply(*res, 404, request_id, error_body("this gateway was not started from a config file", "unknown_url"));
        auto errors = reload_gateway(config_path_, plugins_, *this);
        if (errors.empty()) return reply(*res, 200, request_id, R"({"status":"reloaded"})");
        std::string body = "{\"status\":\"refused\",\"errors\":[";
        for (size_t i = 0; i < errors.size(); ++i) {
            if (i) body += ',';
            append_json_string(errors[i], body);
        }
        return reply(*res, 400, request_id, body + "]}");
    }
    reply(*res, 404, request_id, error_body("Unknown request URL: " + req.method + " " + std::string(path), "unknown_url"));
}

}  // namespace nexus::core
