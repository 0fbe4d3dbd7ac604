// Model management: POST /api/pull, whose NDJSON progress lines become progress events
// (docs/api.md "Pull a Model").
#pragma once

#include "nexus/nexus.h"

#include <functional>
#include <string>
#include <string_view>

namespace nexus::ollama {

// {"model": <name>, "stream": true}
std::string pull_request_body(std::string_view model);

// One progress line in, one progress event out (the line itself, checked). An {"error"} line
// throws sdk::UpstreamError; {"status":"success"} ends the stream.
class PullProgress {
public:
    nx_stream_result on_line(std::string_view line, const std::function<void(std::string_view)>& emit);
    void finish() const;  // throws when the stream ended before "success"

private:
    bool succeeded_ = false;
};

}  // namespace nexus::ollama
