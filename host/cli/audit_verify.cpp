#include "cli/audit_verify.hpp"

#include <openssl/evp.h>
#include <rapidjson/document.h>

#include <fstream>

namespace nexus::cli {

namespace {

constexpr std::string_view kHashKey = ",\"hash\":\"";
constexpr size_t kHashTail = kHashKey.size() + 64 + 2;  // ,"hash":"<64 hex>"}

std::string sha256_hex(std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        out += kHex[md[i] >> 4];
        out += kHex[md[i] & 15];
    }
    return out;
}

bool is_hash(std::string_view s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

std::string short_hash(const std::string& h) { return h.substr(0, 12) + "..."; }

struct Chain {
    std::string last_hash;  // empty before the first record of the first file
    std::string last_file;
    size_t records = 0;
};

// Checks one line; returns the problem, or "" when it is a good next record of the chain.
std::string check_line(const std::string& line, size_t line_no, Chain& chain, std::string* hash_out) {
    if (line.empty()) return "empty line";
    // FORMAT.md: the line ends with ,"hash":"<sha256>"} and the hash covers the line without
    // that member (the object closed right after "prev").
    if (line.size() < kHashTail + 2 || line.compare(line.size() - 2, 2, "\"}") != 0 ||
        line.compare(line.size() - kHashTail, kHashKey.size(), kHashKey) != 0 ||
        !is_hash(std::string_view(line).substr(line.size() - 66, 64)))
        return "not an audit record (it does not end with its \"hash\")";
    std::string stated = line.substr(line.size() - 66, 64);
    std::string body = line.substr(0, line.size() - kHashTail) + "}";

    rapidjson::Document d;
    d.Parse(body.data(), body.size());
    if (d.HasParseError() || !d.IsObject()) return "not valid JSON";
    auto v = d.FindMember("v");
    // Version 2 lists each attempt where version 1 counted them; the chain is the same.
    if (v == d.MemberEnd() || !v->value.IsInt() || v->value.GetInt() < 1 || v->value.GetInt() > 2)
        return "not a version 1 or 2 audit record";
    auto prev = d.FindMember("prev");
    if (prev == d.MemberEnd() || !prev->value.IsString() || !is_hash(prev->value.GetString()))
        return "the record has no \"prev\" hash";
    if (sha256_hex(body) != stated) return "hash mismatch: the record was changed after it was written";

    std::string prev_hash = prev->value.GetString();
    auto genesis = d.FindMember("genesis");
    if (line_no == 1) {
        if (genesis == d.MemberEnd() || !genesis->value.IsString())
            return "the file's first record has no \"genesis\" (records removed from the start of the file?)";
        if (prev_hash != genesis->value.GetString()) return "\"prev\" differs from \"genesis\" in the file's first record";
        if (!chain.last_hash.empty() && prev_hash != chain.last_hash)
            return "the chain does not continue from " + chain.last_file + " (which ends with " +
                   short_hash(chain.last_hash) + ", this file starts from " + short_hash(prev_hash) +
                   "): a file is missing or out of order";
    } else {
        if (genesis != d.MemberEnd())
            return "unexpected \"genesis\" after the first line (a record from the start of another file was inserted?)";
        if (prev_hash != chain.last_hash)
            return "\"prev\" does not match the hash of line " + std::to_string(line_no - 1) +
                   " (a record was inserted or deleted before this line)";
    }
    *hash_out = stated;
    return "";
}

}  // namespace

AuditVerifyResult verify_audit_files(const std::vector<std::string>& files) {
    AuditVerifyResult r;
    Chain chain;
    for (const auto& file : files) {
        r.file = file;
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            r.problem = "cannot open the file";
            return r;
        }
        std::string line;
        size_t line_no = 0;
        while (std::getline(in, line)) {
            ++line_no;
            r.line = line_no;
            if (in.eof()) {  // no newline after this line
                r.problem = "truncated record: the file ends in the middle of a line";
                r.records = chain.records;
                return r;
            }
            std::string hash;
            std::string problem = check_line(line, line_no, chain, &hash);
            if (!problem.empty()) {
                r.problem = problem;
                r.records = chain.records;
                return r;
            }
            chain.last_hash = hash;
            ++chain.records;
        }
        if (in.bad()) {
            r.line = 0;
            r.problem = "read error";
            return r;
        }
        if (line_no > 0) chain.last_file = file;
    }
    r.ok = true;
    r.line = 0;
    r.file.clear();
    r.records = chain.records;
    r.last_hash = chain.last_hash;
    return r;
}

}  // namespace nexus::cli
