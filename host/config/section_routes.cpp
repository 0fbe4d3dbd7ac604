#include "config/sections.hpp"

#include <cstdlib>
#include <map>

namespace nexus::config::detail {
namespace {

void read_target(Reader& r, const Field& f, TargetConfig& t) {
    t.mark = f.mark;
    auto view = r.mapping(f, {"provider", "model", "params", "weight"}, "a target mapping {provider, model}");
    if (!view) return;
    if (const Field* v = r.require(*view, f, "provider")) {
        if (auto s = r.string(*v, "a provider name")) {
            t.provider = *s;
            r.references.push_back(Reference{Reference::Provider, *s, v->path, v->mark});
        }
    }
    if (const Field* v = r.require(*view, f, "model"))
        if (auto s = r.string(*v, "an upstream model name")) t.model = *s;
    if (const Field* v = view->get("params")) {
        if (!v->node.IsMap()) r.error(*v, "expected a mapping, found " + describe(v->node));
        else if (auto json = r.json(*v)) t.params_json = *json;
    }
    if (const Field* v = view->get("weight"))
        if (auto n = r.integer(*v, 1)) t.weight = unsigned(*n);
}

void read_retry(Reader& r, const Field& f, RetryConfig& retry) {
    retry.mark = f.mark;
    auto view = r.mapping(f, {"max_attempts", "backoff", "max_backoff", "retry_on"},
                          "a retry mapping {max_attempts, backoff, max_backoff, retry_on}");
    if (!view) return;
    if (const Field* v = view->get("max_attempts"))
        if (auto n = r.integer(*v, 1)) retry.max_attempts = unsigned(*n);
    if (const Field* v = view->get("backoff"))
        if (auto d = r.duration(*v, true)) retry.backoff = *d;
    if (const Field* v = view->get("max_backoff"))
        if (auto d = r.duration(*v, true)) retry.max_backoff = *d;
    if (const Field* v = view->get("retry_on")) {
        if (auto items = r.list(*v, "a list of error classes")) {
            retry.retry_on.clear();
            for (const auto& item : *items)
                if (auto s = r.one_of(item, {"rate_limited", "server", "overloaded", "timeout", "network", "protocol"}))
                    retry.retry_on.push_back(*s);
        }
    }
}

void read_breaker(Reader& r, const Field& f, BreakerConfig& breaker) {
    breaker.mark = f.mark;
    auto view = r.mapping(f, {"failures", "cooldown", "failure_ratio", "window", "min_requests"},
                          "a breaker mapping {failures, cooldown, failure_ratio, window, min_requests}");
    if (!view) return;
    if (const Field* v = view->get("failure_ratio")) {
        if (auto s = r.scalar(*v, "a number between 0 and 1")) {
            char* end = nullptr;
            double x = std::strtod(s->c_str(), &end);
            if (s->empty() || *end != '\0' || !(x > 0 && x <= 1))
                r.error(*v, "expected a number above 0 and at most 1, found '" + *s + "'");
            else breaker.failure_ratio = x;
        }
    }
    if (const Field* v = view->get("window"))
        if (auto d = r.duration(*v, false)) breaker.window = *d;
    if (const Field* v = view->get("min_requests"))
        if (auto n = r.integer(*v, 1)) breaker.min_requests = unsigned(*n);
    if (const Field* v = view->get("failures"))
        if (auto n = r.integer(*v, 1)) breaker.failures = unsigned(*n);
    if (const Field* v = view->get("cooldown"))
        if (auto d = r.duration(*v, false)) breaker.cooldown = *d;
}

void read_route_timeouts(Reader& r, const Field& f, RouteTimeoutsConfig& out) {
    out.mark = f.mark;
    auto view = r.mapping(f, {"connect", "first_byte", "idle", "total"}, "a timeouts mapping {connect, first_byte, idle, total}");
    if (!view) return;
    for (auto [name, slot] : {std::pair{"connect", &out.connect}, std::pair{"first_byte", &out.first_byte},
                              std::pair{"idle", &out.idle}, std::pair{"total", &out.total}})
        if (const Field* v = view->get(name))
            if (auto d = r.duration(*v, false)) *slot = *d;
}

// What one route's check needs to know of the routes before it.
struct SeenRoutes {
    std::map<std::string, int> first_line;  // model -> line
    std::string default_model;              // the route marked default so far
    int default_line = 0;
};

void read_route(Reader& r, const Field& f, RouteConfig& route, SeenRoutes& seen) {
    route.mark = f.mark;
    auto view = r.mapping(f, {"model", "strategy", "chain", "default", "targets", "retry", "breaker", "timeouts"},
                          "a route mapping {model, targets}");
    if (!view) return;
    if (const Field* v = r.require(*view, f, "model")) {
        if (auto s = r.string(*v, "a model name")) {
            route.model = *s;
            auto [pos, inserted] = seen.first_line.emplace(*s, v->mark.line);
            if (!inserted)
                r.error(*v, "duplicate route for model '" + *s + "', first defined at line " + std::to_string(pos->second));
        }
    }
    if (const Field* v = view->get("strategy"))
        if (auto s = r.one_of(*v, {"fallback", "weighted", "least_latency", "least_busy", "cost", "auto"}))
            route.strategy = *s;
    if (const Field* v = view->get("chain")) {
        if (auto s = r.string(*v, "a chain name")) {
            route.chain = *s;
            r.references.push_back(Reference{Reference::Chain, *s, v->path, v->mark});
        }
    }
    if (const Field* v = view->get("default")) {
        if (auto b = r.boolean(*v); b && *b) {
            route.is_default = true;
            if (!seen.default_model.empty())
                r.error(*v, "only one route may be the default; route '" + seen.default_model + "' (line " +
                                std::to_string(seen.default_line) + ") already is");
            else {
                seen.default_model = route.model;
                seen.default_line = v->mark.line;
            }
        }
    }
    if (const Field* v = view->get("retry")) read_retry(r, *v, route.retry);
    if (const Field* v = view->get("breaker")) read_breaker(r, *v, route.breaker);
    if (const Field* v = view->get("timeouts")) read_route_timeouts(r, *v, route.timeouts);
    // strategy auto may leave its targets to the default route (checked in read_routes).
    const bool borrows = route.strategy == "auto" && !route.is_default;
    const Field* v = borrows ? view->get("targets") : r.require(*view, f, "targets");
    if (v && !(borrows && v->node.IsSequence() && v->node.size() == 0)) {
        if (v->node.IsSequence() && v->node.size() == 0) {
            r.error(*v, "expected a non-empty list of targets, found an empty list");
        } else if (!v->node.IsSequence()) {
            r.error(*v, "expected a non-empty list of targets, found " + describe(v->node));
        } else {
            for (const auto& item : r.items(*v)) {
                TargetConfig t;
                read_target(r, item, t);
                route.targets.push_back(std::move(t));
            }
        }
    }
}

}  // namespace

void read_routes(Reader& r, const Field& f, std::vector<RouteConfig>& out) {
    auto items = r.list(f, "a list of routes");
    if (!items) return;
    SeenRoutes seen;
    for (const auto& item : *items) {
        RouteConfig route;
        read_route(r, item, route, seen);
        out.push_back(std::move(route));
    }
    if (!seen.default_model.empty()) return;
    for (size_t i = 0; i < out.size(); ++i)
        if (out[i].strategy == "auto" && out[i].targets.empty() && (*items)[i].node.IsMap())
            r.error(out[i].mark, child_path((*items)[i].path, "targets"),
                    "required unless a route is the default (default: true): strategy auto without targets uses the "
                    "default route's targets");
}

}  // namespace nexus::config::detail
