// Which answers the cache keeps: complete chat completions (object "chat.completion", at least
// one choice, every choice finished for a reason other than "error").
#pragma once

#include <string_view>

namespace nexus::cache {

bool storable_completion(std::string_view canonical_json);

}  // namespace nexus::cache
