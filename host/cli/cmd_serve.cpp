// `nexus serve`: load config and plugins, serve until SIGTERM/SIGINT, reload on SIGHUP.
#include "cli/commands.hpp"
#include "cli/logging.hpp"
#include "core/bootstrap.hpp"
#include "core/gateway.hpp"
#include "core/reload.hpp"
#include "core/state_service.hpp"
#include "net/http_server.hpp"

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <thread>

namespace nexus::cli {

namespace {

void print_errors(const std::vector<std::string>& errors) {
    for (const auto& e : errors) std::fprintf(stderr, "nexus: %s\n", e.c_str());
}

net::ServerOptions server_options(const config::Config& cfg) {
    net::ServerOptions so;
    so.host = cfg.server.host;
    so.port = cfg.server.port;
    so.threads = cfg.server.threads ? cfg.server.threads : std::max(1u, std::thread::hardware_concurrency());
    so.max_body = cfg.server.max_body;
    so.max_header = cfg.server.max_header;
    so.max_connections = cfg.server.max_connections;
    so.read_timeout = cfg.server.read_timeout;
    so.idle_timeout = cfg.server.idle_timeout;
    return so;
}

void log_runtime(const core::Runtime& rt, const core::PluginMap& plugins) {
    for (const auto& [name, p] : plugins)
        spdlog::info("plugin {} {} ({}) from {}", name, p->version, plugin::kind_name(p->kind), p->path);
    for (const auto& [name, p] : rt.providers()) {
        if (p->available) spdlog::info("provider '{}' ready (plugin {})", name, p->cfg.plugin);
        else spdlog::warn("provider '{}' unavailable: {}", name, p->unavailable_reason);
    }
}

}  // namespace

int cmd_serve(const Args& args) {
    std::string path = "config/nexus.yaml";
    std::string log_level;
    for (size_t i = 0; i < args.size(); ++i) {
        if ((args[i] == "-c" || args[i] == "--config") && i + 1 < args.size()) path = args[++i];
        else if (args[i] == "--log-level" && i + 1 < args.size()) log_level = args[++i];
        else {
            std::fprintf(stderr, "nexus serve: unexpected argument '%s'\nusage: nexus serve [-c FILE] [--log-level LEVEL]\n",
                         args[i].c_str());
            return 2;
        }
    }
    std::string err;
    if (!setup_logging(log_level.empty() ? "info" : log_level, "text", &err)) {
        std::fprintf(stderr, "nexus: --log-level: %s\n", err.c_str());
        return 2;
    }
    std::vector<std::string> errors;
    auto cfg = core::load_config(path, &errors);
    if (!cfg) return print_errors(errors), 1;
    if (!setup_logging(log_level.empty() ? cfg->log.level : log_level, cfg->log.format, &err)) {
        std::fprintf(stderr, "nexus: %s\n", err.c_str());
        return 1;
    }
    core::PluginMap plugins;
    if (!core::load_plugins(*cfg, &plugins, &errors)) return print_errors(errors), 1;
    if (!core::start_state(*cfg, &errors)) return print_errors(errors), 1;
    auto rt = core::Runtime::build(cfg, plugins, &errors);
    if (!rt) return print_errors(errors), 1;
    log_runtime(*rt, plugins);

    // Signals are taken by this thread only (sigwait); the server threads inherit the mask.
    sigset_t sigs;
    sigemptyset(&sigs);
    for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&sigs, s);
    pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    core::Gateway gw(rt);
    gw.enable_reload(path, plugins);
    net::HttpServer server(server_options(*cfg), [&gw](net::ServerRequest&& req, std::shared_ptr<net::Responder> res) {
        gw.handle(std::move(req), std::move(res));
    });
    try {
        server.start();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nexus: %s\n", e.what());  // names the address and the reason
        return 1;
    }
    spdlog::info("nexus {} listening on http://{}:{} ({} threads)", NEXUS_VERSION, cfg->server.host, server.port(),
                 server_options(*cfg).threads);

    for (;;) {
        int sig = 0;
        if (sigwait(&sigs, &sig) != 0) continue;
        if (sig == SIGHUP) {
            core::reload_gateway(path, plugins, gw);
            continue;
        }
        spdlog::info("{} received: draining (up to {} ms)", sig == SIGINT ? "SIGINT" : "SIGTERM",
                     gw.runtime()->config().server.shutdown_grace.count());
        break;
    }
    gw.set_draining(true);
    server.shutdown(gw.runtime()->config().server.shutdown_grace);
    server.wait();
    core::stop_state();
    spdlog::info("nexus stopped");
    return 0;
}

}  // namespace nexus::cli
