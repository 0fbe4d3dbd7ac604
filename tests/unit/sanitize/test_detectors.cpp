// Every detector: what it must find, and the look-alikes it must leave alone.
#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace nexus::sanitize;
using namespace nexus::sanitize::test;

TEST_CASE("email addresses") {
    CHECK(found(Detector::email, "mail alice@example.com today") == one("alice@example.com"));
    CHECK(found(Detector::email, "<bob.smith+tag@mail.example.co.uk>.") == one("bob.smith+tag@mail.example.co.uk"));
    CHECK(found(Detector::email, "a@b.io, c_d@e-f.org") == std::vector<std::string>{"a@b.io", "c_d@e-f.org"});
    CHECK(found(Detector::email, "ends with a dot: x@example.com.") == one("x@example.com"));
    CHECK(found(Detector::email, "@handle and user@localhost") == kNone);
    CHECK(found(Detector::email, "a@b.c") == kNone);             // one-letter top-level domain
    CHECK(found(Detector::email, "user@-bad.com") == kNone);     // label starting with '-'
    CHECK(found(Detector::email, "user@example.c0m") == kNone);  // digits in the top-level domain
    CHECK(found(Detector::email, "a@@b.com") == kNone);
}

TEST_CASE("phone numbers: E.164 and national formats, not plain long numbers") {
    CHECK(found(Detector::phone, "call +1 415 555 2671 now") == one("+1 415 555 2671"));
    CHECK(found(Detector::phone, "call +14155552671.") == one("+14155552671"));
    CHECK(found(Detector::phone, "+1 (555) 123-4567") == one("+1 (555) 123-4567"));
    CHECK(found(Detector::phone, "(555) 123-4567") == one("(555) 123-4567"));
    CHECK(found(Detector::phone, "tel: 555-123-4567") == one("555-123-4567"));
    CHECK(found(Detector::phone, "555.123.4567") == one("555.123.4567"));
    CHECK(found(Detector::phone, "1-800-555-0199") == one("1-800-555-0199"));
    CHECK(found(Detector::phone, "London 020 7946 0958") == one("020 7946 0958"));
    CHECK(found(Detector::phone, "+44 20 7946 0958") == one("+44 20 7946 0958"));
    CHECK(found(Detector::phone, "Paris 01 23 45 67 89") == one("01 23 45 67 89"));
    CHECK(found(Detector::phone, "mobile 07700 900123") == one("07700 900123"));

    CHECK(found(Detector::phone, "order 5551234567 shipped") == kNone);    // a bare run of digits
    CHECK(found(Detector::phone, "id 12345678901234567890") == kNone);
    CHECK(found(Detector::phone, "on 2024-01-15 at 10:30") == kNone);
    CHECK(found(Detector::phone, "ref ABC-555-123-4567") == kNone);        // inside an identifier
    CHECK(found(Detector::phone, "+123 45") == kNone);                     // too short for E.164
    CHECK(found(Detector::phone, "+1234567890123456") == kNone);           // 16 digits
    CHECK(found(Detector::phone, "55512 34567") == kNone);                 // two groups without a trunk 0
    CHECK(found(Detector::phone, "555-123-4567x") == kNone);
    CHECK(found(Detector::phone, "555-123.4567") == kNone);                // mixed separators
}

TEST_CASE("payment cards: 13 to 19 digits, grouped, Luhn-checked") {
    CHECK(found(Detector::credit_card, "card 4111 1111 1111 1111 exp") == one("4111 1111 1111 1111"));
    CHECK(found(Detector::credit_card, "4111-1111-1111-1111") == one("4111-1111-1111-1111"));
    CHECK(found(Detector::credit_card, "4111111111111111") == one("4111111111111111"));
    CHECK(found(Detector::credit_card, "amex 3782 822463 10005.") == one("3782 822463 10005"));
    CHECK(found(Detector::credit_card, "5555555555554444, 6011111111111117") ==
          std::vector<std::string>{"5555555555554444", "6011111111111117"});

    CHECK(found(Detector::credit_card, "4111 1111 1111 1112") == kNone);   // Luhn fails
    CHECK(found(Detector::credit_card, "4111111111111112") == kNone);
    CHECK(found(Detector::credit_card, "41111111111111110000") == kNone);  // 20 digits
    CHECK(found(Detector::credit_card, "9111111111111111") == kNone);      // Luhn ok, no card network starts with 9
    CHECK(found(Detector::credit_card, "4111 1111-1111 1111") == kNone);   // mixed separators
    CHECK(found(Detector::credit_card, "x4111111111111111") == kNone);
    CHECK(found(Detector::credit_card, "1 2 3 4 5 6 7 8 9 0 1 2 8") == kNone);  // single digits
}

