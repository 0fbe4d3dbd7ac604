#include "core/metrics.hpp"

#include <array>
#include <cstdio>
#include <map>
#include <mutex>

namespace nexus::core {

namespace {
constexpr std::array<double, 14> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                          0.1,    0.25,  0.5,    1.0,   2.5,   5.0,  10.0};
}  // namespace

struct Metrics::Series {  // one histogram series
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
};

namespace {
using Histogram = Metrics::Series;
struct Family {
    std::string type = "counter";
    std::string help;
    std::map<std::string, double, std::less<>> values;        // labels -> value (counter, gauge)
    std::map<std::string, Histogram, std::less<>> histograms;  // labels -> histogram
};

// The slot for `labels`, created on first use; std::map nodes never move.
template <typename Map>
typename Map::mapped_type& slot(Map& m, std::string_view labels) {
    auto it = m.find(labels);
    if (it == m.end()) it = m.emplace(std::string(labels), typename Map::mapped_type{}).first;
    return it->second;
}

void record(Histogram& h, double seconds) {
    for (size_t b = 0; b < kBuckets.size(); ++b)
        if (seconds <= kBuckets[b]) ++h.counts[b];
    ++h.count;
    h.sum += seconds;
}

std::string fmt_double(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// Bucket bounds as written above ("0.0005", not "0.00050000000000000001").
std::string fmt_bound(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}
}  // namespace

struct Metrics::Impl {
    mutable std::mutex mu;
    std::map<std::string, Family, std::less<>> families;
    Family& family(std::string_view name) {
        auto it = families.find(name);
        if (it == families.end()) it = families.emplace(std::string(name), Family{}).first;
        return it->second;
    }
};

Metrics& Metrics::instance() {
    static Metrics m;
    return m;
}

Metrics::Impl& Metrics::impl() const {
    static Impl i;
    return i;
}

void Metrics::add(std::string_view name, std::string_view labels, double value) {
    auto& i = impl();
    std::lock_guard<std::mutex> lock(i.mu);
    slot(i.family(name).values, labels) += value;
}

void Metrics::set_gauge(std::string_view name, std::string_view labels, double value) {
    auto& i = impl();
    std::lock_guard<std::mutex> lock(i.mu);
    auto& f = i.family(name);
    f.type = "gauge";
    slot(f.values, labels) = value;
}

void Metrics::observe(std::string_view name, std::string_view labels, double seconds) {
    auto& i = impl();
    std::lock_guard<std::mutex> lock(i.mu);
    auto& f = i.family(name);
    f.type = "histogram";
    record(slot(f.histograms, labels), seconds);
}

Metrics::Series* Metrics::histogram(std::string_view name, std::string_view labels) {
    auto& i = impl();
    std::lock_guard<std::mutex> lock(i.mu);
    auto& f = i.family(name);
    f.type = "histogram";
    return &slot(f.histograms, labels);  // a std::map node: its address is stable
}

void Metrics::observe(Series* series, double seconds) {
    auto& i = impl();
    std::lock_guard<std::mutex> lock(i.mu);
    record(*series, seconds);
}

void Metrics::describe(std::string_view name, std::string_view type, std::string_view help) {
    auto& i = impl();
    std::lock_guard<std::mutex> lock(i.mu);
    auto& f = i.family(name);
    f.type = std::string(type);
    f.help = std::string(help);
}

std::string Metrics::render() const {
    auto& i = impl();
    std::lock_guard<std::mutex> lock(i.mu);
    std::string out;
    for (const auto& [name, f] : i.families) {
        if (f.values.empty() && f.histograms.empty()) continue;
        if (!f.help.empty()) out += "# HELP " + name + " " + f.help + "\n";
        out += "# TYPE " + name + " " + f.type + "\n";
        for (const auto& [labels, v] : f.values)
            out += name + (labels.empty() ? "" : "{" + labels + "}") + " " + fmt_double(v) + "\n";
        for (const auto& [labels, h] : f.histograms) {
            std::string sep = labels.empty() ? "" : ",";
            for (size_t b = 0; b < kBuckets.size(); ++b)
                out += name + "_bucket{" + labels + sep + "le=\"" + fmt_bound(kBuckets[b]) + "\"} " +
                       std::to_string(h.counts[b]) + "\n";
            out += name + "_bucket{" + labels + sep + "le=\"+Inf\"} " + std::to_string(h.count) + "\n";
            out += name + "_sum" + (labels.empty() ? "" : "{" + labels + "}") + " " + fmt_double(h.sum) + "\n";
            out += name + "_count" + (labels.empty() ? "" : "{" + labels + "}") + " " + std::to_string(h.count) + "\n";
        }
    }
    return out;
}

LabelText& LabelText::add(std::string_view key, std::string_view value) {
    if (!text_.empty()) text_ += ',';
    text_ += key;
    text_ += "=\"";
    for (char c : value) {
        if (c == '\\') text_ += "\\\\";
        else if (c == '"') text_ += "\\\"";
        else if (c == '\n') text_ += "\\n";
        else text_ += c;
    }
    text_ += '"';
    return *this;
}

LabelText& LabelText::add(std::string_view key, long long value) {
    char buf[24];
    int n = std::snprintf(buf, sizeof buf, "%lld", value);
    return add(key, std::string_view(buf, size_t(n)));
}

std::string label_value(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

}  // namespace nexus::core
