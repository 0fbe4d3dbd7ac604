#include "audit_log.hpp"

#include "hash_chain.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace nexus::audit {

namespace fs = std::filesystem;

namespace {

std::string errno_text() { return std::strerror(errno); }

// The last line of the file that ends with a newline, and whether bytes follow it.
struct Tail {
    std::string last_line;
    bool partial = false;  // the file does not end with a newline
};

Tail read_tail(int fd, uint64_t size) {
    Tail t;
    if (size == 0) return t;
    // Records are bounded (captured text is capped), so 4 MiB always holds the last one.
    const uint64_t window = std::min<uint64_t>(size, 4u << 20);
    std::string buf(window, '\0');
    ssize_t n = pread(fd, buf.data(), window, off_t(size - window));
    if (n != ssize_t(window)) throw std::runtime_error("cannot read its end: " + errno_text());
    size_t end = buf.size();
    if (buf.back() != '\n') {
        t.partial = true;
        size_t nl = buf.rfind('\n');
        end = nl == std::string::npos ? 0 : nl + 1;
    }
    if (end == 0) return t;
    size_t start = buf.rfind('\n', end - 2);
    start = start == std::string::npos ? 0 : start + 1;
    if (start == 0 && window < size) throw std::runtime_error("its last line is longer than 4 MiB");
    t.last_line = buf.substr(start, end - 1 - start);
    return t;
}

std::string stamp(uint64_t ms) {
    time_t secs = time_t(ms / 1000);
    struct tm tm {};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02d%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, int(ms % 1000));
    return buf;
}

// "audit.jsonl" -> {"audit", ".jsonl"}; "audit" -> {"audit", ""}.
std::pair<std::string, std::string> split_ext(const std::string& name) {
    size_t dot = name.rfind('.');
    if (dot == std::string::npos || dot == 0) return {name, ""};
    return {name.substr(0, dot), name.substr(dot)};
}

bool is_rotated_name(const std::string& name, const std::string& stem, const std::string& ext) {
    // stem + "." + 19-byte stamp + optional "_N" + ext
    if (name.size() < stem.size() + 1 + 19 + ext.size()) return false;
    if (name.compare(0, stem.size() + 1, stem + ".") != 0) return false;
    if (name.compare(name.size() - ext.size(), ext.size(), ext) != 0) return false;
    std::string mid = name.substr(stem.size() + 1, name.size() - stem.size() - 1 - ext.size());
    if (mid.size() < 19 || mid[8] != 'T' || mid[18] != 'Z') return false;
    for (size_t i = 0; i < 18; ++i)
        if (i != 8 && !(mid[i] >= '0' && mid[i] <= '9')) return false;
    if (mid.size() == 19) return true;
    if (mid[19] != '_' || mid.size() == 20) return false;
    return std::all_of(mid.begin() + 20, mid.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

AuditLog::AuditLog(LogOptions opts, Clock clock, Notice notice)
    : opts_(std::move(opts)), clock_(std::move(clock)), notice_(std::move(notice)) {
    last_sync_ms_ = clock_();
    if (opts_.path.empty()) {
        fd_ = STDOUT_FILENO;
        return;
    }
    open_file();
}

AuditLog::~AuditLog() {
    if (fd_ >= 0 && fd_ != STDOUT_FILENO) {
        if (opts_.fsync != FsyncPolicy::never && unsynced_ > 0) ::fdatasync(fd_);
        ::close(fd_);
    }
}

void AuditLog::open_file() {
    const std::string& p = opts_.path;
    fd_ = ::open(p.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd_ < 0) throw std::runtime_error("cannot open " + p + ": " + errno_text());
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd_);
        fd_ = -1;
        throw std::runtime_error(p + " is not a regular file");
    }
    size_ = uint64_t(st.st_size);
    at_file_start_ = size_ == 0;
    if (opts_.every_ms) bucket_ = uint64_t(st.st_mtime) * 1000 / opts_.every_ms;
    if (size_ == 0) return;

    // Continue the chain of the last record. The file must be ours: appending to something
    // else would make it neither a valid log nor what it was.
    int rfd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (rfd < 0) throw std::runtime_error("cannot read " + p + ": " + errno_text());
    Tail tail;
    try {
        tail = read_tail(rfd, size_);
    } catch (const std::runtime_error& e) {
        ::close(rfd);
        throw std::runtime_error("cannot continue " + p + ": " + e.what());
    }
    ::close(rfd);
    std::string h = tail.last_line.empty() ? "" : stated_hash(tail.last_line);
    if (!tail.last_line.empty() && h.empty()) {
        ::close(fd_);
        fd_ = -1;
        throw std::runtime_error(p + " exists and its last line is not an audit record; choose another path");
    }
    if (!h.empty()) last_hash_ = h;
    if (tail.partial) {
        // A crash cut the last record short. Keep the damaged file as it is (verify shows
        // where) and go on in a new one that continues the chain from the last whole record.
        uint64_t now = clock_();
        std::string moved = rotated_name(now);
        notice_("audit log " + p + " ends with an incomplete record (a crash while writing?); it is kept as " +
                moved + " and the log continues in a new " + p);
        rotate(now);
    }
}

