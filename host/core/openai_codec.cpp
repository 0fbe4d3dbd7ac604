// The OpenAI Chat Completions / Embeddings ingress. The canonical form is this wire format,
// so decoding validates and keeps the client's own bytes, and encoding is framing only.
#include "core/ingress_codec.hpp"
#include "core/json_text.hpp"
#include "core/openai_request_checks.hpp"

namespace nexus::core {

namespace {

void append_openai_error(const ApiError& e, std::string& out) {
    out += "{\"error\":{\"message\":";
    append_json_string(e.message, out);
    out += ",\"type\":";
    append_json_string(e.type.empty() ? type_for_status(e.status) : e.type, out);
    out += ",\"param\":";
    if (e.param.empty()) out += "null";
    else append_json_string(e.param, out);
    out += ",\"code\":";
    if (e.code.empty()) out += "null";
    else append_json_string(e.code, out);
    out += "}}";
}

bool is_usage_only_chunk(const rapidjson::Document& chunk) {
    if (!chunk.IsObject()) return false;
    auto c = chunk.FindMember("choices");
    return c != chunk.MemberEnd() && c->value.IsArray() && c->value.Empty();
}

class OpenAiStreamEncoder final : public IngressCodec::StreamEncoder {
public:
    explicit OpenAiStreamEncoder(bool wants_usage) : wants_usage_(wants_usage) {}
    void chunk(std::string_view json, rapidjson::Document& parsed, std::string& out) override {
        frame(json, is_usage_only_chunk(parsed), out);
    }
    bool needs_dom() const override { return false; }
    void chunk(std::string_view json, const ChunkFacts& facts, std::string& out) override {
        frame(json, facts.usage_only, out);
    }
    void end(std::string& out) override { out += "data: [DONE]\n\n"; }
    void error(const ApiError& e, std::string& out) override {
        out += "data: ";
        append_openai_error(e, out);
        out += "\n\n";
    }

private:
    void frame(std::string_view json, bool usage_only, std::string& out) const {
        // The gateway always asks upstream for usage; a client that did not ask must not get the
        // extra `choices: []` chunk (naive clients index choices[0]).
        if (!wants_usage_ && usage_only) return;
        out += "data: ";
        out += json;
        out += "\n\n";
    }

    bool wants_usage_;
};

class OpenAiCodec final : public IngressCodec {
public:
    const char* name() const override { return "openai"; }

    bool decode(nx_op op, std::string&& body, DecodedRequest& out, ApiError* error) const override {
        std::string perr;
        if (!parse_whole_json(body, out.canonical, &perr)) {
            *error = ApiError::invalid("request body is not valid JSON: " + perr, "", "invalid_json");
            return false;
        }
        bool ok = op == NX_OP_EMBEDDINGS ? check_embeddings_request(out.canonical, error)
                                          : check_chat_request(out.canonical, error);
        if (!ok) return false;
        out.op = op;
        out.model = out.canonical["model"].GetString();
        if (op == NX_OP_CHAT) {
            auto s = out.canonical.FindMember("stream");
            out.stream = s != out.canonical.MemberEnd() && s->value.IsBool() && s->value.GetBool();
            auto so = out.canonical.FindMember("stream_options");
            if (out.stream && so != out.canonical.MemberEnd() && so->value.IsObject()) {
                auto iu = so->value.FindMember("include_usage");
                out.wants_usage_chunk = iu != so->value.MemberEnd() && iu->value.IsBool() && iu->value.GetBool();
            }
        }
        out.canonical_text = std::move(body);
        return true;
    }

    std::string encode_response(nx_op, std::string_view canonical_json) const override {
        return std::string(canonical_json);
    }

    std::string encode_error(const ApiError& e) const override {
        std::string out;
        append_openai_error(e, out);
        return out;
    }

    std::unique_ptr<StreamEncoder> stream_encoder(const DecodedRequest& req) const override {
        return std::make_unique<OpenAiStreamEncoder>(req.wants_usage_chunk);
    }
};

}  // namespace

const IngressCodec& openai_codec() {
    static const OpenAiCodec codec;
    return codec;
}

}  // namespace nexus::core
