#include "stream_translator.hpp"

#include "error_classifier.hpp"
#include "json_util.hpp"

#include "nexus/nexus.hpp"

namespace nexus::openai {

namespace {

constexpr int kStreamStatus = 200;  // a stream only opens on a 2xx

[[noreturn]] void protocol(const std::string& what) {
    throw sdk::UpstreamError(NX_EC_PROTOCOL, kStreamStatus, -1, what);
}

}  // namespace

void StreamTranslator::inband_error(std::string_view data) const {
    rapidjson::Document doc;
    if (parse_json(doc, data).empty() && doc.IsObject()) {
        const rapidjson::Value* error = find_member(doc, "error");
        if (error && !error->IsNull()) throw classify_inband_error(*error, kStreamStatus, NX_EC_SERVER, {});
        throw classify_inband_error(doc, kStreamStatus, NX_EC_SERVER, {});  // {"message": ..., "type": ...}
    }
    std::string message = data.empty() ? "upstream sent an error event" : "upstream error: " + std::string(data);
    throw sdk::UpstreamError(NX_EC_SERVER, kStreamStatus, -1, scrub_secrets(message, {}));
}

nx_stream_result StreamTranslator::on_event(std::string_view event, std::string_view data, const Emit& emit) {
    if (done_) return NX_STREAM_DONE;  // nothing counts after [DONE]
    data = trim(data);
    if (event == "error") inband_error(data);
    if (data == "[DONE]") {
        done_ = true;
        return NX_STREAM_DONE;
    }
    if (data.empty()) return NX_STREAM_CONTINUE;  // a keep-alive with an empty data line

    JsonShape shape;
    if (std::string err = scanner_.scan(data, shape); !err.empty())
        protocol("upstream stream event is not JSON (" + err + ")");
    if (!shape.root_is_object) protocol("upstream stream event is not a JSON object");
    if (shape.error != JsonKind::absent && shape.error != JsonKind::null) inband_error(data);
    bool has_choices = shape.choices == JsonKind::array;
    bool has_usage = shape.usage == JsonKind::object;
    if (shape.choices != JsonKind::absent && !has_choices) protocol("upstream stream chunk has a \"choices\" that is not an array");
    if (!has_choices && !has_usage) protocol("upstream stream chunk has neither \"choices\" nor \"usage\"");

    ++chunks_;
    finished_choices_ += shape.finish_reasons;
    usage_seen_ = usage_seen_ || has_usage;
    emit(data);
    return NX_STREAM_CONTINUE;
}

void StreamTranslator::finish() const {
    if (!done_) protocol("stream ended before [DONE]");
}

}  // namespace nexus::openai
