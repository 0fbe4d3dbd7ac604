#include "core/gateway.hpp"

#include "core/anthropic_decode.hpp"
#include "core/ingress_codec.hpp"
#include "core/json_text.hpp"
#include "core/token_estimate.hpp"
#include "core/metrics.hpp"
#include "core/request_flow.hpp"
#include "core/request_id.hpp"

namespace nexus::core {

namespace {
void respond_json(net::Responder& res, int status, const std::string& request_id, std::string body) {
    res.respond(status, {{"Content-Type", "application/json"}, {"x-request-id", request_id}}, std::move(body));
}

void respond_error(net::Responder& res, const IngressCodec& codec, const std::string& request_id, ApiError e) {
    respond_json(res, codec.error_status(e), request_id, codec.encode_error(e));
}

// POST /v1/messages/count_tokens: the host's estimate for an Anthropic Messages body.
void count_tokens(net::ServerRequest&& req, const std::string& request_id, net::Responder& res) {
    const IngressCodec& codec = anthropic_codec();
    // count_tokens bodies carry no max_tokens; the decoder requires it for /v1/messages.
    rapidjson::Document in;
    std::string perr;
    if (!parse_json(req.body, in, &perr))
        return respond_error(res, codec, request_id, ApiError::invalid("request body is not valid JSON: " + perr));
    if (in.IsObject() && !in.HasMember("max_tokens")) in.AddMember("max_tokens", 1, in.GetAllocator());
    rapidjson::Document canonical;
    ApiError e;
    if (!anthropic_to_canonical(in, canonical, &e)) return respond_error(res, codec, request_id, std::move(e));
    respond_json(res, 200, request_id, "{\"input_tokens\":" + std::to_string(estimate_prompt_tokens(canonical)) + "}");
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
    if (full_path.substr(0, 7) == "/admin/") return handle_admin(std::move(req), std::move(res), request_id);

    const bool anthropic = full_path == "/v1/messages" || full_path == "/v1/messages/count_tokens";
    const IngressCodec& codec = anthropic ? anthropic_codec() : openai_codec();
    nx_op op = 0;
    if (path == "/chat/completions" || full_path == "/v1/messages") op = NX_OP_CHAT;
    else if (path == "/embeddings") op = NX_OP_EMBEDDINGS;
    else if (path == "/models" && get) return serve_models(rt_.load(), request_id, std::move(res));
    else if (full_path == "/v1/messages/count_tokens" && post) return count_tokens(std::move(req), request_id, *res);

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
