#include "core/whole_events.hpp"

#include <catch2/catch.hpp>

using nexus::core::WholeEvents;

TEST_CASE("whole events: bytes are passed on up to the end of the last complete event") {
    WholeEvents w;
    CHECK(w.take("event: a\ndata: {\"x\":1}\n\nevent: b\nda") == "event: a\ndata: {\"x\":1}\n\n");
    CHECK(w.take("ta: {\"y\"") == "");
    CHECK(w.take(":2}\n") == "");
    CHECK(w.take("\n") == "event: b\ndata: {\"y\":2}\n\n");
    CHECK(w.take("") == "");
    CHECK(w.rest() == "");
}

TEST_CASE("whole events: CRLF and CR line ends, a CRLF split between reads") {
    WholeEvents w;
    CHECK(w.take("data: 1\r\n\r\ndata: 2\r\r") == "data: 1\r\n\r\ndata: 2\r\r");
    CHECK(w.take("data: 3\r\n\r") == "data: 3\r\n\r");
    CHECK(w.take("\ndata: 4\r\n") == "\n");  // the LF of the split CRLF goes with the event it ends
    CHECK(w.take("\r\n") == "data: 4\r\n\r\n");
}

TEST_CASE("whole events: an unfinished event is held back, and handed over as it is at a clean end") {
    WholeEvents w;
    CHECK(w.take("data: 1\n\ndata: {\"type\":\"content_block_del") == "data: 1\n\n");
    CHECK(w.rest() == "data: {\"type\":\"content_block_del");
    CHECK(w.rest() == "");
    // A line end inside an event is not the end of the event.
    CHECK(w.take("event: x\n") == "");
    w.clear();
    CHECK(w.take("data: 5\n\n") == "data: 5\n\n");
}
