// An ingress codec turns one client wire format into the canonical form and back. Each
// client protocol (OpenAI Chat Completions, Anthropic Messages, ...) is one codec.
#pragma once

#include "core/api_error.hpp"
#include "core/json_text.hpp"
#include "core/token_usage.hpp"
#include "nexus/nexus.h"

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <memory>

namespace nexus::core {

struct DecodedRequest {
    nx_op op = NX_OP_CHAT;
    std::string model;
    bool stream = false;
    bool wants_usage_chunk = false;  // client asked for stream_options.include_usage
    std::string canonical_text;      // canonical JSON text (for OpenAI: the client's own bytes)
    rapidjson::Document canonical;   // its parse
    // When the client's format is not the canonical one: the format's name ("anthropic") and
    // the client's own bytes, for same-wire passthrough to a provider that speaks it.
    const char* native_format = nullptr;
    std::string native_text;
};

class IngressCodec {
public:
    virtual ~IngressCodec() = default;
    virtual const char* name() const = 0;  // "openai" | "anthropic"
    // Decodes `body` (moved in) into canonical form; false with *error naming the field.
    virtual bool decode(nx_op op, std::string&& body, DecodedRequest& out, ApiError* error) const = 0;
    // A complete canonical response -> the client's response body.
    virtual std::string encode_response(nx_op op, std::string_view canonical_json) const = 0;
    virtual std::string encode_error(const ApiError& e) const = 0;
    // Streaming: per-request encoder state lives in the returned object.
    class StreamEncoder {
    public:
        virtual ~StreamEncoder() = default;
        // Appends the wire bytes for one canonical chunk (may append nothing).
        virtual void chunk(std::string_view canonical_chunk_json, rapidjson::Document& parsed, std::string& out) = 0;
        // An encoder that needs no more of a chunk than ChunkFacts says so, and is given the
        // facts of a SAX scan instead of a parsed chunk.
        virtual bool needs_dom() const { return true; }
        virtual void chunk(std::string_view canonical_chunk_json, const ChunkFacts&, std::string& out) {
            rapidjson::Document parsed;  // an encoder that did not opt out of the DOM still gets one
            if (parse_json(canonical_chunk_json, parsed, nullptr)) chunk(canonical_chunk_json, parsed, out);
        }
        virtual void end(std::string& out) = 0;
        virtual void error(const ApiError& e, std::string& out) = 0;
    };
    virtual std::unique_ptr<StreamEncoder> stream_encoder(const DecodedRequest& req) const = 0;
    virtual const char* stream_content_type() const { return "text/event-stream"; }
    // The status a client of this format expects for an error (Anthropic uses 529 for overload).
    virtual int error_status(const ApiError& e) const { return e.status; }
};

const IngressCodec& openai_codec();
const IngressCodec& anthropic_codec();

}  // namespace nexus::core
