#include "core/strategy.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace nexus::core {

std::vector<size_t> try_order(const ResolvedRoute& route, const ModelRegistry& models,
                              const std::function<double()>& unit_random) {
    std::vector<size_t> order(route.targets.size());
    std::iota(order.begin(), order.end(), size_t{0});
    const auto& t = route.targets;
    auto by = [&](auto key) {
        std::vector<double> k(t.size());
        for (size_t i = 0; i < t.size(); ++i) k[i] = key(t[i]);
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return k[a] < k[b]; });
    };
    const std::string& s = route.strategy;
    if (s == "weighted") {
        // Weighted sampling without replacement (Efraimidis & Spirakis, 2006): sort by
        // u^(1/w) descending, i.e. by -log(u)/w ascending.
        by([&](const Target& x) {
            double u = std::max(unit_random(), 1e-12);
            return -std::log(u) / double(std::max(1u, x.weight));
        });
    } else if (s == "least_latency") {
        by([](const Target& x) { return std::max(0.0, x.health->snapshot().ewma_ttfb_ms); });
    } else if (s == "least_busy") {
        by([](const Target& x) { return double(x.health->in_flight.load()); });
    } else if (s == "cost") {
        by([&](const Target& x) {
            const ModelInfo* info = models.find(x.model);
            if (!info || info->price_input < 0 || info->price_output < 0) return HUGE_VAL;
            return info->price_input + info->price_output;
        });
    } else if (s == "auto") {
        by([](const Target& x) { return x.health->snapshot().state == CircuitState::open ? 1.0 : 0.0; });
    }
    return order;
}

}  // namespace nexus::core
