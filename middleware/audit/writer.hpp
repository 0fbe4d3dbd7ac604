// Writes audit records off the request path: on_complete enqueues into a bounded queue, one
// thread per log seals and writes them (and fsyncs per policy). A full queue drops the record
// rather than make a request wait.
//
// Every middleware instance that names the same log shares one writer (shared_writer), so
// that two chains, or the old and new runtime during a reload, never interleave two chains
// in one file. The thread starts with the first instance and is joined, after writing what
// is queued, when the last one is destroyed (before the host unloads the plugin).
#pragma once

#include "audit_log.hpp"

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace nexus::audit {

// What the writer reports: write failures (rate-limited by the caller's callback).
using ErrorSink = std::function<void(const std::string&)>;

class Writer {
public:
    // Opens the log at once (throws std::runtime_error when it cannot) and starts the thread.
    Writer(const LogOptions& opts, size_t capacity, Clock clock, Notice notice, ErrorSink on_error);
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    // False when the queue is full: the record was dropped.
    bool submit(std::string open_record);
    // A reload with new settings for the same log; applied before the next record.
    void reconfigure(const LogOptions& opts, size_t capacity);
    // Blocks until everything submitted so far is written (tests, shutdown).
    void drain();

private:
    void run();

    AuditLog log_;
    ErrorSink on_error_;
    std::mutex mu_;
    std::condition_variable wake_, drained_;
    std::deque<std::string> queue_;
    size_t capacity_;
    std::optional<LogOptions> new_options_;
    bool writing_ = false;
    bool stop_ = false;
    std::thread thread_;
};

// The writer of the log at `opts.path` ("" = stdout), created on first use.
std::shared_ptr<Writer> shared_writer(const LogOptions& opts, size_t capacity, Clock clock, Notice notice,
                                      ErrorSink on_error);

}  // namespace nexus::audit
