// Renders Ollama-style pull progress ({"status","digest","total","completed"}) for a terminal
// (one redrawn line) or a log (a line per status and every 10%).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace nexus::cli {

class ProgressBar {
public:
    ProgressBar(std::FILE* out, bool tty) : out_(out), tty_(tty) {}
    void update(std::string_view status, int64_t total, int64_t completed);
    void finish();

private:
    std::FILE* out_;
    bool tty_;
    std::string last_status_;
    int last_decile_ = -1;
    bool line_open_ = false;
};

std::string format_bytes(int64_t n);  // "1.2 GB", "523 MB", "12 KB", "17 B"

}  // namespace nexus::cli
