// A one-pass, allocation-free look at the top level of an OpenAI response or stream chunk:
// enough to validate it and to track stream state without building a DOM, so a chunk or a
// large embeddings body can be passed on byte for byte after a single scan.
#pragma once

#include <rapidjson/reader.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace nexus::openai {

enum class JsonKind { absent, null, boolean, number, string, object, array };

struct JsonShape {
    bool root_is_object = false;
    JsonKind error = JsonKind::absent;    // top-level `error`
    JsonKind choices = JsonKind::absent;  // top-level `choices`
    JsonKind usage = JsonKind::absent;    // top-level `usage`
    JsonKind data = JsonKind::absent;     // top-level `data`
    size_t choice_count = 0;              // objects in `choices`
    size_t finish_reasons = 0;            // choices whose finish_reason is a string
    // usage.prompt_tokens, usage.completion_tokens, usage.prompt_tokens_details.cached_tokens
    // as non-negative integers; -1 when absent or of another type.
    int64_t prompt_tokens = -1, completion_tokens = -1, cached_tokens = -1;
};

// Scans one JSON document. Reuses the reader's stack across calls, so keep one per stream.
class ShapeScanner {
public:
    // Returns "" and fills `out` when `json` is one well-formed JSON value; else why not.
    std::string scan(std::string_view json, JsonShape& out);

private:
    rapidjson::Reader reader_;
};

}  // namespace nexus::openai
