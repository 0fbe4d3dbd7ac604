#include "core/token_usage.hpp"

#include "core/json_text.hpp"

#include <rapidjson/reader.h>

#include <cstring>
#include <string>

namespace nexus::core {

void merge_usage(const TokenUsage& from, TokenUsage& into) {
    if (from.prompt >= 0) into.prompt = from.prompt;
    if (from.completion >= 0) into.completion = from.completion;
    if (from.cached >= 0) into.cached = from.cached;
}

void read_usage(const rapidjson::Value& root, TokenUsage& usage) {
    const rapidjson::Value* u = member(root, "usage");
    if (!u || !u->IsObject()) return;
    auto count = [](const rapidjson::Value* v, int64_t& out) {
        if (v && v->IsInt64() && v->GetInt64() >= 0) out = v->GetInt64();
    };
    count(member(*u, "prompt_tokens"), usage.prompt);
    count(member(*u, "completion_tokens"), usage.completion);
    if (auto* d = member(*u, "prompt_tokens_details"); d && d->IsObject()) count(member(*d, "cached_tokens"), usage.cached);
}

namespace {
// Follows the path root -> usage -> {prompt_tokens, completion_tokens,
// prompt_tokens_details -> cached_tokens} into `found`, and notes whether the root's first
// `choices` is an empty array; the caller uses them only if the whole document parses.
struct UsageHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, UsageHandler> {
    TokenUsage found;
    int depth = 0;
    int usage_depth = -1;    // depth of the usage object while inside it
    int details_depth = -1;  // depth of prompt_tokens_details while inside it
    bool key_is_usage = false, key_is_details = false, key_is_choices = false;
    bool root_is_object = false, choices_seen = false;
    bool usage_only = false;
    int choices_depth = -1;  // depth of the root's first `choices` array while inside it
    int64_t* target = nullptr;  // where the next number goes, if it is one

    bool value(int64_t v, bool fits) {
        if (target && fits && v >= 0) *target = v;
        target = nullptr;
        key_is_choices = false;
        return true;
    }
    bool Default() {
        target = nullptr;
        key_is_choices = false;
        return true;
    }
    bool Int(int v) { return value(v, true); }
    bool Uint(unsigned v) { return value(v, true); }
    bool Int64(int64_t v) { return value(v, true); }
    bool Uint64(uint64_t v) { return value(int64_t(v), v <= uint64_t(INT64_MAX)); }
    bool Key(const char* s, rapidjson::SizeType n, bool) {
        std::string_view k(s, n);
        target = nullptr;
        key_is_usage = depth == 1 && k == "usage";
        key_is_choices = depth == 1 && k == "choices" && !choices_seen;
        if (key_is_choices) choices_seen = true;
        key_is_details = usage_depth == 2 && depth == 2 && k == "prompt_tokens_details";
        if (usage_depth == 2 && depth == 2) {
            if (k == "prompt_tokens") target = &found.prompt;
            else if (k == "completion_tokens") target = &found.completion;
        } else if (details_depth == 3 && depth == 3 && k == "cached_tokens") {
            target = &found.cached;
        }
        return true;
    }
    bool StartObject() {
        if (depth == 0) root_is_object = true;
        key_is_choices = false;
        ++depth;
        if (key_is_usage && depth == 2) usage_depth = 2;
        if (key_is_details && depth == 3) details_depth = 3;
        key_is_usage = key_is_details = false;
        target = nullptr;
        return true;
    }
    bool EndObject(rapidjson::SizeType) {
        if (depth == details_depth) details_depth = -1;
        if (depth == usage_depth) usage_depth = -1;
        --depth;
        return true;
    }
    bool StartArray() {
        ++depth;
        if (key_is_choices && depth == 2) choices_depth = 2;
        key_is_usage = key_is_details = key_is_choices = false;
        target = nullptr;
        return true;
    }
    bool EndArray(rapidjson::SizeType elements) {
        if (depth == choices_depth) {
            usage_only = root_is_object && elements == 0;
            choices_depth = -1;
        }
        --depth;
        return true;
    }
};
}  // namespace

bool scan_chunk(std::string_view json, ChunkFacts& facts) {
    if (std::memchr(json.data(), '\0', json.size())) return false;  // not JSON; the NUL would end the parse
    // In situ on a reused NUL-terminated copy, with a reused reader stack: no allocation, no
    // string copies, and the SIMD string scan.
    thread_local std::string scratch;
    thread_local rapidjson::Reader reader;
    scratch.assign(json);
    rapidjson::InsituStringStream is(scratch.data());
    UsageHandler h;
    if (reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseInsituFlag>(is, h).IsError()) return false;
    facts.usage = h.found;
    facts.usage_only = h.usage_only;
    return true;
}

void scan_usage(std::string_view json, TokenUsage& usage) {
    ChunkFacts facts;
    if (scan_chunk(json, facts)) merge_usage(facts.usage, usage);
}

}  // namespace nexus::core
