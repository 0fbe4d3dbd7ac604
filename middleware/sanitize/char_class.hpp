// ASCII character classes for the detectors. Text is UTF-8: every byte >= 0x80 is "other",
// so a match never starts or ends inside a multi-byte character.
#pragma once

#include <string_view>

namespace nexus::sanitize {

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
inline bool is_alpha(char c) { return is_upper(c) || is_lower(c); }
inline bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
inline bool is_word(char c) { return is_alnum(c) || c == '_'; }
inline bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
inline bool is_in(char c, std::string_view set) { return set.find(c) != std::string_view::npos; }

// The byte before `i`, or a space at the start of the text.
inline char before(std::string_view t, size_t i) { return i == 0 ? ' ' : t[i - 1]; }
// The byte at `i`, or a space past the end.
inline char at(std::string_view t, size_t i) { return i < t.size() ? t[i] : ' '; }

// True when a number-like match may start after `c`: not inside a word, a number, a path or
// an identifier ("ABC-555-123-4567", "v1.2.3.4", "/12345").
inline bool number_may_start_after(char c) { return !is_alnum(c) && !is_in(c, "_-./+@#$%&=\\:"); }

}  // namespace nexus::sanitize
