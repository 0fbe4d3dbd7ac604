#include "writer.hpp"

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <map>

namespace nexus::audit {

Writer::Writer(const LogOptions& opts, size_t capacity, Clock clock, Notice notice, ErrorSink on_error)
    : log_(opts, std::move(clock), std::move(notice)), on_error_(std::move(on_error)), capacity_(capacity) {
    // The thread is born with the process's control signals blocked (it inherits the mask of
    // its creator): they belong to the host's signal thread, and a SIGTERM taken here would
    // end the process without the host's drain.
    sigset_t control, old;
    sigemptyset(&control);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE}) sigaddset(&control, s);
    pthread_sigmask(SIG_BLOCK, &control, &old);
    try {
        thread_ = std::thread([this] { run(); });
    } catch (...) {
        pthread_sigmask(SIG_SETMASK, &old, nullptr);
        throw;
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

Writer::~Writer() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

bool Writer::submit(std::string open_record) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (queue_.size() >= capacity_) return false;
        queue_.push_back(std::move(open_record));
    }
    wake_.notify_one();
    return true;
}

void Writer::reconfigure(const LogOptions& opts, size_t capacity) {
    std::lock_guard<std::mutex> lock(mu_);
    new_options_ = opts;
    capacity_ = capacity;
}

void Writer::drain() {
    std::unique_lock<std::mutex> lock(mu_);
    drained_.wait(lock, [this] { return queue_.empty() && !writing_; });
}

void Writer::run() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
        // Wake at least once a second so that the interval fsync policy holds when idle.
        wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_ || !queue_.empty(); });
        if (new_options_) {
            log_.set_options(*new_options_);
            new_options_.reset();
        }
        if (queue_.empty()) {
            lock.unlock();
            log_.tick();
            lock.lock();
            drained_.notify_all();
            if (stop_) return;  // everything queued before the stop is written
            continue;
        }
        std::deque<std::string> batch;
        batch.swap(queue_);
        writing_ = true;
        lock.unlock();
        for (auto& rec : batch) {
            try {
                log_.append(rec);
            } catch (const std::exception& e) {
                on_error_(e.what());
            }
        }
        lock.lock();
        writing_ = false;
        if (queue_.empty()) drained_.notify_all();
    }
}

std::shared_ptr<Writer> shared_writer(const LogOptions& opts, size_t capacity, Clock clock, Notice notice,
                                      ErrorSink on_error) {
    static std::mutex mu;
    static std::map<std::string, std::weak_ptr<Writer>> writers;
    std::string key = "<stdout>";
    if (!opts.path.empty()) {
        std::error_code ec;
        auto abs = std::filesystem::weakly_canonical(std::filesystem::absolute(opts.path), ec);
        key = ec ? opts.path : abs.string();
    }
    std::lock_guard<std::mutex> lock(mu);
    std::erase_if(writers, [](const auto& kv) { return kv.second.expired(); });
    if (auto w = writers[key].lock()) {
        w->reconfigure(opts, capacity);
        return w;
    }
    auto w = std::make_shared<Writer>(opts, capacity, std::move(clock), std::move(notice), std::move(on_error));
    writers[key] = w;
    return w;
}

}  // namespace nexus::audit
