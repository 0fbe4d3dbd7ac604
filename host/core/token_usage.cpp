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
// prompt_tokens_details -> cached_tokens}; collects into `found`, applied only if the whole
// document parses.
struct UsageHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, UsageHandler> {
    TokenUsage found;
    int depth = 0;
    int usage_depth = -1;    // depth of the usage object while inside it
    int details_depth = -1;  // depth of prompt_tokens_details while inside it
    bool key_is_usage = false, key_is_details = false;
    int64_t* target = nullptr;  // where the next number goes, if it is one

    bool value(int64_t v, bool fits) {
        if (target && fits && v >= 0) *target = v;
        target = nullptr;
        return true;
    }
    bool Default() {
        target = nullptr;
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
        key_is_usage = key_is_details = false;
        target = nullptr;
        return true;
    }
    bool EndArray(rapidjson::SizeType) {
        --depth;
        return true;
    }
};
}  // namespace

void scan_usage(std::string_view json, TokenUsage& usage) {
    if (std::memchr(json.data(), '\0', json.size())) return;  // not JSON; the NUL would end the parse
    // In situ on a reused NUL-terminated copy, with a reused reader stack: no allocation, no
    // string copies, and the SIMD string scan.
    thread_local std::string scratch;
    thread_local rapidjson::Reader reader;
    scratch.assign(json);
    rapidjson::InsituStringStream is(scratch.data());
    UsageHandler h;
    if (reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseInsituFlag>(is, h).IsError()) return;
    merge_usage(h.found, usage);
}

}  // namespace nexus::core
