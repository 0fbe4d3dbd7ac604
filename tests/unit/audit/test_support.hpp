#pragma once

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace nexus::audit::test {

// A fresh directory under the temp dir, removed with the object.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() / ("nexus-audit-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

inline std::string read_file(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void write_file(const std::string& p, const std::string& data) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << data;
}

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < text.size()) {
        size_t nl = text.find('\n', i);
        if (nl == std::string::npos) nl = text.size();
        out.push_back(text.substr(i, nl - i));
        i = nl + 1;
    }
    return out;
}

inline std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

struct Run {
    int code;
    std::string out;  // stdout and stderr
};

// Runs `nexus audit verify FILES...`.
inline Run verify(const std::vector<std::string>& files) {
    std::string cmd = std::string(NEXUS_EXE) + " audit verify";
    for (const auto& f : files) cmd += " '" + f + "'";
    cmd += " 2>&1";
    Run r{-1, ""};
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    int status = pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

// Rotated files of `stem` + ext in `dir`, sorted oldest first, then the active file.
inline std::vector<std::string> chain_files(const std::filesystem::path& dir, const std::string& active) {
    std::vector<std::string> rotated;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        std::string name = e.path().filename().string();
        if (name != active && name.rfind("audit.", 0) == 0) rotated.push_back(e.path().string());
    }
    std::sort(rotated.begin(), rotated.end());
    rotated.push_back((dir / active).string());
    return rotated;
}

}  // namespace nexus::audit::test
