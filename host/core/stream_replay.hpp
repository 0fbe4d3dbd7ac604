// Turns a complete canonical chat.completion into the chunk sequence a stream would have
// carried (role, content, tool calls, finish, usage), for short-circuit responses (a cache
// hit) served to a client that asked for a stream.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nexus::core {

std::vector<std::string> response_as_chunks(std::string_view canonical_completion);

}  // namespace nexus::core
