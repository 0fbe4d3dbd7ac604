// The HTTP front of the gateway: maps paths to flows and serves the operational endpoints.
#pragma once

#include "core/bootstrap.hpp"
#include "core/runtime.hpp"
#include "net/http_server.hpp"

#include <atomic>
#include <memory>

namespace nexus::core {

class Gateway {
public:
    explicit Gateway(std::shared_ptr<const Runtime> rt);
    void handle(net::ServerRequest&& req, std::shared_ptr<net::Responder> res);
    // Swaps the runtime; requests in flight finish on the one they started with.
    void swap(std::shared_ptr<const Runtime> rt) { rt_.store(std::move(rt)); }
    std::shared_ptr<const Runtime> runtime() const { return rt_.load(); }
    void set_draining(bool d) { draining_.store(d); }
    // POST /admin/reload re-reads this file (plugins stay as loaded at start).
    void enable_reload(std::string config_path, PluginMap plugins) {
        config_path_ = std::move(config_path);
        plugins_ = std::move(plugins);
    }

private:
    void handle_admin(net::ServerRequest&& req, std::shared_ptr<net::Responder> res, const std::string& request_id);

    std::atomic<std::shared_ptr<const Runtime>> rt_;
    std::string config_path_;
    PluginMap plugins_;
    std::atomic<bool> draining_{false};
};

// GET /v1/models: the routes plus what each available provider lists (asynchronously).
void serve_models(std::shared_ptr<const Runtime> rt, std::string request_id, std::shared_ptr<net::Responder> res);

}  // namespace nexus::core
