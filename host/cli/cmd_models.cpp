// `nexus models list --provider NAME` and `nexus models pull MODEL --provider NAME`: model
// management through a provider plugin (the list through any provider that lists models; the
// pull through one that supports NX_OP_PULL_MODEL, i.e. Ollama).
#include "cli/commands.hpp"
#include "cli/logging.hpp"
#include "cli/progress_bar.hpp"
#include "core/bootstrap.hpp"
#include "core/json_text.hpp"
#include "core/loop_context.hpp"
#include "core/provider_call.hpp"

#include <boost/asio/io_context.hpp>
#include <rapidjson/document.h>

#include <cstdio>
#include <unistd.h>

namespace nexus::cli {

namespace {

struct ModelsArgs {
    std::string config = "config/nexus.yaml";
    std::string provider;
    std::string model;
    bool json = false;
};

bool parse_args(const Args& args, bool want_model, ModelsArgs& out) {
    for (size_t i = 0; i < args.size(); ++i) {
        if ((args[i] == "-c" || args[i] == "--config") && i + 1 < args.size()) out.config = args[++i];
        else if ((args[i] == "-p" || args[i] == "--provider") && i + 1 < args.size()) out.provider = args[++i];
        else if (args[i] == "--json") out.json = true;
        else if (want_model && out.model.empty() && !args[i].empty() && args[i][0] != '-') out.model = args[i];
        else return false;
    }
    return !out.provider.empty() && (!want_model || !out.model.empty());
}

// Opens the runtime and runs `call` against the named provider on a private event loop until
// on_done. Returns 1 when the call could not start (the reason printed), else 0.
int run_provider_call(const ModelsArgs& a, core::ProviderCall call, uint64_t needed_cap, const char* what) {
    std::string err;
    setup_logging("warn", "text", &err);
    std::vector<std::string> errors;
    core::PluginMap plugins;
    auto rt = core::open_runtime(a.config, &plugins, &errors);
    if (!rt) {
        for (const auto& e : errors) std::fprintf(stderr, "nexus: %s\n", e.c_str());
        return 1;
    }
    auto it = rt->providers().find(a.provider);
    if (it == rt->providers().end()) {
        std::string names;
        for (const auto& [n, p] : rt->providers()) names += (names.empty() ? "" : ", ") + n;
        std::fprintf(stderr, "nexus: no provider '%s' in %s (configured: %s)\n", a.provider.c_str(), a.config.c_str(),
                     names.c_str());
        return 1;
    }
    if (it->second->plugin && !(it->second->plugin->capabilities & needed_cap)) {
        std::fprintf(stderr, "nexus: provider '%s' (plugin %s) cannot %s\n", a.provider.c_str(),
                     it->second->plugin->name.c_str(), what);
        return 1;
    }
    boost::asio::io_context io;
    core::bind_loop(&io);
    auto done = std::move(call.on_done);
    call.on_done = [&io, done](bool ok, std::string body, core::ApiError e) {
        done(ok, std::move(body), std::move(e));
        io.stop();  // pooled upstream connections would keep the loop alive
    };
    core::call_provider(it->second, std::move(call));
    io.run();
    core::bind_loop(nullptr);
    return 0;
}

}  // namespace

int cmd_models_list(const Args& args) {
    ModelsArgs a;
    if (!parse_args(args, false, a)) {
        std::fprintf(stderr, "usage: nexus models list --provider NAME [-c FILE] [--json]\n");
        return 2;
    }
    int code = 1;
    core::ProviderCall call;
    call.op = NX_OP_LIST_MODELS;
    call.on_done = [&](bool ok, std::string body, core::ApiError e) {
        rapidjson::Document d;
        if (!ok) {
            std::fprintf(stderr, "nexus: %s\n", e.message.c_str());
        } else if (a.json) {
            std::printf("%s\n", body.c_str());
            code = 0;
        } else if (core::parse_json(body, d, nullptr) && d.IsObject() && d.HasMember("data") && d["data"].IsArray()) {
            for (const auto& m : d["data"].GetArray())
                if (const auto* id = core::member(m, "id"); id && id->IsString()) std::printf("%s\n", id->GetString());
            code = 0;
        } else {
            std::fprintf(stderr, "nexus: provider '%s' returned an unreadable model list\n", a.provider.c_str());
        }
    };
    return run_provider_call(a, std::move(call), NX_CAP_LIST_MODELS, "list models") ? 1 : code;
}

int cmd_models_pull(const Args& args) {
    ModelsArgs a;
    if (!parse_args(args, true, a)) {
        std::fprintf(stderr, "usage: nexus models pull MODEL --provider NAME [-c FILE]\n");
        return 2;
    }
    int code = 1;
    ProgressBar bar(stdout, isatty(fileno(stdout)) != 0);
    core::ProviderCall call;
    call.op = NX_OP_PULL_MODEL;
    call.upstream_model = a.model;
    call.body = "{}";
    call.stream = true;
    call.on_event = [&](std::string_view line) {
        rapidjson::Document d;
        if (!core::parse_json(line, d, nullptr) || !d.IsObject()) return;
        const auto* status = core::member(d, "status");
        const auto* total = core::member(d, "total");
        const auto* completed = core::member(d, "completed");
        bar.update(status && status->IsString() ? status->GetString() : "", total && total->IsInt64() ? total->GetInt64() : -1,
                   completed && completed->IsInt64() ? completed->GetInt64() : -1);
    };
    call.on_done = [&](bool ok, std::string, core::ApiError e) {
        bar.finish();
        if (ok) code = 0;
        else std::fprintf(stderr, "nexus: pull of '%s' failed: %s\n", a.model.c_str(), e.message.c_str());
    };
    return run_provider_call(a, std::move(call), NX_CAP_PULL_MODELS, "pull models") ? 1 : code;
}

}  // namespace nexus::cli
