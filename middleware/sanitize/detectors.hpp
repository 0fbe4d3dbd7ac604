// The built-in detectors. Each one scans a text in linear time and appends the byte ranges
// of what it found; overlaps between detectors are settled by the Scanner.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace nexus::sanitize {

struct Span {
    size_t begin;
    size_t end;  // one past the last byte
};

// In priority order: when two detectors claim overlapping text, the earlier one wins.
enum class Detector {
    private_key,
    jwt,
    api_key,
    email,
    iban,
    credit_card,
    ssn,
    ipv6,
    ipv4,
    phone,
    secret,
};
inline constexpr Detector kAllDetectors[] = {Detector::private_key, Detector::jwt,   Detector::api_key,
                                             Detector::email,       Detector::iban,  Detector::credit_card,
                                             Detector::ssn,         Detector::ipv6,  Detector::ipv4,
                                             Detector::phone,       Detector::secret};

const char* detector_name(Detector d);  // "credit_card": config key and metric label

struct DetectorOptions {
    size_t secret_min_length = 32;
    double secret_min_entropy = 4.8;  // bits per byte, the highest bar (see find_secrets)
};

void find(Detector d, std::string_view text, const DetectorOptions& opt, std::vector<Span>& out);

// One function per detector (detectors_*.cpp).
void find_emails(std::string_view text, std::vector<Span>& out);
void find_phones(std::string_view text, std::vector<Span>& out);
void find_credit_cards(std::string_view text, std::vector<Span>& out);
void find_ibans(std::string_view text, std::vector<Span>& out);
void find_ssns(std::string_view text, std::vector<Span>& out);
void find_ipv4(std::string_view text, std::vector<Span>& out);
void find_ipv6(std::string_view text, std::vector<Span>& out);
void find_api_keys(std::string_view text, std::vector<Span>& out);
void find_jwts(std::string_view text, std::vector<Span>& out);
void find_private_keys(std::string_view text, std::vector<Span>& out);
void find_secrets(std::string_view text, const DetectorOptions& opt, std::vector<Span>& out);

}  // namespace nexus::sanitize
