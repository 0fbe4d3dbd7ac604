#include "checksums.hpp"

#include <catch2/catch.hpp>

using namespace nexus::sanitize;

TEST_CASE("Luhn accepts test card numbers and rejects a changed digit") {
    CHECK(luhn_valid("4111111111111111"));
    CHECK(luhn_valid("5555555555554444"));
    CHECK(luhn_valid("378282246310005"));
    CHECK(luhn_valid("6011111111111117"));
    CHECK_FALSE(luhn_valid("4111111111111112"));
    CHECK_FALSE(luhn_valid("378282246310006"));
    CHECK_FALSE(luhn_valid(""));
}

TEST_CASE("IBAN mod 97 accepts registry examples and rejects a wrong check") {
    CHECK(iban_checksum_valid("DE89370400440532013000"));
    CHECK(iban_checksum_valid("GB82WEST12345698765432"));
    CHECK(iban_checksum_valid("FR1420041010050500013M02606"));
    CHECK(iban_checksum_valid("NO9386011117947"));
    CHECK_FALSE(iban_checksum_valid("DE89370400440532013001"));
    CHECK_FALSE(iban_checksum_valid("GB82WEST12345698765433"));
    CHECK_FALSE(iban_checksum_valid("DE89 3704"));  // a space is not part of the compact form
    CHECK(iban_length("DE") == 22);
    CHECK(iban_length("NO") == 15);
    CHECK(iban_length("US") == 0);
}

TEST_CASE("SSN ranges that were never issued") {
    CHECK(ssn_valid(123, 45, 6789));
    CHECK(ssn_valid(899, 99, 9999));
    CHECK_FALSE(ssn_valid(0, 12, 3456));
    CHECK_FALSE(ssn_valid(666, 12, 3456));
    CHECK_FALSE(ssn_valid(900, 12, 3456));
    CHECK_FALSE(ssn_valid(999, 12, 3456));
    CHECK_FALSE(ssn_valid(123, 0, 4567));
    CHECK_FALSE(ssn_valid(123, 45, 0));
}

TEST_CASE("Shannon entropy in bits per byte") {
    CHECK(shannon_entropy("") == 0);
    CHECK(shannon_entropy("aaaa") == 0);
    CHECK(shannon_entropy("abab") == Approx(1.0));
    CHECK(shannon_entropy("0123456789abcdef") == Approx(4.0));
}
