// One-shot timers on a request's event loop (retry backoff), without Asio in the caller.
#pragma once

#include <chrono>
#include <functional>

namespace nexus::core {

// Runs `fn` on the loop `io_context` (a boost::asio::io_context*) after `delay`. Called from
// that loop's thread. If the loop stops first, `fn` is destroyed without running.
void run_after(void* io_context, std::chrono::milliseconds delay, std::function<void()> fn);

}  // namespace nexus::core
