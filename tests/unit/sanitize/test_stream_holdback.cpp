// Streamed redaction: whatever the split, the client gets what whole-text redaction gives,
// and never a byte of a match.
#include "stream_holdback.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace nexus::sanitize;
using namespace nexus::sanitize::test;

namespace {

struct Streamed {
    std::string text;
    std::vector<std::string> pieces;  // what each feed released
    Tally tally;
};

Streamed stream(const Config& cfg, const std::vector<std::string>& parts, bool detect = true, const Vault* vault = nullptr) {
    StreamBuffer buf;
    Streamed s;
    for (const auto& p : parts) {
        s.pieces.push_back(buf.feed(p, cfg, detect, vault, s.tally));
        s.text += s.pieces.back();
    }
    s.pieces.push_back(buf.flush(cfg, detect, vault, s.tally));
    s.text += s.pieces.back();
    CHECK(buf.held() == 0);
    return s;
}

bool valid_utf8(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}

}  // namespace

TEST_CASE("an email or a card split at every byte is still redacted") {
    Config cfg = parse_config("{}");
    for (std::string text : {std::string("Write to alice@example.com today."),
                             std::string("Card: 4111 1111 1111 1111, exp 12/29"),
                             std::string("iban DE89 3704 0044 0532 0130 00 ok"),
                             std::string("call +44 20 7946 0958 now")}) {
        const std::string want = clean(cfg, text);
        REQUIRE(want != text);
        for (size_t i = 0; i <= text.size(); ++i) {
            Streamed s = stream(cfg, {text.substr(0, i), text.substr(i)});
            INFO(text << " split at " << i);
            CHECK(s.text == want);
        }
    }
}

TEST_CASE("a card split in three at every pair of points") {
    Config cfg = parse_config("{}");
    const std::string text = "pay with 4111-1111-1111-1111 please";
    const std::string want = "pay with [CREDIT_CARD] please";
    for (size_t i = 0; i <= text.size(); ++i)
        for (size_t j = i; j <= text.size(); ++j) {
            Streamed s = stream(cfg, {text.substr(0, i), text.substr(i, j - i), text.substr(j)});
            INFO("split at " << i << " and " << j);
            REQUIRE(s.text == want);
        }
}

TEST_CASE("byte-by-byte and word-by-word streams") {
    Config cfg = parse_config("{}");
    const std::string text = "Hi bob@example.com, your SSN 123-45-6789 and key sk-proj-abcdEFGH1234ijklMNOP5678 are safe.";
    const std::string want = clean(cfg, text);
    std::vector<std::string> bytes, words;
    for (char c : text) bytes.emplace_back(1, c);
    for (size_t i = 0; i < text.size();) {
        size_t j = text.find(' ', i + 1);
        if (j == std::string::npos) j = text.size();
        words.push_back(text.substr(i, j - i));  // " word" pieces, as OpenAI streams them
        i = j;
    }
    CHECK(stream(cfg, bytes).text == want);
    CHECK(stream(cfg, words).text == want);
}

TEST_CASE("text is released as it comes, holding back only the tail") {
    Config cfg = parse_config("{}");
    std::vector<std::string> words;
    for (int i = 0; i < 40; ++i) words.push_back("word" + std::to_string(i) + " ");
    Streamed s = stream(cfg, words);
    size_t released_early = 0;
    for (size_t i = 0; i + 1 < s.pieces.size(); ++i) released_early += s.pieces[i].size();
    CHECK(released_early > s.text.size() - 60);  // at most the hold-back window waits for the end
    CHECK(s.pieces.back().size() <= 60);
}

TEST_CASE("a rule that spans words is caught across chunks within the hold-back window") {
    Config cfg = parse_config(R"({"pii":"off","custom":[{"name":"echo","pattern":"You said"}]})");
    CHECK(stream(cfg, {"You", " said:", " hello", " there"}).text == "[ECHO]: hello there");
}

