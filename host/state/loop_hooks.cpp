#include "state/loop_hooks.hpp"

#include <atomic>

namespace nexus::state {

namespace {
std::atomic<CurrentLoopFn> g_current_loop{nullptr};
std::atomic<PostToLoopFn> g_post{nullptr};
}  // namespace

void set_loop_hooks(CurrentLoopFn current_loop, PostToLoopFn post) {
    g_post.store(post);
    g_current_loop.store(current_loop);
}

void* caller_loop() {
    CurrentLoopFn fn = g_current_loop.load();
    return fn ? fn() : nullptr;
}

bool post_to_caller_loop(void* loop, std::function<void()>& fn) {
    PostToLoopFn post = g_post.load();
    if (loop == nullptr || post == nullptr) return false;
    post(loop, std::move(fn));
    return true;
}

}  // namespace nexus::state
