// `nexus`: the gateway executable. Dispatches subcommands; each lives in host/cli/.
#include "cli/commands.hpp"
#include "nexus/nexus.h"

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr const char* kUsage =
    "usage: nexus <command> [options]\n"
    "\n"
    "  serve [-c FILE] [--log-level LEVEL]   run the gateway (default config: config/nexus.yaml)\n"
    "  config check FILE                     validate a config; exit 0 (valid) or 1\n"
    "  config show FILE                      print the effective config, secrets masked\n"
    "  plugins inspect FILE [--json]         print a plugin's metadata without serving\n"
    "  plugins list [-c FILE|--dir DIR]      list the plugins in the configured directory\n"
    "  chat -c FILE -m MODEL \"prompt\"        stream one answer through the gateway path\n"
    "  models list --provider NAME [-c FILE] list what a provider serves\n"
    "  models pull MODEL --provider NAME     pull a model (Ollama), with a progress bar\n"
    "  audit verify FILE [FILE...]           check the hash chain of audit logs (oldest first)\n"
    "  keys new [--id NAME]                  make a virtual key for the auth middleware\n"
    "  version                               print the version\n";

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    auto rest = [&](size_t n) { return std::vector<std::string>(args.begin() + long(n), args.end()); };
    if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
        std::fputs(kUsage, args.empty() ? stderr : stdout);
        return args.empty() ? 2 : 0;
    }
    const std::string& cmd = args[0];
    const std::string sub = args.size() > 1 ? args[1] : "";
    using namespace nexus::cli;
    if (cmd == "version" || cmd == "--version") {
        std::printf("nexus %s (plugin ABI %d.%d)\n", NEXUS_VERSION, NX_ABI_MAJOR, NX_ABI_MINOR);
        return 0;
    }
    if (cmd == "serve") return cmd_serve(rest(1));
    if (cmd == "chat") return cmd_chat(rest(1));
    if (cmd == "models" && sub == "list") return cmd_models_list(rest(2));
    if (cmd == "models" && sub == "pull") return cmd_models_pull(rest(2));
    if (cmd == "config" && sub == "check") return cmd_config_check(rest(2));
    if (cmd == "config" && sub == "show") return cmd_config_show(rest(2));
    if (cmd == "plugins" && sub == "inspect") return cmd_plugins_inspect(rest(2));
    if (cmd == "plugins" && sub == "list") return cmd_plugins_list(rest(2));
    if (cmd == "audit" && sub == "verify") return cmd_audit_verify(rest(2));
    if (cmd == "keys" && sub == "new") return cmd_keys_new(rest(2));
    std::fprintf(stderr, "nexus: unknown command '%s%s%s'\n\n%s", cmd.c_str(), sub.empty() ? "" : " ", sub.c_str(), kUsage);
    return 2;
}
