// The host-table functions over nx_exchange that middleware uses (doc, text, headers, attrs,
// respond, reject, resume).
#include "core/exchange.hpp"
#include "plugin/abi_objects.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace {

nx_host_api make_api() {
    nx_host_api api{};
    api.struct_size = sizeof api;
    nexus::core::install_exchange_api(api);
    return api;
}

nx_str s(std::string_view v) { return nx_str{v.data(), v.size()}; }
std::string str(nx_str v) { return std::string(v.ptr, v.len); }

const char* kChat =
    R"({"model":"m","messages":[{"role":"system","content":"be nice"},)"
    R"({"role":"user","content":[{"type":"text","text":"mail bob@example.com"},{"type":"image_url","image_url":{"url":"https://x/y.png"}},{"type":"text","text":"thanks"}]}]})";

}  // namespace

TEST_CASE("doc_json returns the client's own bytes until something changes") {
    auto api = make_api();
    nx_exchange ex;
    ex.request.set_text(kChat);
    nx_str out{};
    REQUIRE(api.doc_json(&ex, NX_DOC_REQUEST, &out) == NX_OK);
    CHECK(str(out) == kChat);
    REQUIRE(api.doc_set(&ex, NX_DOC_REQUEST, s("/temperature"), s("0.5")) == NX_OK);
    REQUIRE(api.doc_json(&ex, NX_DOC_REQUEST, &out) == NX_OK);
    CHECK(str(out).find("\"temperature\":0.5") != std::string::npos);
}

TEST_CASE("text parts enumerate message contents and text parts in order, and can be rewritten") {
    auto api = make_api();
    nx_exchange ex;
    ex.request.set_text(kChat);
    REQUIRE(api.text_count(&ex, NX_DOC_REQUEST) == 3);
    nx_str t{};
    REQUIRE(api.text_get(&ex, NX_DOC_REQUEST, 1, &t) == NX_OK);
    CHECK(str(t) == "mail bob@example.com");
    REQUIRE(api.text_set(&ex, NX_DOC_REQUEST, 1, s("mail [EMAIL]")) == NX_OK);
    nx_str out{};
    api.doc_json(&ex, NX_DOC_REQUEST, &out);
    CHECK(str(out).find("bob@example.com") == std::string::npos);
    CHECK(str(out).find("mail [EMAIL]") != std::string::npos);
    CHECK(str(out).find("https://x/y.png") != std::string::npos);  // non-text parts untouched
    CHECK(api.text_get(&ex, NX_DOC_REQUEST, 3, &t) == NX_ERR_INVALID);
}

TEST_CASE("doc_get reads by JSON pointer and fails cleanly on a missing path") {
    auto api = make_api();
    nx_exchange ex;
    ex.request.set_text(kChat);
    nx_buf buf;
    REQUIRE(api.doc_get(&ex, NX_DOC_REQUEST, s("/messages/0/content"), &buf) == NX_OK);
    CHECK(buf.data == "\"be nice\"");
    nx_buf none;
    CHECK(api.doc_get(&ex, NX_DOC_REQUEST, s("/messages/9"), &none) == NX_ERR_INVALID);
    CHECK(api.doc_get(&ex, NX_DOC_RESPONSE, s("/id"), &none) == NX_ERR_INVALID);  // no response yet
}

TEST_CASE("doc_set rejects a value that is not JSON and leaves the document as it was") {
    auto api = make_api();
    nx_exchange ex;
    ex.request.set_text(kChat);
    CHECK(api.doc_set(&ex, NX_DOC_REQUEST, s("/user"), s("not json")) == NX_ERR_INVALID);
    nx_str out{};
    api.doc_json(&ex, NX_DOC_REQUEST, &out);
    CHECK(str(out) == kChat);
}

TEST_CASE("response and chunk texts") {
    auto api = make_api();
    nx_exchange ex;
    ex.response.set_text(R"({"choices":[{"index":0,"message":{"role":"assistant","content":"hi there"}}]})");
    REQUIRE(api.text_count(&ex, NX_DOC_RESPONSE) == 1);
    ex.chunk.set_text(R"({"choices":[{"index":0,"delta":{"content":"par"}}]})");
    nx_str t{};
    REQUIRE(api.text_get(&ex, NX_DOC_CHUNK, 0, &t) == NX_OK);
    CHECK(str(t) == "par");
}

