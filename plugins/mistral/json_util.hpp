// The SDK's RapidJSON helpers (nexus/json.hpp), in this plugin's namespace.
#pragma once

#include "nexus/json.hpp"

namespace nexus::mistral {

using namespace nexus::sdk::json;  // NOLINT(google-build-using-namespace): the translators' vocabulary

}  // namespace nexus::mistral
