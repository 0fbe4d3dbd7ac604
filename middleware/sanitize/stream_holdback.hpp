// Redaction of a streamed text (one choice of a streamed response) whose matches may span
// chunk boundaries. Each piece is appended to what is held; the part that no future text
// can turn into (or out of) a match is rewritten and released; the tail that could still
// be the start of one is held until more text or the end of the stream comes.
//
// What is held: the last word (a match never ends inside a word), the last `holdback`
// bytes rounded back to a word start (multi-word matches: "4111 1111 1111 1111",
// "+44 20 7946 0958", "DE89 3704 0044 0532 0130 00"), an unterminated PEM private key,
// and never more than kMaxHold bytes. A short window of released text is kept as context,
// so that a detector's "not preceded by a letter" checks see the same text as they would
// on the whole response.
#pragma once

#include "rewrite.hpp"

#include <string>
#include <string_view>

namespace nexus::sanitize {

inline constexpr size_t kMaxHold = 16384;
inline constexpr size_t kContext = 64;

// Where the text of `buf` from `from` on may be cut now (see above).
size_t safe_cut(std::string_view buf, size_t from, size_t holdback);

class StreamBuffer {
public:
    // `detect`: run the rules (response scope); `vault`: restore placeholders (reversible;
    // may be null). Returns the text to send now (possibly empty).
    std::string feed(std::string_view piece, const Config& cfg, bool detect, const Vault* vault, Tally& tally);
    // End of the stream: everything that is held.
    std::string flush(const Config& cfg, bool detect, const Vault* vault, Tally& tally);
    size_t held() const { return held_.size(); }

private:
    std::string release(bool final, const Config& cfg, bool detect, const Vault* vault, Tally& tally);
    std::string context_;  // the end of the original text already released
    std::string held_;
};

}  // namespace nexus::sanitize
