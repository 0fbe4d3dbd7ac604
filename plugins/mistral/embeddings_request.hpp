// Canonical embeddings request -> Mistral embeddings request body
// (https://docs.mistral.ai/api/endpoint/embeddings: model, input, output_dimension,
// output_dtype, encoding_format).
#pragma once

#include <string>
#include <string_view>

namespace nexus::mistral {

// {model, input} with `dimensions` -> `output_dimension` (Mistral honours it for models
// that support it, e.g. codestral-embed, and refuses it otherwise). `encoding_format` is
// not sent: the plugin always asks for floats and base64-encodes them itself when the
// client wanted base64. `user` and unknown members are dropped. Token-array input (OpenAI
// allows integer arrays) is NX_ERR_UNSUPPORTED: Mistral takes text only.
std::string translate_embeddings_request(std::string_view canonical, std::string_view model);

}  // namespace nexus::mistral
