// The checks that tell a real identifier from a look-alike: Luhn (payment cards), ISO 7064
// mod 97-10 (IBAN), the SSA's never-issued ranges (US SSN), and Shannon entropy (secrets).
#pragma once

#include <cstddef>
#include <string_view>

namespace nexus::sanitize {

// `digits` holds only '0'..'9'.
bool luhn_valid(std::string_view digits);

// `iban` is the compact form (no spaces), country code first. Checks the mod-97 remainder only.
bool iban_checksum_valid(std::string_view iban);

// The registered length of IBANs of a country (ISO 3166 alpha-2, upper case); 0 when unknown.
size_t iban_length(std::string_view country);

// Area, group and serial of an SSN as numbers. False for the ranges never issued: area 000,
// 666 and 900-999, group 00, serial 0000 (https://www.ssa.gov/employer/randomization.html).
bool ssn_valid(int area, int group, int serial);

// Shannon entropy of the bytes of `s`, in bits per byte.
double shannon_entropy(std::string_view s);

}  // namespace nexus::sanitize
