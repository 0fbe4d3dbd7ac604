// The `auth` middleware: accepts only requests that present a configured virtual key, and
// only for the models that key may use. Sets attrs `key_id` and `key_metadata` for the
// middleware after it (ratelimit, audit, ...).
#include "auth_config.hpp"
#include "authorize.hpp"
#include "credentials.hpp"
#include "nexus/nexus.hpp"

namespace {

using namespace nexus::sdk;

class Auth final : public Middleware {
public:
    Auth(Call&, std::string_view config) : keys_(nexus::auth::read_auth_config(config)) {}

    nx_filter_status on_request(Call&, Exchange& ex) override {
        auto presented = nexus::auth::presented_keys(ex.header("authorization"), ex.header("x-api-key"));
        auto d = nexus::auth::authorize(keys_, presented, ex.attr("model").value_or(""));
        if (d.status != 0) return ex.reject(d.status, d.error_type, d.message);
        ex.set_attr("key_id", d.key->id);
        ex.set_attr("key_metadata", d.key->metadata_json);
        if (!d.key->chain.empty()) ex.set_attr("chain", d.key->chain);
        return NX_FILTER_CONTINUE;
    }

private:
    const nexus::auth::KeyTable keys_;
};

}  // namespace

NEXUS_MIDDLEWARE_PLUGIN(Auth, "auth", "1.0.0", "virtual API keys (SHA-256 hashed) with per-key model lists",
                        NX_CAP_REQUEST_HOOK)
