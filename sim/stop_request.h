// A process-wide request that whatever runs now stop soon: what a SIGINT or SIGTERM handler asks.
//
// Signals belong to the process, so this is the one piece of process-wide state in sim/. The
// kernel looks at it every kStopCheckSteps steps, so that even a run that takes millions of steps
// (a livelock up to a huge --max-steps) ends promptly; a run it ends is `interrupted`, carries no
// verdict, and is not part of any recording. It never influences a run that it does not end, so
// it cannot make a replay differ.
#ifndef WVSIM_SIM_STOP_REQUEST_H_
#define WVSIM_SIM_STOP_REQUEST_H_

#include <csignal>

namespace wvsim::sim {

namespace detail {
inline volatile std::sig_atomic_t stop_requested = 0;
}  // namespace detail

// Async-signal-safe: only stores to a volatile sig_atomic_t.
inline void RequestStop() { detail::stop_requested = 1; }
inline bool StopRequested() { return detail::stop_requested != 0; }
// For a caller that starts something new after handling a stop (tests).
inline void ClearStopRequest() { detail::stop_requested = 0; }

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_STOP_REQUEST_H_
