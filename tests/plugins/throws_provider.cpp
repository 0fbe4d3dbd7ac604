// A provider whose prepare throws: the wrapper must turn it into a status and a message.
#include "nexus/nexus.hpp"

#include <stdexcept>

namespace {

using namespace nexus::sdk;

class ThrowsProvider final : public Provider {
public:
    ThrowsProvider(Call&, std::string_view) {}
    void prepare(Call&, const ProviderRequest&, HttpRequestOut&) override {
        throw std::runtime_error("throws_provider: prepare exploded");
    }
    void parse_response(Call&, const ProviderRequest&, const HttpResponse&, Buf&) override {
        throw 42;  // not even a std::exception
    }
};

}  // namespace

NEXUS_PROVIDER_PLUGIN(ThrowsProvider, "throws_provider", "0.0.1", "Throws from its hooks", NX_CAP_CHAT)
