#include "limits_config.hpp"

#include "config_reader.hpp"
#include "nexus/nexus.hpp"

namespace nexus::ratelimit {

Limits read_limits(std::string_view config_json) {
    mw::ConfigReader cfg("ratelimit", config_json);
    cfg.only({"rpm", "tpm", "key", "window", "on_store_error"});
    constexpr int64_t kMax = int64_t(1) << 50;
    Limits l;
    l.rpm = cfg.integer("rpm", 1, kMax).value_or(0);
    l.tpm = cfg.integer("tpm", 1, kMax).value_or(0);
    if (l.rpm == 0 && l.tpm == 0)
        throw nexus::sdk::Error(NX_ERR_INVALID, "ratelimit: set 'rpm' (requests per window), 'tpm' (tokens per "
                                                "window) or both");
    if (auto key = cfg.choice("key", {"virtual_key", "model", "route", "client_ip"})) {
        if (*key == "model") l.key = Dimension::model;
        else if (*key == "route") l.key = Dimension::route;
        else if (*key == "client_ip") l.key = Dimension::client_ip;
    }
    if (auto w = cfg.duration_ms("window", 1000)) {
        if (*w % 1000 != 0) cfg.fail("window", "a whole number of seconds", *cfg.get("window"));
        l.window_ms = *w;
    }
    l.fail_open = cfg.choice("on_store_error", {"fail_open", "fail_closed"}).value_or("fail_closed") == "fail_open";
    return l;
}

}  // namespace nexus::ratelimit
