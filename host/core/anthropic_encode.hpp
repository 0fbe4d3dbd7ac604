// Canonical (OpenAI) responses, chunks and errors -> Anthropic Messages wire format.
#pragma once

#include "core/api_error.hpp"
#include "core/ingress_codec.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace nexus::core {

std::string canonical_to_anthropic_message(std::string_view canonical_completion);
std::string anthropic_error_body(const ApiError& e);
const char* anthropic_error_type(const ApiError& e);
// OpenAI finish_reason -> Anthropic stop_reason.
const char* anthropic_stop_reason(std::string_view finish_reason);
// Anthropic stop reasons that canonical finish reasons cannot carry (pause_turn, refusal); a
// provider's native_finish_reason is used only when it is one of these.
bool is_anthropic_only_stop(std::string_view native_reason);
std::unique_ptr<IngressCodec::StreamEncoder> make_anthropic_stream_encoder(const std::string& model);

}  // namespace nexus::core
