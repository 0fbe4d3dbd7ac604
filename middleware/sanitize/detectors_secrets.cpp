// Credentials: API keys of well-known formats, JWTs, PEM private keys, and long tokens
// random enough to be secrets.
//
// Formats: OpenAI keys "sk-" / "sk-proj-"; Anthropic "sk-ant-"; AWS access key ids
// "AKIA"/"ASIA" + 16 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html);
// GitHub "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"
// (https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/);
// Slack "xoxa-", "xoxb-", "xoxp-" (https://api.slack.com/authentication/token-types);
// Google API keys "AIza" + 35; JWT (RFC 7519: base64url header "eyJ..." . payload . signature);
// PEM (RFC 7468) "-----BEGIN ... PRIVATE KEY-----".
#include "char_class.hpp"
#include "checksums.hpp"
#include "detectors.hpp"

#include <algorithm>
#include <cmath>

namespace nexus::sanitize {

namespace {

bool is_key_char(char c) { return is_word(c) || c == '-'; }
bool is_b64url(char c) { return is_word(c) || c == '-'; }
bool has_digit(std::string_view s) { return std::any_of(s.begin(), s.end(), is_digit); }

// `prefix` at `i` (not inside a longer token), then at least `min_body` bytes of `body`.
// Returns the end or 0.
template <class Pred>
size_t prefixed_token(std::string_view t, size_t i, std::string_view prefix, Pred body, size_t min_body,
                      size_t max_body = SIZE_MAX) {
    if (t.compare(i, prefix.size(), prefix) != 0) return 0;
    if (is_key_char(before(t, i))) return 0;
    size_t e = i + prefix.size();
    while (e < t.size() && body(t[e]) && e - i - prefix.size() < max_body) ++e;
    if (e - i - prefix.size() < min_body) return 0;
    if (max_body != SIZE_MAX && is_key_char(at(t, e))) return 0;  // fixed-length formats end there
    return e;
}

}  // namespace

void find_api_keys(std::string_view t, std::vector<Span>& out) {
    auto alnum = [](char c) { return is_alnum(c); };
    auto upper_digit = [](char c) { return is_upper(c) || is_digit(c); };
    auto slack = [](char c) { return is_alnum(c) || c == '-'; };
    for (size_t i = 0; i < t.size(); ++i) {
        size_t e = 0;
        switch (t[i]) {
            case 's':
                // Generated keys always hold digits; "sk-some-long-hyphenated-words" is prose.
                e = prefixed_token(t, i, "sk-", is_key_char, 20);
                if (e && !has_digit(t.substr(i + 3, e - i - 3))) e = 0;
                break;
            case 'A':
                e = prefixed_token(t, i, "AKIA", upper_digit, 16, 16);
                if (!e) e = prefixed_token(t, i, "ASIA", upper_digit, 16, 16);
                if (e && t[i + 1] == 'S' && !has_digit(t.substr(i + 4, 16))) e = 0;  // "ASIANCOUNTRIES..."
                if (!e) e = prefixed_token(t, i, "AIza", is_key_char, 35, 35);
                break;
            case 'g':
                for (std::string_view p : {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"})
                    if (!e) e = prefixed_token(t, i, p, alnum, 36);
                if (!e) e = prefixed_token(t, i, "github_pat_", is_word, 22);
                break;
            case 'x':
                for (std::string_view p : {"xoxa-", "xoxb-", "xoxp-"})
                    if (!e) e = prefixed_token(t, i, p, slack, 10);
                break;
            default: break;
        }
        if (e) {
            out.push_back({i, e});
            i = e - 1;
        }
    }
}

void find_jwts(std::string_view t, std::vector<Span>& out) {
    for (size_t i = t.find("eyJ"); i != std::string_view::npos; i = t.find("eyJ", i + 1)) {
        if (is_b64url(before(t, i))) continue;
        size_t e = i;
        int parts = 0;
        for (; parts < 3; ++parts) {
            size_t s = e;
            while (e < t.size() && is_b64url(t[e])) ++e;
            if (parts < 2 && (e - s < 4 || t.compare(s, 3, "eyJ") != 0)) break;  // header and payload are JSON objects
            if (parts < 2) {
                if (at(t, e) != '.') break;
                ++e;
            }
        }
        if (parts != 3) continue;
        out.push_back({i, e});
        i = e;
    }
}

void find_private_keys(std::string_view t, std::vector<Span>& out) {
    static constexpr std::string_view kBegin = "-----BEGIN ", kEnd = "-----END ", kTail = "PRIVATE KEY-----";
    for (size_t i = t.find(kBegin); i != std::string_view::npos; i = t.find(kBegin, i + 1)) {
        // "-----BEGIN [RSA |EC |OPENSSH |ENCRYPTED ]PRIVATE KEY-----"
        size_t label = i + kBegin.size();
        size_t tail = t.substr(label, 40 + kTail.size()).find(kTail);
        if (tail == std::string_view::npos) continue;
        tail += label;
        bool label_ok = true;
        for (size_t p = label; p < tail; ++p)
            if (!is_upper(t[p]) && !is_digit(t[p]) && t[p] != ' ') label_ok = false;
        if (!label_ok) continue;
        size_t end = t.size();  // without an END line, everything after BEGIN is the key
        for (size_t e = t.find(kEnd, tail); e != std::string_view::npos; e = t.find(kEnd, e + 1)) {
            size_t et = t.substr(e + kEnd.size(), 40 + kTail.size()).find(kTail);
            if (et != std::string_view::npos) {
                end = e + kEnd.size() + et + kTail.size();
                break;
            }
        }
        out.push_back({i, end});
        if (end == t.size()) return;
        i = end - 1;
    }
}

void find_secrets(std::string_view t, const DetectorOptions& opt, std::vector<Span>& out) {
    auto token_char = [](char c) { return is_alnum(c) || is_in(c, "_-+/="); };
    for (size_t i = 0; i < t.size();) {
        if (!token_char(t[i])) {
            ++i;
            continue;
        }
        size_t e = i;
        bool digit = false, alpha = false;
        while (e < t.size() && token_char(t[e])) {
            digit |= is_digit(t[e]);
            alpha |= is_alpha(t[e]);
            ++e;
        }
        // Long, mixed letters and digits, and close to random: a generated credential rather
        // than a word, a path, an identifier or a hex digest. A random string of n bytes
        // cannot have more than log2(n) bits per byte, so the bar rises with the length
        // (0.8 * log2 n: 4.0 at 32 bytes, 4.5 at 49) up to secret_min_entropy.
        std::string_view tok = t.substr(i, e - i);
        if (tok.size() >= opt.secret_min_length && digit && alpha) {
            double bar = std::min(0.8 * std::log2(double(tok.size())), opt.secret_min_entropy);
            if (shannon_entropy(tok) >= bar) out.push_back({i, e});
        }
        i = e;
    }
}

const char* detector_name(Detector d) {
    switch (d) {
        case Detector::private_key: return "private_key";
        case Detector::jwt: return "jwt";
        case Detector::api_key: return "api_key";
        case Detector::email: return "email";
        case Detector::iban: return "iban";
        case Detector::credit_card: return "credit_card";
        case Detector::ssn: return "ssn";
        case Detector::ipv6: return "ipv6";
        case Detector::ipv4: return "ipv4";
        case Detector::phone: return "phone";
        case Detector::secret: return "secret";
    }
    return "unknown";
}

void find(Detector d, std::string_view text, const DetectorOptions& opt, std::vector<Span>& out) {
    switch (d) {
        case Detector::private_key: return find_private_keys(text, out);
        case Detector::jwt: return find_jwts(text, out);
        case Detector::api_key: return find_api_keys(text, out);
        case Detector::email: return find_emails(text, out);
        case Detector::iban: return find_ibans(text, out);
        case Detector::credit_card: return find_credit_cards(text, out);
        case Detector::ssn: return find_ssns(text, out);
        case Detector::ipv6: return find_ipv6(text, out);
        case Detector::ipv4: return find_ipv4(text, out);
        case Detector::phone: return find_phones(text, out);
        case Detector::secret: return find_secrets(text, opt, out);
    }
}

}  // namespace nexus::sanitize
