// Background threads of the state module must never take the process's control signals
// (SIGTERM, SIGINT, SIGHUP...): `nexus serve` waits for those with sigwait on its main thread,
// and a store may be started before that thread blocks them, so each thread blocks them itself.
#pragma once

namespace nexus::state {

// Blocks every asynchronous signal in the calling thread (faults such as SIGSEGV stay deliverable).
void block_process_signals();

}  // namespace nexus::state
