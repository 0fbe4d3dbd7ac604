// Model name patterns of a virtual key: `*` matches any run of characters (including none
// and including '/'), every other character matches itself. "openai/*", "gpt-4o*", "*".
#pragma once

#include <string_view>

namespace nexus::auth {

bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace nexus::auth
