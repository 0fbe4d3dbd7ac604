// Process-wide Prometheus metrics: labelled counters and latency histograms.
#pragma once

#include <string>
#include <string_view>

namespace nexus::core {

class Metrics {
public:
    // One histogram series resolved ahead (e.g. per middleware and hook when a runtime is
    // built), so the hot path neither builds label text nor searches for it.
    struct Series;

    static Metrics& instance();
    Series* histogram(std::string_view name, std::string_view labels);  // stable for the process
    void observe(Series* series, double seconds);
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

// Builds `a="x",b="y"` (values escaped) into one buffer that is reused after clear().
class LabelText {
public:
    LabelText() { text_.reserve(160); }
    LabelText& add(std::string_view key, std::string_view value);
    LabelText& add(std::string_view key, long long value);
    LabelText& clear() {
        text_.clear();
        return *this;
    }
    std::string_view view() const { return text_; }
    // Back to the first `size` bytes (a prefix shared by several series).
    void truncate(size_t size) { text_.resize(size); }

private:
    std::string text_;
};

}  // namespace nexus::core
