#include "window.hpp"

namespace nexus::ratelimit {

Window window_at(uint64_t now_ms, uint64_t length_ms) {
    Window w;
    w.start_ms = now_ms - now_ms % length_ms;
    w.end_ms = w.start_ms + length_ms;
    return w;
}

int64_t seconds_left(const Window& w, uint64_t now_ms) {
    if (now_ms >= w.end_ms) return 1;
    int64_t s = int64_t((w.end_ms - now_ms + 999) / 1000);
    return s < 1 ? 1 : s;
}

Subject subject_for(Dimension d, std::string_view key_id, std::string_view model, std::string_view route,
                    std::string_view client_ip) {
    switch (d) {
        case Dimension::virtual_key:
            if (!key_id.empty()) return {"key_id", std::string(key_id), "virtual key '" + std::string(key_id) + "'"};
            break;
        case Dimension::model: return {"model", std::string(model), "model '" + std::string(model) + "'"};
        case Dimension::route: return {"route", std::string(route), "route '" + std::string(route) + "'"};
        case Dimension::client_ip: break;
    }
    return {"client_ip", std::string(client_ip), "client " + std::string(client_ip)};
}

std::string counter_key(std::string_view kind, const Window& w, const Subject& s) {
    std::string k = "rl:";
    k += kind;
    k += ':';
    k += std::to_string((w.end_ms - w.start_ms) / 1000);
    k += ':';
    k += std::to_string(w.start_ms / 1000);
    k += ':';
    k += s.dimension;
    k += ':';
    k += s.value;
    return k;
}

}  // namespace nexus::ratelimit
