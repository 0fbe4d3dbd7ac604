#include "state/thread_signals.hpp"

#include <pthread.h>

#include <initializer_list>
#include <signal.h>

namespace nexus::state {

void block_process_signals() {
    sigset_t set;
    sigfillset(&set);
    for (int sync : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT, SIGSYS}) sigdelset(&set, sync);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

}  // namespace nexus::state
