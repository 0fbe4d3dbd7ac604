// A middleware whose hooks throw: the wrapper must contain it (REJECT / ABORT plus a message).
#include "nexus/nexus.hpp"

#include <stdexcept>

namespace {

using namespace nexus::sdk;

class ThrowsMiddleware final : public Middleware {
public:
    ThrowsMiddleware(Call&, std::string_view) {}
    nx_filter_status on_request(Call&, Exchange&) override { throw std::runtime_error("throws_middleware: on_request exploded"); }
    nx_chunk_status on_chunk(Call&, Exchange&) override { throw Error(NX_ERR_INVALID, "throws_middleware: bad chunk"); }
};

}  // namespace

NEXUS_MIDDLEWARE_PLUGIN(ThrowsMiddleware, "throws_middleware", "0.0.1", "Throws from its hooks",
                        NX_CAP_REQUEST_HOOK | NX_CAP_CHUNK_HOOK)
