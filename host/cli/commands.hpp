// Entry points of the `nexus` subcommands. Each returns the process exit code.
// `args` excludes the program name and the subcommand words already consumed.
#pragma once

#include <string>
#include <vector>

namespace nexus::cli {

using Args = std::vector<std::string>;

int cmd_serve(const Args& args);          // nexus serve [-c FILE] [--log-level L]
int cmd_config_check(const Args& args);   // nexus config check FILE
int cmd_config_show(const Args& args);    // nexus config show FILE
int cmd_plugins_inspect(const Args& args);  // nexus plugins inspect FILE [--json]
int cmd_plugins_list(const Args& args);   // nexus plugins list [-c FILE | --dir DIR] [--json]
int cmd_chat(const Args& args);           // nexus chat -c FILE -m MODEL "prompt"
int cmd_models_list(const Args& args);    // nexus models list --provider NAME [-c FILE] [--json]
int cmd_models_pull(const Args& args);    // nexus models pull MODEL --provider NAME [-c FILE]
int cmd_audit_verify(const Args& args);   // nexus audit verify FILE [FILE...]
int cmd_keys_new(const Args& args);       // nexus keys new [--id NAME]

}  // namespace nexus::cli
