// Base64 float32 embeddings come from the SDK (nexus/embedding_base64.hpp).
#pragma once

#include "nexus/embedding_base64.hpp"

namespace nexus::mistral {

using nexus::sdk::base64_encode;
using nexus::sdk::float32_base64;

}  // namespace nexus::mistral