TEST_CASE("request headers are case-insensitive; response headers replace by name; CRLF refused") {
    auto api = make_api();
    nexus::net::HeaderList h{{"X-Api-Key", "k"}, {"Content-Type", "application/json"}};
    nx_exchange ex;
    ex.request_headers = &h;
    nx_str v{};
    REQUIRE(api.request_header(&ex, s("content-type"), &v) == NX_OK);
    CHECK(str(v) == "application/json");
    CHECK(api.request_header(&ex, s("x-missing"), &v) == NX_ERR);
    REQUIRE(api.response_header_set(&ex, s("x-a"), s("1")) == NX_OK);
    REQUIRE(api.response_header_set(&ex, s("X-A"), s("2")) == NX_OK);
    REQUIRE(ex.response_headers.size() == 1);
    CHECK(ex.response_headers[0].second == "2");
    CHECK(api.response_header_set(&ex, s("x-b"), s("1\r\nx-evil: 1")) == NX_ERR_INVALID);
}

TEST_CASE("host attributes are read-only; middleware attributes are shared") {
    auto api = make_api();
    nx_exchange ex;
    ex.set_attr("request_id", "req_1");
    ex.readonly_attrs = 1;
    CHECK(api.attr_set(&ex, s("request_id"), s("forged")) == NX_ERR_INVALID);
    REQUIRE(api.attr_set(&ex, s("key_id"), s("team-a")) == NX_OK);
    nx_str v{};
    REQUIRE(api.attr_get(&ex, s("key_id"), &v) == NX_OK);
    CHECK(str(v) == "team-a");
    REQUIRE(api.attr_get(&ex, s("request_id"), &v) == NX_OK);
    CHECK(str(v) == "req_1");
}

TEST_CASE("respond validates its JSON and status; reject records the error") {
    auto api = make_api();
    nx_exchange ex;
    CHECK(api.respond(&ex, 200, s("{broken")) == NX_ERR_INVALID);
    CHECK(api.respond(&ex, 99, s("{}")) == NX_ERR_INVALID);
    CHECK_FALSE(ex.has_respond);
    REQUIRE(api.respond(&ex, 200, s(R"({"choices":[]})")) == NX_OK);
    CHECK(ex.has_respond);
    CHECK(api.reject(&ex, 200, s("x"), s("not an error status")) == NX_ERR_INVALID);
    REQUIRE(api.reject(&ex, 429, s(""), s("slow down")) == NX_OK);
    CHECK(ex.reject_error.status == 429);
    CHECK(ex.reject_error.type == "rate_limit_error");
    CHECK(ex.reject_error.message == "slow down");
}

TEST_CASE("resume runs the pending continuation exactly once") {
    auto api = make_api();
    nx_exchange ex;
    int calls = 0;
    nx_filter_status seen = -1;
    ex.on_resume = [&](nx_filter_status st) {
        ++calls;
        seen = st;
    };
    api.resume(&ex, NX_FILTER_REJECT);
    api.resume(&ex, NX_FILTER_CONTINUE);
    CHECK(calls == 1);
    CHECK(seen == NX_FILTER_REJECT);
}

TEST_CASE("every exchange function tolerates NULL handles") {
    auto api = make_api();
    nx_str v{};
    nx_buf b;
    CHECK(api.doc_json(nullptr, NX_DOC_REQUEST, &v) == NX_ERR_INVALID);
    CHECK(api.doc_get(nullptr, NX_DOC_REQUEST, s("/a"), &b) == NX_ERR_INVALID);
    CHECK(api.doc_set(nullptr, NX_DOC_REQUEST, s("/a"), s("1")) == NX_ERR_INVALID);
    CHECK(api.text_count(nullptr, NX_DOC_REQUEST) == 0);
    CHECK(api.request_header(nullptr, s("a"), &v) == NX_ERR_INVALID);
    CHECK(api.attr_get(nullptr, s("a"), &v) == NX_ERR_INVALID);
    CHECK(api.respond(nullptr, 200, s("{}")) == NX_ERR_INVALID);
    CHECK(api.reject(nullptr, 400, s("a"), s("b")) == NX_ERR_INVALID);
    api.resume(nullptr, NX_FILTER_CONTINUE);
}
