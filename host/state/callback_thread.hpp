// One background thread that runs queued functions in order: where a store's callbacks go
// when the caller has no event loop, so that a callback never runs inside the call that
// started it.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace nexus::state {

class CallbackThread {
public:
    CallbackThread();
    // Runs whatever is still queued, then joins.
    ~CallbackThread();
    CallbackThread(const CallbackThread&) = delete;
    CallbackThread& operator=(const CallbackThread&) = delete;

    void post(std::function<void()> fn);

private:
    void run();

    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace nexus::state
