// The Anthropic Messages ingress: requests are translated to canonical form (keeping the
// client's bytes for same-wire passthrough), canonical responses and chunks are encoded as
// Anthropic messages and its exact event sequence.
// Reference: https://docs.anthropic.com/en/api/messages, .../messages-streaming, .../errors
#include "core/anthropic_decode.hpp"
#include "core/anthropic_encode.hpp"
#include "core/ingress_codec.hpp"
#include "core/json_text.hpp"

namespace nexus::core {

namespace {

class AnthropicCodec final : public IngressCodec {
public:
    const char* name() const override { return "anthropic"; }

    bool decode(nx_op op, std::string&& body, DecodedRequest& out, ApiError* error) const override {
        if (op != NX_OP_CHAT) {
            *error = ApiError::invalid("the Anthropic API has no embeddings endpoint; use POST /v1/embeddings");
            return false;
        }
        rapidjson::Document in;
        std::string perr;
        if (!parse_whole_json(body, in, &perr)) {
            *error = ApiError::invalid("request body is not valid JSON: " + perr);
            return false;
        }
        if (!anthropic_to_canonical(in, out.canonical, error)) return false;
        out.op = NX_OP_CHAT;
        out.model = out.canonical["model"].GetString();
        auto s = out.canonical.FindMember("stream");
        out.stream = s != out.canonical.MemberEnd() && s->value.GetBool();
        out.wants_usage_chunk = true;
        out.canonical_text = to_json(out.canonical);
        out.native_format = "anthropic";
        out.native_text = std::move(body);
        return true;
    }

    std::string encode_response(nx_op, std::string_view canonical_json) const override {
        return canonical_to_anthropic_message(canonical_json);
    }

    std::string encode_error(const ApiError& e) const override { return anthropic_error_body(e); }
    int error_status(const ApiError& e) const override { return e.error_class == NX_EC_OVERLOADED ? 529 : e.status; }

    std::unique_ptr<StreamEncoder> stream_encoder(const DecodedRequest& req) const override {
        return make_anthropic_stream_encoder(req.model);
    }
};

}  // namespace

const IngressCodec& anthropic_codec() {
    static const AnthropicCodec codec;
    return codec;
}

}  // namespace nexus::core
