#include "state/callback_thread.hpp"

#include "state/thread_signals.hpp"

#include <spdlog/spdlog.h>

namespace nexus::state {

CallbackThread::CallbackThread() : thread_([this] { run(); }) {}

CallbackThread::~CallbackThread() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_one();
    thread_.join();
}

void CallbackThread::post(std::function<void()> fn) {
    {
        std::lock_guard lock(mu_);
        queue_.push_back(std::move(fn));
    }
    cv_.notify_one();
}

void CallbackThread::run() {
    block_process_signals();
    std::unique_lock lock(mu_);
    for (;;) {
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and everything queued has run
        auto fn = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        try {
            fn();
        } catch (const std::exception& e) {
            spdlog::error("key-value callback threw: {}", e.what());
        } catch (...) {
            spdlog::error("key-value callback threw a non-standard exception");
        }
        lock.lock();
    }
}

}  // namespace nexus::state