TEST_CASE("a blocked match is never released") {
    Config cfg = parse_config(R"({"rules":{"credit_card":"block"}})");
    const std::string text = "ok so 4111 1111 1111 1111 is it";
    for (size_t i = 0; i <= text.size(); ++i) {
        StreamBuffer buf;
        Tally t;
        std::string before_block = buf.feed(text.substr(0, i), cfg, true, nullptr, t);
        if (t.blocked_by.empty()) before_block += buf.feed(text.substr(i), cfg, true, nullptr, t);
        if (t.blocked_by.empty()) buf.flush(cfg, true, nullptr, t);
        INFO("split at " << i);
        CHECK(t.blocked_by == "credit_card");
        CHECK(before_block.find("4111") == std::string::npos);
        CHECK(before_block.find("1111") == std::string::npos);
    }
}

TEST_CASE("reversible placeholders are restored across chunk boundaries") {
    Config cfg = parse_config(R"({"reversible":true,"scope":["request"]})");
    Vault vault;
    REQUIRE(clean(cfg, "alice@example.com", nullptr, &vault) == "[EMAIL_1]");
    const std::string answer = "Sure, I will write to [EMAIL_1] tomorrow.";
    for (size_t i = 0; i <= answer.size(); ++i) {
        Streamed s = stream(cfg, {answer.substr(0, i), answer.substr(i)}, false, &vault);
        INFO("split at " << i);
        CHECK(s.text == "Sure, I will write to alice@example.com tomorrow.");
    }
}

TEST_CASE("reversible with response detection: new matches redacted, placeholders restored") {
    Config cfg = parse_config(R"({"reversible":true})");
    Vault vault;
    clean(cfg, "bob@example.com", nullptr, &vault);
    CHECK(stream(cfg, {"[EMAIL_1] and carol", "@example.org"}, true, &vault).text == "bob@example.com and [EMAIL]");
}

TEST_CASE("cuts never split a UTF-8 character") {
    Config cfg = parse_config(R"({"holdback":8})");
    std::string text;
    for (int i = 0; i < 30; ++i) text += "\xc3\xa9t\xc3\xa9 \xe2\x82\xac\xf0\x9f\x98\x80";  // "été €😀"
    text += " a@b.io";
    for (size_t step : {1u, 2u, 3u, 5u, 7u}) {
        std::vector<std::string> parts;
        for (size_t i = 0; i < text.size(); i += step) parts.push_back(text.substr(i, step));
        // Feed pieces that may end inside a character; what is released must not.
        StreamBuffer buf;
        Tally t;
        std::string all;
        std::string pending;
        for (auto& p : parts) {
            pending += p;
            // The host only ever hands whole characters (JSON strings); emulate that.
            size_t whole = pending.size();
            while (whole > 0 && (static_cast<unsigned char>(pending[whole - 1]) & 0xC0) == 0x80) --whole;
            if (whole > 0 && static_cast<unsigned char>(pending[whole - 1]) >= 0xC0) --whole;
            std::string piece = buf.feed(pending.substr(0, whole), cfg, true, nullptr, t);
            pending.erase(0, whole);
            CHECK(valid_utf8(piece));
            all += piece;
        }
        all += buf.feed(pending, cfg, true, nullptr, t);
        all += buf.flush(cfg, true, nullptr, t);
        CHECK(all == clean(cfg, text));
    }
}

TEST_CASE("an unterminated private key is held until its END line") {
    Config cfg = parse_config("{}");
    Streamed s = stream(cfg, {"key:\n-----BEGIN PRIVATE KEY-----\n", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n",
                              "abcdefghijklmnopqrstuvwxyz\n", "-----END PRIVATE KEY-----\n", "done"});
    CHECK(s.text == "key:\n[PRIVATE_KEY]\ndone");
    for (const auto& p : s.pieces) CHECK(p.find("MIIEv") == std::string::npos);
}

TEST_CASE("safe_cut keeps the last word and the window") {
    CHECK(safe_cut("hello world", 0, 4) == 6);             // "world" is held
    CHECK(safe_cut("hello world", 0, 8) == 0);             // "lo world", rounded back to a word start
    CHECK(safe_cut("aaaa bbbb cccc dddd eeee", 0, 8) == 15);  // last 8 bytes, rounded back to a word start
    CHECK(safe_cut("short", 0, 48) == 0);
    CHECK(safe_cut("ctx| more text here", 4, 4) == 15);
}
