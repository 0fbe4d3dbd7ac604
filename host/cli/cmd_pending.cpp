// TEMPORARY during the first build-out: commands whose module is being written elsewhere.
// Each file that implements a command removes its line here.
#include "cli/commands.hpp"

#include <cstdio>

namespace nexus::cli {
namespace {
int pending(const char* what) {
    std::fprintf(stderr, "nexus: '%s' is not implemented yet\n", what);
    return 1;
}
}  // namespace
int cmd_config_check(const Args&) { return pending("config check"); }
int cmd_config_show(const Args&) { return pending("config show"); }
}  // namespace nexus::cli
