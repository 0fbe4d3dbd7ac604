// A minimal, well-behaved middleware built with the C++ wrapper.
#include "nexus/nexus.hpp"

namespace {

using namespace nexus::sdk;

class GoodMiddleware final : public Middleware {
public:
    GoodMiddleware(Call&, std::string_view) {}
    nx_filter_status on_request(Call& call, Exchange&) override {
        call.log(NX_LOG_DEBUG, "good_middleware: on_request");
        return NX_FILTER_CONTINUE;
    }
};

}  // namespace

NEXUS_MIDDLEWARE_PLUGIN(GoodMiddleware, "good_middleware", "0.4.0", "Minimal middleware for the loader tests",
                        NX_CAP_REQUEST_HOOK)
