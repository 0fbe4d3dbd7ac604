#include "stream_holdback.hpp"

#include "char_class.hpp"

#include <algorithm>

namespace nexus::sanitize {

size_t safe_cut(std::string_view buf, size_t from, size_t holdback) {
    const size_t n = buf.size();
    size_t cut = n - from > holdback ? n - holdback : from;
    while (cut > from && !is_space(buf[cut - 1])) --cut;  // never split a word
    if (n - cut > kMaxHold) cut = n - kMaxHold;           // a giant "word": bounded memory wins
    // An unterminated private key block is held from its BEGIN line.
    size_t begin = buf.rfind("-----BEGIN ");
    if (begin != std::string_view::npos && begin >= from && begin < cut && n - begin <= kMaxHold &&
        buf.find("-----END ", begin) == std::string_view::npos)
        cut = begin;
    while (cut > from && cut < n && (static_cast<unsigned char>(buf[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
    return cut;
}

std::string StreamBuffer::feed(std::string_view piece, const Config& cfg, bool detect, const Vault* vault,
                               Tally& tally) {
    held_.append(piece);
    return release(false, cfg, detect, vault, tally);
}

std::string StreamBuffer::flush(const Config& cfg, bool detect, const Vault* vault, Tally& tally) {
    return release(true, cfg, detect, vault, tally);
}

std::string StreamBuffer::release(bool final, const Config& cfg, bool detect, const Vault* vault, Tally& tally) {
    if (held_.empty()) return {};
    std::string buf = context_ + held_;
    const size_t from = context_.size();
    size_t cut = final ? buf.size() : safe_cut(buf, from, cfg.holdback);
    std::vector<Finding> findings;
    if (detect) {
        findings = scan(cfg, buf);
        // Matches inside the context were handled when it was released.
        findings.erase(std::remove_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.begin < from; }),
                       findings.end());
        for (auto it = findings.rbegin(); it != findings.rend(); ++it)
            if (it->begin < cut && it->end > cut) cut = it->begin;  // hold a match whole
    }
    if (cut == from) return {};
    std::string out = detect ? rewrite(buf, from, cut, findings, nullptr, tally) : buf.substr(from, cut - from);
    if (vault) out = vault->restore(out);
    context_ = buf.substr(cut > kContext ? cut - kContext : 0, std::min(cut, kContext));
    held_ = buf.substr(cut);
    return out;
}

}  // namespace nexus::sanitize
