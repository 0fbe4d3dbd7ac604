#include "model_pull.hpp"

#include "json_util.hpp"

#include "nexus/nexus.hpp"

namespace nexus::ollama {

std::string pull_request_body(std::string_view model) {
    rapidjson::Document d(rapidjson::kObjectType);
    auto& a = d.GetAllocator();
    d.AddMember("model", Value(model.data(), rapidjson::SizeType(model.size()), a), a);
    d.AddMember("stream", true, a);
    return to_json(d);
}

nx_stream_result PullProgress::on_line(std::string_view line, const std::function<void(std::string_view)>& emit) {
    rapidjson::Document d;
    if (std::string why = parse_json(d, line); !why.empty() || !d.IsObject())
        throw sdk::UpstreamError(NX_EC_PROTOCOL, 200, -1, "ollama pull: unreadable progress line: " + why);
    if (const Value* err = find_member(d, "error")) {
        std::string msg = err->IsString() ? err->GetString() : "pull failed";
        bool missing = msg.find("does not exist") != std::string::npos || msg.find("not found") != std::string::npos;
        throw sdk::UpstreamError(missing ? NX_EC_NOT_FOUND : NX_EC_SERVER, 200, -1, "ollama pull: " + msg);
    }
    const Value* status = find_member(d, "status");
    if (!status || !status->IsString()) throw sdk::UpstreamError(NX_EC_PROTOCOL, 200, -1, "ollama pull: a line without status");
    emit(line);
    if (as_view(*status) == "success") {
        succeeded_ = true;
        return NX_STREAM_DONE;
    }
    return NX_STREAM_CONTINUE;
}

void PullProgress::finish() const {
    if (!succeeded_) throw sdk::UpstreamError(NX_EC_PROTOCOL, 200, -1, "ollama pull: the stream ended before \"success\"");
}

}  // namespace nexus::ollama
