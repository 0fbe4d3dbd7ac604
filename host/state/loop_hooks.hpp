// Where KvStore callbacks run. The core binds each server thread to its event loop; the
// state module must not depend on the core, so the core hands it two plain functions at
// start. Without hooks (tests, tools) every thread counts as loop-less and callbacks run on
// the backend's own thread.
#pragma once

#include <functional>

namespace nexus::state {

using CurrentLoopFn = void* (*)();                           // the calling thread's loop, or nullptr
using PostToLoopFn = void (*)(void* loop, std::function<void()> fn);  // run fn on that loop, from any thread

// Installs (or, with nullptrs, removes) the hooks. Thread-safe; meant to be called once at start.
void set_loop_hooks(CurrentLoopFn current_loop, PostToLoopFn post);

// The loop of the calling thread (nullptr when it has none or no hooks are set). Stores call
// this when an operation starts, to know where its callback goes.
void* caller_loop();

// Posts fn to `loop` through the hook. Returns false (and does nothing) when loop is null or
// no hook is installed: the caller then runs fn on its own backend thread.
bool post_to_caller_loop(void* loop, std::function<void()>& fn);

}  // namespace nexus::state
