// `nexus chat -c FILE -m MODEL "prompt"`: one streamed answer through the same request path
// the server uses (codec, chain, router, provider, transport), printed as it arrives.
#include "cli/commands.hpp"
#include "cli/logging.hpp"
#include "core/bootstrap.hpp"
#include "core/state_service.hpp"
#include "core/json_text.hpp"
#include "core/loop_context.hpp"
#include "core/request_flow.hpp"
#include "core/request_id.hpp"
#include "net/stream_framers.hpp"

#include <boost/asio/io_context.hpp>
#include <rapidjson/document.h>

#include <cstdio>

namespace nexus::cli {

namespace {

// Prints the SSE stream the gateway would have sent to a client: content as it arrives,
// errors to stderr.
class TerminalResponder final : public net::Responder {
public:
    int exit_code = 0;
    std::function<void()> on_finished;  // the answer is complete
    void respond(int status, net::HeaderList, std::string body) override {
        finished();
        rapidjson::Document d;
        if (status >= 400) {
            std::string msg = body;
            if (core::parse_json(body, d, nullptr) && d.IsObject() && d.HasMember("error") && d["error"].IsObject() &&
                d["error"].HasMember("message") && d["error"]["message"].IsString())
                msg = d["error"]["message"].GetString();
            std::fprintf(stderr, "nexus chat: error %d: %s\n", status, msg.c_str());
            exit_code = 1;
            return;
        }
        std::fprintf(stdout, "%s\n", body.c_str());
    }
    void begin_stream(int, net::HeaderList) override {}
    void write(std::string data) override {
        framer_.feed(data, [this](const net::SseEvent& ev) {
            if (ev.data == "[DONE]") return true;
            rapidjson::Document d;
            if (!core::parse_json(ev.data, d, nullptr) || !d.IsObject()) return true;
            if (d.HasMember("error")) {
                const auto* m = d["error"].IsObject() ? core::member(d["error"], "message") : nullptr;
                std::fprintf(stderr, "\nnexus chat: stream error: %s\n", m && m->IsString() ? m->GetString() : "unknown");
                exit_code = 1;
                return true;
            }
            const auto* choices = core::member(d, "choices");
            if (!choices || !choices->IsArray()) return true;
            for (const auto& c : choices->GetArray()) {
                const auto* delta = core::member(c, "delta");
                const auto* content = delta ? core::member(*delta, "content") : nullptr;
                if (content && content->IsString()) std::fwrite(content->GetString(), 1, content->GetStringLength(), stdout);
                const auto* calls = delta ? core::member(*delta, "tool_calls") : nullptr;
                if (calls && calls->IsArray())
                    for (const auto& tc : calls->GetArray()) {
                        const auto* fn = core::member(tc, "function");
                        const auto* name = fn ? core::member(*fn, "name") : nullptr;
                        if (name && name->IsString()) std::fprintf(stdout, "[tool call: %s]", name->GetString());
                    }
            }
            std::fflush(stdout);
            return true;
        });
    }
    void end_stream() override {
        std::fputc('\n', stdout);
        finished();
    }
    void on_cancel(std::function<void()>) override {}
    bool cancelled() const override { return false; }

private:
    void finished() {
        if (on_finished) on_finished();
    }
    net::SseFramer framer_;
};

}  // namespace

int cmd_chat(const Args& args) {
    std::string path = "config/nexus.yaml", model, prompt, system;
    bool no_stream = false;
    for (size_t i = 0; i < args.size(); ++i) {
        if ((args[i] == "-c" || args[i] == "--config") && i + 1 < args.size()) path = args[++i];
        else if ((args[i] == "-m" || args[i] == "--model") && i + 1 < args.size()) model = args[++i];
        else if ((args[i] == "-s" || args[i] == "--system") && i + 1 < args.size()) system = args[++i];
        else if (args[i] == "--no-stream") no_stream = true;
        else if (prompt.empty() && !args[i].empty() && args[i][0] != '-') prompt = args[i];
        else {
            std::fprintf(stderr, "nexus chat: unexpected argument '%s'\n", args[i].c_str());
            return 2;
        }
    }
    if (model.empty() || prompt.empty()) {
        std::fprintf(stderr, "usage: nexus chat -c FILE -m MODEL [-s SYSTEM] [--no-stream] \"prompt\"\n");
        return 2;
    }
    std::string err;
    setup_logging("warn", "text", &err);
    std::vector<std::string> errors;
    core::PluginMap plugins;
    auto rt = core::open_runtime(path, &plugins, &errors);
    if (!rt) {
        for (const auto& e : errors) std::fprintf(stderr, "nexus: %s\n", e.c_str());
        return 1;
    }

    std::string body = "{\"model\":";
    core::append_json_string(model, body);
    body += ",\"stream\":";
    body += no_stream ? "false" : "true";
    body += ",\"messages\":[";
    if (!system.empty()) {
        body += "{\"role\":\"system\",\"content\":";
        core::append_json_string(system, body);
        body += "},";
    }
    body += "{\"role\":\"user\",\"content\":";
    core::append_json_string(prompt, body);
    body += "}]}";

    boost::asio::io_context io;
    core::bind_loop(&io);
    net::ServerRequest req;
    req.method = "POST";
    req.target = "/v1/chat/completions";
    req.headers = {{"Content-Type", "application/json"}};
    req.body = std::move(body);
    req.client_ip = "cli";
    auto responder = std::make_shared<TerminalResponder>();
    // Pooled upstream connections keep the loop busy; the answer being complete ends it.
    responder->on_finished = [&io] { io.stop(); };
    auto flow = std::make_shared<core::RequestFlow>(rt, core::openai_codec(), NX_OP_CHAT, std::move(req), responder,
                                                    core::make_request_id({}));
    flow->start();
    flow.reset();
    io.run();
    int code = responder->exit_code;
    core::bind_loop(nullptr);
    return code;
}

}  // namespace nexus::cli
