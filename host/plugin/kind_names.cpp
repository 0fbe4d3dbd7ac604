#include "plugin/loader.hpp"

#include <cstdio>

namespace nexus::plugin {

const char* kind_name(nx_plugin_kind kind) {
    switch (kind) {
        case NX_KIND_PROVIDER: return "provider";
        case NX_KIND_MIDDLEWARE: return "middleware";
        default: return "unknown";
    }
}

std::string capability_names(uint64_t caps) {
    static constexpr struct { uint64_t bit; const char* name; } kNames[] = {
        {NX_CAP_CHAT, "chat"},           {NX_CAP_STREAM, "stream"},
        {NX_CAP_EMBEDDINGS, "embeddings"}, {NX_CAP_TOOLS, "tools"},
        {NX_CAP_VISION, "vision"},       {NX_CAP_JSON_MODE, "json_mode"},
        {NX_CAP_LIST_MODELS, "list_models"}, {NX_CAP_NATIVE_ANTHROPIC, "native_anthropic"},
        {NX_CAP_PULL_MODELS, "pull_models"},
        {NX_CAP_REQUEST_HOOK, "on_request"},
        {NX_CAP_RESPONSE_HOOK, "on_response"}, {NX_CAP_CHUNK_HOOK, "on_chunk"},
        {NX_CAP_COMPLETE_HOOK, "on_complete"},
    };
    std::string out;
    uint64_t known = 0;
    for (const auto& n : kNames) {
        known |= n.bit;
        if (caps & n.bit) {
            if (!out.empty()) out += ',';
            out += n.name;
        }
    }
    if (caps & ~known) {
        if (!out.empty()) out += ',';
        out += "unknown(0x" + [](uint64_t v) {
            char buf[20];
            std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(v));
            return std::string(buf);
        }(caps & ~known) + ")";
    }
    return out;
}

}  // namespace nexus::plugin
