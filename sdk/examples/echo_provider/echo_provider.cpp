// `echo`: the smallest useful provider plugin, written as documentation for plugin authors.
//
// prepare         POST <base_url>/chat/completions with the canonical (OpenAI) body.
// parse_response  2xx with a body: passed through as is (an OpenAI-compatible upstream
//                 already answers in the canonical format). 2xx without a body (an upstream
//                 that only acknowledges, e.g. 204): answered here with a chat.completion
//                 that echoes the last user message. Any other status: a classified error.
//
// Plugins do no I/O: the host sends the request prepare() describes and hands the answer
// to parse_response(). Everything here runs inside the host, concurrently: keep no
// per-request state in the Provider object.
#include <nexus/nexus.hpp>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <string>

namespace {

using namespace nexus::sdk;

// The text of the last message with role "user": a string, or the "text" parts of an array.
std::string last_user_text(std::string_view canonical_body) {
    rapidjson::Document doc;
    doc.Parse(canonical_body.data(), canonical_body.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("messages") || !doc["messages"].IsArray())
        throw Error(NX_ERR_INVALID, "echo: the request has no 'messages' array");
    std::string text;
    for (const auto& m : doc["messages"].GetArray()) {
        if (!m.IsObject() || !m.HasMember("role") || m["role"] != "user" || !m.HasMember("content")) continue;
        const auto& content = m["content"];
        text.clear();
        if (content.IsString()) text.assign(content.GetString(), content.GetStringLength());
        if (content.IsArray())
            for (const auto& part : content.GetArray())
                if (part.IsObject() && part.HasMember("text") && part["text"].IsString()) text += part["text"].GetString();
    }
    return text;
}

std::string echo_completion(std::string_view model, const std::string& text) {
    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> w(out);
    w.StartObject();
    w.Key("id"); w.String("chatcmpl-echo");
    w.Key("object"); w.String("chat.completion");
    w.Key("created"); w.Uint64(host().now_unix_ms() / 1000);
    w.Key("model"); w.String(model.data(), rapidjson::SizeType(model.size()));
    w.Key("choices"); w.StartArray();
    w.StartObject();
    w.Key("index"); w.Int(0);
    w.Key("message"); w.StartObject();
    w.Key("role"); w.String("assistant");
    w.Key("content"); w.String(text.data(), rapidjson::SizeType(text.size()));
    w.EndObject();
    w.Key("finish_reason"); w.String("stop");
    w.EndObject();
    w.EndArray();
    w.EndObject();
    return out.GetString();
}

// Why an upstream call failed decides whether the host retries or falls back.
UpstreamError classify(const HttpResponse& resp) {
    int64_t retry_after_ms = -1;
    if (auto h = resp.headers.get("retry-after")) {
        int64_t seconds = 0;
        if (std::from_chars(h->data(), h->data() + h->size(), seconds).ec == std::errc()) retry_after_ms = seconds * 1000;
    }
    nx_error_class cls = NX_EC_SERVER;
    switch (resp.status) {
        case 400: case 422: cls = NX_EC_INVALID_REQUEST; break;
        case 401: cls = NX_EC_AUTHENTICATION; break;
        case 403: cls = NX_EC_PERMISSION; break;
        case 404: cls = NX_EC_NOT_FOUND; break;
        case 408: case 504: cls = NX_EC_TIMEOUT; break;
        case 429: cls = NX_EC_RATE_LIMITED; break;
        case 503: case 529: cls = NX_EC_OVERLOADED; break;
        default: cls = resp.status >= 500 ? NX_EC_SERVER : NX_EC_PROTOCOL;
    }
    return UpstreamError(cls, resp.status, retry_after_ms, "echo: upstream answered HTTP " + std::to_string(resp.status));
}

class EchoProvider final : public Provider {
public:
    // `config_json` is the provider's YAML block as JSON; echo has no options of its own.
    EchoProvider(Call&, std::string_view) {}

    void prepare(Call&, const ProviderRequest& req, HttpRequestOut& out) override {
        if (req.op != NX_OP_CHAT) throw Error(NX_ERR_UNSUPPORTED, "echo: only chat completions are supported");
        out.method("POST");
        out.url(std::string(req.base_url) + "/chat/completions");
        out.header("content-type", "application/json");
        if (!req.api_key.empty()) out.header("authorization", "Bearer " + std::string(req.api_key));
        out.body().append(req.body);
    }

    void parse_response(Call&, const ProviderRequest& req, const HttpResponse& resp, Buf& out) override {
        if (resp.status < 200 || resp.status > 299) throw classify(resp);
        if (!resp.body.empty()) {
            out.append(resp.body);
            return;
        }
        out.append(echo_completion(req.upstream_model, last_user_text(req.body)));
    }
};

}  // namespace

NEXUS_PROVIDER_PLUGIN(EchoProvider, "echo", "1.0.0", "Echoes the last user message (SDK example)", NX_CAP_CHAT)