TEST_CASE("IBANs: registered length and mod-97 check") {
    CHECK(found(Detector::iban, "pay DE89 3704 0044 0532 0130 00 today") == one("DE89 3704 0044 0532 0130 00"));
    CHECK(found(Detector::iban, "DE89370400440532013000") == one("DE89370400440532013000"));
    CHECK(found(Detector::iban, "GB82 WEST 1234 5698 7654 32.") == one("GB82 WEST 1234 5698 7654 32"));
    CHECK(found(Detector::iban, "FR1420041010050500013M02606") == one("FR1420041010050500013M02606"));

    CHECK(found(Detector::iban, "DE89 3704 0044 0532 0130 01") == kNone);   // wrong checksum
    CHECK(found(Detector::iban, "DE8937040044053201300") == kNone);         // one character short
    CHECK(found(Detector::iban, "DE893704004405320130001") == kNone);       // one too many
    CHECK(found(Detector::iban, "US12345678901234567890") == kNone);        // no IBAN country
    CHECK(found(Detector::iban, "XDE89370400440532013000") == kNone);
}

TEST_CASE("US social security numbers, with the never-issued ranges") {
    CHECK(found(Detector::ssn, "SSN 123-45-6789.") == one("123-45-6789"));
    CHECK(found(Detector::ssn, "SSN 123 45 6789") == one("123 45 6789"));
    CHECK(found(Detector::ssn, "000-12-3456") == kNone);
    CHECK(found(Detector::ssn, "666-12-3456") == kNone);
    CHECK(found(Detector::ssn, "912-34-5678") == kNone);
    CHECK(found(Detector::ssn, "123-00-4567") == kNone);
    CHECK(found(Detector::ssn, "123-45-0000") == kNone);
    CHECK(found(Detector::ssn, "123-45 6789") == kNone);        // mixed separators
    CHECK(found(Detector::ssn, "123456789") == kNone);          // bare digits
    CHECK(found(Detector::ssn, "1123-45-6789") == kNone);
    CHECK(found(Detector::ssn, "123-45-6789-1") == kNone);
}

TEST_CASE("IPv4 addresses") {
    CHECK(found(Detector::ipv4, "host 192.168.1.10 is up") == one("192.168.1.10"));
    CHECK(found(Detector::ipv4, "8.8.8.8, 10.0.0.1.") == std::vector<std::string>{"8.8.8.8", "10.0.0.1"});
    CHECK(found(Detector::ipv4, "256.1.1.1") == kNone);
    CHECK(found(Detector::ipv4, "1.2.3") == kNone);
    CHECK(found(Detector::ipv4, "1.2.3.4.5") == kNone);
    CHECK(found(Detector::ipv4, "01.2.3.4") == kNone);
    CHECK(found(Detector::ipv4, "v1.2.3.4") == kNone);
}

TEST_CASE("IPv6 addresses") {
    CHECK(found(Detector::ipv6, "at 2001:db8::1 now") == one("2001:db8::1"));
    CHECK(found(Detector::ipv6, "2001:0db8:85a3:0000:0000:8a2e:0370:7334") == one("2001:0db8:85a3:0000:0000:8a2e:0370:7334"));
    CHECK(found(Detector::ipv6, "link fe80::1ff:fe23:4567:890a.") == one("fe80::1ff:fe23:4567:890a"));
    CHECK(found(Detector::ipv6, "mapped ::ffff:192.0.2.1") == one("::ffff:192.0.2.1"));
    CHECK(found(Detector::ipv6, "std::string and a::b") == kNone);
    CHECK(found(Detector::ipv6, "at 12:30:45") == kNone);
    CHECK(found(Detector::ipv6, "loopback ::1") == kNone);  // nothing personal in it
    CHECK(found(Detector::ipv6, "mac 00:1A:2B:3C:4D:5E") == kNone);
    CHECK(found(Detector::ipv6, "2001:db8::1g") == kNone);
}

