#pragma once

#include <string>

namespace nexus::cli {

// Configures the default spdlog logger: level (trace..off) and format (text | json lines).
// Returns false with *error for an unknown level or format.
bool setup_logging(const std::string& level, const std::string& format, std::string* error);

}  // namespace nexus::cli
