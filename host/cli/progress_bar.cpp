#include "cli/progress_bar.hpp"

namespace nexus::cli {

std::string format_bytes(int64_t n) {
    static const char* units[] = {"B", "KB", "MB", "GB", "TB"};
    double v = double(n);
    int u = 0;
    while (v >= 1000 && u < 4) {
        v /= 1000;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    return buf;
}

void ProgressBar::update(std::string_view status, int64_t total, int64_t completed) {
    bool has_bar = total > 0 && completed >= 0;
    int pct = has_bar ? int(std::min<int64_t>(100, completed * 100 / total)) : -1;
    if (tty_) {
        if (status != last_status_ && line_open_) std::fputc('\n', out_);
        std::string line(status);
        if (has_bar) {
            constexpr int kWidth = 30;
            int filled = pct * kWidth / 100;
            line += " [" + std::string(size_t(filled), '#') + std::string(size_t(kWidth - filled), ' ') + "] " +
                    std::to_string(pct) + "% " + format_bytes(completed) + "/" + format_bytes(total);
        }
        std::fprintf(out_, "\r%s\x1b[K", line.c_str());
        line_open_ = true;
    } else {
        int decile = pct < 0 ? -1 : pct / 10;
        if (status == last_status_ && decile == last_decile_) return;
        if (has_bar)
            std::fprintf(out_, "%.*s %d%% %s/%s\n", int(status.size()), status.data(), pct, format_bytes(completed).c_str(),
                         format_bytes(total).c_str());
        else
            std::fprintf(out_, "%.*s\n", int(status.size()), status.data());
        last_decile_ = decile;
    }
    last_status_ = std::string(status);
    std::fflush(out_);
}

void ProgressBar::finish() {
    if (tty_ && line_open_) std::fputc('\n', out_);
    line_open_ = false;
    std::fflush(out_);
}

}  // namespace nexus::cli
