// The audit log itself: seals records into the hash chain and appends them to a file (with
// rotation by size and time, and an fsync policy) or to stdout. Not thread-safe: one writer
// thread owns it (writer.hpp).
#pragma once

#include "hash_chain.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace nexus::audit {

enum class FsyncPolicy { always, interval, never };

struct LogOptions {
    std::string path;  // empty: stdout. Relative paths are relative to the process's cwd.
    uint64_t max_bytes = 0;   // rotate before a record would make the file larger; 0: never
    uint64_t every_ms = 0;    // rotate when the clock crosses a multiple of this; 0: never
    unsigned max_files = 5;   // rotated files kept; 0: all
    FsyncPolicy fsync = FsyncPolicy::interval;
    uint64_t fsync_interval_ms = 1000;  // FsyncPolicy::interval: at most this long unsynced ...
    unsigned fsync_records = 100;       // ... or this many records

    bool operator==(const LogOptions&) const = default;
};

using Clock = std::function<uint64_t()>;  // unix milliseconds
using Notice = std::function<void(const std::string&)>;  // something an operator should know

class AuditLog {
public:
    // Opens (or creates) the file and continues the chain of its last record. Throws
    // std::runtime_error naming the file when it cannot, or when the file is not an audit log.
    AuditLog(LogOptions opts, Clock clock, Notice notice);
    ~AuditLog();
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;

    // Seals and writes one record (see record.hpp: open_record). Throws std::runtime_error on
    // a write error; the record is then lost, the chain stays intact.
    void append(std::string_view open_record);
    // FsyncPolicy::interval: syncs what waits longer than the interval. Call when idle.
    void tick();
    // New rotation / fsync settings (a reload); the path stays.
    void set_options(const LogOptions& opts);

    const std::string& last_hash() const { return last_hash_; }
    const std::string& path() const { return opts_.path; }

private:
    void open_file();
    void rotate(uint64_t now_ms);
    void prune();
    std::string rotated_name(uint64_t now_ms) const;
    void write_all(std::string_view data);
    void sync();

    LogOptions opts_;
    Clock clock_;
    Notice notice_;
    int fd_ = -1;
    uint64_t size_ = 0;
    uint64_t bucket_ = 0;  // every_ms period of the records in the file
    bool at_file_start_ = true;
    std::string last_hash_ = kZeroHash;
    unsigned unsynced_ = 0;
    uint64_t last_sync_ms_ = 0;
    bool torn_ = false;  // a failed write left part of a line: continue in a new file
};

}  // namespace nexus::audit
