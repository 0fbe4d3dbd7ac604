#include "response_parser.hpp"

#include "error_classifier.hpp"
#include "json_shape.hpp"
#include "json_util.hpp"

namespace nexus::openai {

namespace {

[[noreturn]] void protocol(int status, const std::string& what) {
    throw sdk::UpstreamError(NX_EC_PROTOCOL, status, -1, "upstream response " + what);
}

const char* expected_member(nx_op op) { return op == NX_OP_CHAT ? "choices" : "data"; }

}  // namespace

std::string_view parse_upstream_response(nx_op op, int status, const sdk::HeaderView& headers, std::string_view body,
                                         std::string_view api_key, int64_t now_unix_ms, Usage* usage) {
    if (status < 200 || status > 299) throw classify_http_error(status, headers, body, api_key, now_unix_ms);

    thread_local ShapeScanner scanner;  // keeps its reader stack between responses
    JsonShape shape;
    if (std::string err = scanner.scan(body, shape); !err.empty()) protocol(status, "is not JSON (" + err + ")");
    if (!shape.root_is_object) protocol(status, "is not a JSON object");
    if (shape.error != JsonKind::absent && shape.error != JsonKind::null) {
        rapidjson::Document doc;
        if (std::string err = parse_json(doc, body); !err.empty()) protocol(status, "carries an error that cannot be read (" + err + ")");
        throw classify_inband_error(*find_member(doc, "error"), status, NX_EC_PROTOCOL, api_key);
    }
    JsonKind member = op == NX_OP_CHAT ? shape.choices : shape.data;
    if (member != JsonKind::array)
        protocol(status, std::string("has no \"") + expected_member(op) + "\" array");
    if (usage) *usage = Usage{shape.prompt_tokens, shape.completion_tokens, shape.cached_tokens};
    return body;
}

}  // namespace nexus::openai
