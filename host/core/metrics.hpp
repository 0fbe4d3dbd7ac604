// Process-wide Prometheus metrics: labelled counters and latency histograms.
#pragma once

#include <string>
#include <string_view>

namespace nexus::core {

class Metrics {
public:
    static Metrics& instance();
    // `labels` is the text between the braces, e.g. `route="smart",status="200"`.
    void add(std::string_view name, std::string_view labels, double value = 1.0);
    void observe(std::string_view name, std::string_view labels, double seconds);
    void set_gauge(std::string_view name, std::string_view labels, double value);
    void describe(std::string_view name, std::string_view type, std::string_view help);
    std::string render() const;  // text exposition format 0.0.4

private:
    Metrics() = default;
    struct Impl;
    Impl& impl() const;
};

// Escapes a label value for the exposition format (backslash, quote, newline).
std::string label_value(std::string_view v);

}  // namespace nexus::core
