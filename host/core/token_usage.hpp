// Token counts from a canonical (OpenAI-shaped) response or stream chunk's `usage` member.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string_view>

namespace nexus::core {

struct TokenUsage {
    int64_t prompt = -1;      // -1: not reported
    int64_t completion = -1;
    int64_t cached = -1;
};

// What the host needs of one canonical stream chunk when it does not need its DOM.
struct ChunkFacts {
    TokenUsage usage;
    bool usage_only = false;  // the root's first `choices` is an empty array (the usage chunk)
};

// One SAX pass over a chunk; false (and `facts` unspecified) when it is not one JSON value.
bool scan_chunk(std::string_view json, ChunkFacts& facts);

// Overwrites the counts of `into` that `from` knows (>= 0).
void merge_usage(const TokenUsage& from, TokenUsage& into);

// Both overwrite only the counts the document reports, as non-negative integers (a stream
// reports them in its last chunk).
void read_usage(const rapidjson::Value& root, TokenUsage& usage);
// The same from text, with a SAX scan and no DOM: the host only needs three numbers from a
// response it relays as text. Malformed text leaves `usage` as it was.
void scan_usage(std::string_view json, TokenUsage& usage);

}  // namespace nexus::core
