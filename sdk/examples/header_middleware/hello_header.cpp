// `hello_header`: a small middleware plugin, written as documentation for plugin authors.
//
// Config (the chain entry's settings):
//   {header: "x-hello", value: "nexus", system_prompt: "Answer briefly."}
//
// on_request  adds the response header to whatever the client gets back, and puts
//             `system_prompt` in front of the conversation: as a new first system message,
//             or in front of the text of the first message when that is already a system
//             message with plain text content.
//
// A middleware reads and writes the request through the exchange (Exchange::json, ::set
// with a JSON Pointer, ::text / ::set_text for message texts), never by parsing HTTP. One
// instance serves every request of its chain, concurrently: keep no per-request state in it.
#include <nexus/nexus.hpp>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

namespace {

using namespace nexus::sdk;

std::string setting(const rapidjson::Document& cfg, const char* name, const char* fallback) {
    auto it = cfg.FindMember(name);
    if (it == cfg.MemberEnd()) return fallback;
    if (!it->value.IsString())
        throw Error(NX_ERR_INVALID, std::string("hello_header: '") + name + "': expected a string");
    return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::string json_string(std::string_view s) {
    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> w(out);
    w.String(s.data(), rapidjson::SizeType(s.size()));
    return std::string(out.GetString(), out.GetSize());
}

class HelloHeader final : public Middleware {
public:
    HelloHeader(Call&, std::string_view config_json) {
        rapidjson::Document cfg;
        cfg.Parse(config_json.data(), config_json.size());
        if (cfg.HasParseError() || !cfg.IsObject()) throw Error(NX_ERR_INVALID, "hello_header: expected a mapping of settings");
        for (const auto& m : cfg.GetObject()) {
            std::string key(m.name.GetString(), m.name.GetStringLength());
            if (key != "header" && key != "value" && key != "system_prompt")
                throw Error(NX_ERR_INVALID, "hello_header: '" + key + "': unknown setting (expected header, value or system_prompt)");
        }
        header_ = setting(cfg, "header", "x-hello");
        value_ = setting(cfg, "value", "nexus");
        system_prompt_ = setting(cfg, "system_prompt", "");
        if (header_.empty() || header_.find_first_of(" :\r\n") != std::string::npos)
            throw Error(NX_ERR_INVALID, "hello_header: 'header': expected an HTTP header name");
        if (value_.find_first_of("\r\n") != std::string::npos)
            throw Error(NX_ERR_INVALID, "hello_header: 'value': expected a single line");
    }

    nx_filter_status on_request(Call&, Exchange& ex) override {
        ex.set_response_header(header_, value_);
        if (!system_prompt_.empty()) add_system_prompt(ex);
        return NX_FILTER_CONTINUE;
    }

private:
    void add_system_prompt(Exchange& ex) const {
        rapidjson::Document req;
        std::string_view body = ex.json(NX_DOC_REQUEST);
        req.Parse(body.data(), body.size());
        auto messages = req.FindMember("messages");
        if (messages == req.MemberEnd() || !messages->value.IsArray()) return;  // e.g. embeddings
        auto& list = messages->value;

        // The first message is a system message with plain text: prefix its text.
        if (!list.Empty() && list[0].IsObject()) {
            auto role = list[0].FindMember("role");
            auto content = list[0].FindMember("content");
            if (role != list[0].MemberEnd() && role->value == "system" && content != list[0].MemberEnd() &&
                content->value.IsString()) {
                std::string text = system_prompt_ + "\n\n" + content->value.GetString();
                ex.set(NX_DOC_REQUEST, "/messages/0/content", json_string(text));
                return;
            }
        }
        // Otherwise a new system message goes first: JSON Pointer cannot insert into an
        // array, so the whole `messages` value is replaced.
        rapidjson::Value sys(rapidjson::kObjectType);
        auto& a = req.GetAllocator();
        sys.AddMember("role", "system", a);
        sys.AddMember("content", rapidjson::Value(system_prompt_.c_str(), rapidjson::SizeType(system_prompt_.size()), a), a);
        list.PushBack(rapidjson::Value(rapidjson::kObjectType), a);  // room for one more
        for (rapidjson::SizeType i = list.Size() - 1; i > 0; --i) list[i] = list[i - 1];  // moves
        list[0] = sys;
        rapidjson::StringBuffer out;
        rapidjson::Writer<rapidjson::StringBuffer> w(out);
        list.Accept(w);
        ex.set(NX_DOC_REQUEST, "/messages", std::string_view(out.GetString(), out.GetSize()));
    }

    std::string header_, value_, system_prompt_;
};

}  // namespace

NEXUS_MIDDLEWARE_PLUGIN(HelloHeader, "hello_header", "1.0.0",
                        "adds a response header and a system prompt (SDK example)", NX_CAP_REQUEST_HOOK)
