// Mistral accepts only tool call ids of exactly nine ASCII letters and digits (e.g.
// "D681PevKs"); others are refused with HTTP 400 {"object":"error","message":"Tool call id
// was call_98660886 but must be a-z, A-Z, 0-9, with a length of 9.","type":
// "invalid_function_call","code":"3280"} (as quoted in public bug reports; the rule is
// mistral-common's request validator).
#pragma once

#include <string>
#include <string_view>

namespace nexus::mistral {

bool is_mistral_tool_call_id(std::string_view id);

// `id` unchanged when it already is a Mistral id; otherwise nine base-62 characters derived
// from a 64-bit FNV-1a hash of it. Deterministic, so an assistant's tool_calls[].id and the
// tool message's tool_call_id that answers it map to the same value in every request,
// without any state kept between requests.
std::string to_mistral_tool_call_id(std::string_view id);

}  // namespace nexus::mistral
