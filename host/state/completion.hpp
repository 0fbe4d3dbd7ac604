// A KvCallback together with the event loop of the thread that started the operation: the
// loop is captured at the call, the result is delivered there (or on a backend thread).
#pragma once

#include "state/kv_store.hpp"
#include "state/loop_hooks.hpp"

#include <functional>
#include <utility>

namespace nexus::state {

struct Completion {
    KvCallback cb;  // may be empty: nobody waits for the result
    void* loop = nullptr;

    static Completion capture(KvCallback cb) { return Completion{std::move(cb), caller_loop()}; }

    // The callback bound to its result, ready to run on whatever thread delivers it.
    std::function<void()> bind(KvResult r) && {
        return [cb = std::move(cb), r = std::move(r)]() mutable { cb(std::move(r)); };
    }
};

// Builds a failed result; `error` must not carry keys' values or secrets.
inline KvResult failed(KvStatus status, std::string error) {
    KvResult r;
    r.status = status;
    r.error = std::move(error);
    return r;
}

}  // namespace nexus::state
