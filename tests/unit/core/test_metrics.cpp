#include "core/metrics.hpp"

#include <catch2/catch.hpp>

using nexus::core::LabelText;
using nexus::core::Metrics;

TEST_CASE("metrics: label text escapes values and is reusable") {
    LabelText l;
    CHECK(l.add("route", "a\"b\\c\nd").add("status", 200LL).view() == R"(route="a\"b\\c\nd",status="200")");
    CHECK(l.clear().add("provider", "p").view() == R"(provider="p")");
    const size_t prefix = l.view().size();
    l.add("direction", "in");
    l.truncate(prefix);
    CHECK(l.add("direction", "out").view() == R"(provider="p",direction="out")");
}

TEST_CASE("metrics: a pre-resolved series and a looked-up one are the same series") {
    auto& m = Metrics::instance();
    Metrics::Series* s = m.histogram("nexus_test_hist_seconds", R"(k="v")");
    REQUIRE(s == m.histogram("nexus_test_hist_seconds", R"(k="v")"));
    m.observe(s, 0.0004);
    m.observe("nexus_test_hist_seconds", R"(k="v")", 0.02);
    m.add("nexus_test_total", R"(a="1")", 2);
    m.add("nexus_test_total", R"(a="1")", 3);
    const std::string text = m.render();
    CHECK(text.find("nexus_test_hist_seconds_count{k=\"v\"} 2\n") != std::string::npos);
    CHECK(text.find("nexus_test_hist_seconds_bucket{k=\"v\",le=\"0.0005\"} 1\n") != std::string::npos);
    CHECK(text.find("nexus_test_hist_seconds_bucket{k=\"v\",le=\"0.025\"} 2\n") != std::string::npos);
    CHECK(text.find("nexus_test_total{a=\"1\"} 5\n") != std::string::npos);
}