std::string AuditLog::rotated_name(uint64_t now_ms) const {
    fs::path p(opts_.path);
    auto [stem, ext] = split_ext(p.filename().string());
    std::string base = stem + "." + stamp(now_ms);
    for (int n = 0;; ++n) {
        std::string name = base + (n ? "_" + std::to_string(n) : "") + ext;
        fs::path candidate = p.parent_path() / name;
        if (!fs::exists(candidate)) return candidate.string();
    }
}

void AuditLog::rotate(uint64_t now_ms) {
    sync();
    std::string moved = rotated_name(now_ms);
    if (::rename(opts_.path.c_str(), moved.c_str()) != 0)
        throw std::runtime_error("cannot rotate " + opts_.path + " to " + moved + ": " + errno_text());
    ::close(fd_);
    fd_ = ::open(opts_.path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd_ < 0) throw std::runtime_error("cannot open " + opts_.path + " after rotating it: " + errno_text());
    if (opts_.fsync != FsyncPolicy::never) {
        // The rename and the new file survive a crash only once their directory is synced.
        fs::path dir = fs::path(opts_.path).parent_path();
        int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            ::fsync(dfd);
            ::close(dfd);
        }
    }
    size_ = 0;
    at_file_start_ = true;
    prune();
}

void AuditLog::prune() {
    if (opts_.max_files == 0) return;
    fs::path p(opts_.path);
    fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    auto [stem, ext] = split_ext(p.filename().string());
    std::vector<std::string> rotated;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        std::string name = e.path().filename().string();
        if (is_rotated_name(name, stem, ext)) rotated.push_back(name);
    }
    std::sort(rotated.begin(), rotated.end());
    for (size_t i = 0; i + opts_.max_files < rotated.size(); ++i) fs::remove(dir / rotated[i], ec);
}

void AuditLog::write_all(std::string_view data) {
    const size_t total = data.size();
    while (!data.empty()) {
        ssize_t n = ::write(fd_, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            std::string why = errno_text();
            torn_ = data.size() != total;
            throw std::runtime_error("cannot write " + (opts_.path.empty() ? std::string("stdout") : opts_.path) + ": " +
                                     why);
        }
        data.remove_prefix(size_t(n));
        size_ += uint64_t(n);
    }
}

void AuditLog::sync() {
    if (opts_.fsync == FsyncPolicy::never || unsynced_ == 0) return;
    if (fd_ != STDOUT_FILENO) ::fdatasync(fd_);
    unsynced_ = 0;
    last_sync_ms_ = clock_();
}

void AuditLog::append(std::string_view open_record) {
    const uint64_t now = clock_();
    if (fd_ != STDOUT_FILENO && size_ > 0) {
        bool new_period = opts_.every_ms && now / opts_.every_ms != bucket_;
        std::string probe = seal(open_record, last_hash_, false, nullptr);
        bool too_big = opts_.max_bytes && size_ + probe.size() > opts_.max_bytes;
        // After a torn write the old file keeps its incomplete last line (verify reports it)
        // and the chain goes on from the last whole record in a new file.
        if (new_period || too_big || torn_) rotate(now);
        torn_ = false;
    }
    if (opts_.every_ms) bucket_ = now / opts_.every_ms;
    std::string hash;
    std::string line = seal(open_record, last_hash_, at_file_start_, &hash);
    write_all(line);
    last_hash_ = std::move(hash);
    at_file_start_ = false;
    ++unsynced_;
    if (opts_.fsync == FsyncPolicy::always ||
        (opts_.fsync == FsyncPolicy::interval &&
         (unsynced_ >= opts_.fsync_records || now - last_sync_ms_ >= opts_.fsync_interval_ms)))
        sync();
}

void AuditLog::tick() {
    if (opts_.fsync == FsyncPolicy::interval && unsynced_ > 0 && clock_() - last_sync_ms_ >= opts_.fsync_interval_ms)
        sync();
}

void AuditLog::set_options(const LogOptions& opts) {
    std::string path = opts_.path;
    opts_ = opts;
    opts_.path = path;
}

}  // namespace nexus::audit
