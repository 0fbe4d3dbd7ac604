// A minimal, well-behaved provider built with the C++ wrapper: the loader tests call its
// vtable with host-owned buffers and read back what it wrote.
#include "nexus/nexus.hpp"

#include <string>

namespace {

using namespace nexus::sdk;

class GoodProvider final : public Provider {
public:
    GoodProvider(Call&, std::string_view config_json) {
        if (config_json.find("\"refuse\"") != std::string_view::npos)
            throw Error(NX_ERR_INVALID, "good_provider: config field 'refuse' is not allowed");
    }

    void prepare(Call&, const ProviderRequest& req, HttpRequestOut& out) override {
        out.method("POST");
        out.url(std::string(req.base_url) + "/chat/completions");
        out.header("content-type", "application/json");
        if (!req.api_key.empty()) out.header("authorization", "Bearer " + std::string(req.api_key));
        out.header("x-upstream-model", req.upstream_model);
        out.body().append(req.body);
        out.framing(req.stream ? NX_FRAMING_SSE : NX_FRAMING_NONE);
    }

    void parse_response(Call&, const ProviderRequest&, const HttpResponse& resp, Buf& out) override {
        if (resp.status >= 200 && resp.status < 300) {
            out.append(resp.body);
            return;
        }
        if (resp.status == 429) throw UpstreamError(NX_EC_RATE_LIMITED, 429, 1000, "good_provider: slow down");
        throw UpstreamError(NX_EC_SERVER, resp.status, -1, "good_provider: upstream failed");
    }
};

}  // namespace

NEXUS_PROVIDER_PLUGIN(GoodProvider, "good_provider", "1.2.3", "Minimal provider for the loader tests",
                      NX_CAP_CHAT | NX_CAP_TOOLS)
