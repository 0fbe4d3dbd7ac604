// A route's strategy turns its targets into the order this request tries them in; fallback
// continues through the rest of that order.
#pragma once

#include "core/model_registry.hpp"
#include "core/runtime.hpp"

#include <functional>
#include <vector>

namespace nexus::core {

// Indexes into route.targets. fallback: as configured. weighted: a weighted random order
// (targets[].weight). least_latency: lowest EWMA time to first byte first (targets with no
// sample yet first, so they get measured). least_busy: fewest requests in flight first.
// cost: cheapest by the registry's input + output price (unknown prices last). auto: the
// configured order with targets whose circuit is open moved to the end, where the circuit
// skips them (an auto route without targets, and the model `auto`, get the default route's).
std::vector<size_t> try_order(const ResolvedRoute& route, const ModelRegistry& models,
                              const std::function<double()>& unit_random);

}  // namespace nexus::core
