#include "core/gateway.hpp"

#include "core/ingress_codec.hpp"
#include "core/metrics.hpp"
#include "core/request_flow.hpp"

namespace nexus::core {

namespace {
void respond_json(net::Responder& res, int status, const std::string& request_id, std::string body) {
    res.respond(status, {{"Content-Type", "application/json"}, {"x-request-id", request_id}}, std::move(body));
}

void respond_error(net::Responder& res, const IngressCodec& codec, const std::string& request_id, ApiError e) {
    respond_json(res, e.status, request_id, codec.encode_error(e));
}

// Clients are configured with a base URL that may or may not end in /v1.
std::string_view api_path(std::string_view path) {
    if (path.substr(0, 3) == "/v1" && (path.size() == 3 || path[3] == '/')) return path.substr(3);
    return path;
}
}  // namespace

Gateway::Gateway(std::shared_ptr<const Runtime> rt) : rt_(std::move(rt)) {}

void Gateway::handle(net::ServerRequest&& req, std::shared_ptr<net::Responder> res) {
    std::string request_id = make_request_id(req.headers);
    std::string_view full_path = req.path();
    std::string_view path = api_path(full_path);
    const bool post = req.method == "POST";
    const bool get = req.method == "GET" || req.method == "HEAD";

    if (full_path == "/health" && get) return respond_json(*res, 200, request_id, R"({"status":"ok"})");
    if (full_path == "/ready" && get) {
        if (draining_.load()) return respond_json(*res, 503, request_id, R"({"status":"draining"})");
        return respond_json(*res, 200, request_id, R"({"status":"ready"})");
    }
    if (full_path == "/metrics" && get) {
        res->respond(200, {{"Content-Type", "text/plain; version=0.0.4"}, {"x-request-id", request_id}},
                     Metrics::instance().render());
        return;
    }

    const IngressCodec& codec = openai_codec();
    nx_op op = 0;
    if (path == "/chat/completions") op = NX_OP_CHAT;
    else if (path == "/embeddings") op = NX_OP_EMBEDDINGS;
    else if (path == "/models" && get) return serve_models(rt_.load(), request_id, std::move(res));

    if (op == 0 || !post) {
        ApiError e;
        e.status = op == 0 ? 404 : 405;
        e.type = "invalid_request_error";
        e.code = op == 0 ? "unknown_url" : "method_not_allowed";
        e.message = op == 0 ? "Unknown request URL: " + req.method + " " + std::string(full_path)
                            : "Method " + req.method + " is not allowed on " + std::string(full_path) + "; use POST";
        return respond_error(*res, codec, request_id, std::move(e));
    }
    if (draining_.load()) {
        ApiError e;
        e.status = 503;
        e.type = "server_error";
        e.code = "shutting_down";
        e.message = "the gateway is shutting down";
        return respond_error(*res, codec, request_id, std::move(e));
    }
    auto flow = std::make_shared<RequestFlow>(rt_.load(), codec, op, std::move(req), std::move(res), request_id);
    flow->start();
}

}  // namespace nexus::core
