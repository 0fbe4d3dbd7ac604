// Canonical embeddings request -> Ollama POST /api/embed body (docs/api.md, "Generate
// Embeddings": model, input, truncate, options, keep_alive, dimensions).
#pragma once

#include "provider_config.hpp"

#include <string>
#include <string_view>

namespace nexus::ollama {

// {model, input, dimensions?, truncate?, options?:{num_ctx}, keep_alive?}: `dimensions`
// passed; `truncate`, `keep_alive` and `num_ctx` from request extension fields or the
// provider config; encoding_format is handled by the plugin (base64 computed from floats);
// `user` dropped. Token-array input is NX_ERR_UNSUPPORTED (Ollama embeds text only).
std::string translate_embeddings_request(std::string_view canonical, std::string_view model, const ProviderConfig& cfg);

}  // namespace nexus::ollama