TEST_CASE("API keys of well-known formats") {
    CHECK(found(Detector::api_key, "key sk-proj-abcdEFGH1234ijklMNOP5678qrst end") == one("sk-proj-abcdEFGH1234ijklMNOP5678qrst"));
    CHECK(found(Detector::api_key, "sk-ant-api03-AbC123dEf456GhI789jKl0-MnO_pq") == one("sk-ant-api03-AbC123dEf456GhI789jKl0-MnO_pq"));
    CHECK(found(Detector::api_key, "sk-1234567890abcdefghijklmn") == one("sk-1234567890abcdefghijklmn"));
    CHECK(found(Detector::api_key, "aws AKIAIOSFODNN7EXAMPLE.") == one("AKIAIOSFODNN7EXAMPLE"));
    CHECK(found(Detector::api_key, "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8") == one("ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"));
    CHECK(found(Detector::api_key, "github_pat_11ABCDEFG0123456789_abcdefghijklmnop") == one("github_pat_11ABCDEFG0123456789_abcdefghijklmnop"));
    CHECK(found(Detector::api_key, "xoxb-123456789012-abcdefghij") == one("xoxb-123456789012-abcdefghij"));
    CHECK(found(Detector::api_key, "AIzaSyA-1234567890abcdefghijklmnopqrstu") == one("AIzaSyA-1234567890abcdefghijklmnopqrstu"));

    CHECK(found(Detector::api_key, "task-1234567890abcdefghijklmn") == kNone);     // "sk-" inside a word
    CHECK(found(Detector::api_key, "sk-short123") == kNone);
    CHECK(found(Detector::api_key, "sk-this-is-just-a-long-hyphenated-phrase") == kNone);
    CHECK(found(Detector::api_key, "AKIAIOSFODNN7EXAMPL") == kNone);                // 15 after AKIA
    CHECK(found(Detector::api_key, "AKIAIOSFODNN7EXAMPLEX") == kNone);              // 17 after AKIA
    CHECK(found(Detector::api_key, "ASIANCOUNTRIESLISTEDHERE") == kNone);
    CHECK(found(Detector::api_key, "ghp_tooshort123") == kNone);
    CHECK(found(Detector::api_key, "xoxc-123456789012-abcdefghij") == kNone);
}

TEST_CASE("JWTs") {
    const std::string jwt =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    CHECK(found(Detector::jwt, "Bearer " + jwt + " ok") == one(jwt));
    CHECK(found(Detector::jwt, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.") == one("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."));
    CHECK(found(Detector::jwt, "eyJhbGciOiJIUzI1NiJ9.notjson.sig") == kNone);
    CHECK(found(Detector::jwt, "eyJhbGciOiJIUzI1NiJ9 alone") == kNone);
}

TEST_CASE("PEM private keys, with or without their END line") {
    const std::string key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabc\n-----END RSA PRIVATE KEY-----";
    CHECK(found(Detector::private_key, "here:\n" + key + "\nthanks") == one(key));
    CHECK(found(Detector::private_key, "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg") ==
          one("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg"));
    CHECK(found(Detector::private_key, "-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----") == kNone);
    CHECK(found(Detector::private_key, "-----BEGIN CERTIFICATE-----") == kNone);
}

TEST_CASE("high-entropy tokens") {
    CHECK(found(Detector::secret, "token u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzd here") == one("u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzd"));
    CHECK(found(Detector::secret, "a/b+c=Zx9Qw2Er5Ty8Ui1Op4As7Df0Gh3Jk6Lz") == one("a/b+c=Zx9Qw2Er5Ty8Ui1Op4As7Df0Gh3Jk6Lz"));
    // A hex digest, an identifier, a path, a file name: long but not random enough.
    CHECK(found(Detector::secret, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == kNone);
    CHECK(found(Detector::secret, "get_user_account_information_by_identifier2") == kNone);
    CHECK(found(Detector::secret, "home/user/projects/nexus/build-mw2/plugins/nexus_sanitize") == kNone);
    CHECK(found(Detector::secret, "2024-01-15T10-30-00Z_backup_database_production") == kNone);
    CHECK(found(Detector::secret, "u8jzPde0IgxLd6GncfBAepfJBd0Kh8") == kNone);  // 30 < 32
    CHECK(found(Detector::secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijkl") == kNone);  // no digit
    DetectorOptions strict;
    strict.secret_min_length = 48;
    CHECK(found(Detector::secret, "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzd", strict) == kNone);
}
