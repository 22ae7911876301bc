// Other views of a traced run, for `wvsim replay`: the trace as JSON, the Chrome/Perfetto trace
// format (open it at ui.perfetto.dev or chrome://tracing), and the wait-for graph as Graphviz dot.
#ifndef WVSIM_TOOLS_TRACE_EXPORT_H_
#define WVSIM_TOOLS_TRACE_EXPORT_H_

#include <string>
#include <vector>

#include "sim/kernel.h"
#include "sim/trace.h"

namespace wvsim::tools {

// [{"step": 3, "ticks": 0, "thread": "t1", "kind": "step", "text": "t1 lock(a)"}, ...]
std::string TraceToJson(const std::vector<sim::TraceEvent>& events);

// One track per virtual thread; a slice per dispatched handler and per wait, an instant per step.
// Step s maps to 10·s microseconds, so that the slices of one step nest inside it.
std::string TraceToPerfetto(const std::vector<sim::TraceEvent>& events,
                            const std::vector<sim::Kernel::WaitingThread>& waiting);

// Threads still waiting at the end, an edge from each to the thread (or the cause) it waits for.
std::string WaitForGraphToDot(const std::vector<sim::Kernel::WaitingThread>& waiting);

}  // namespace wvsim::tools

#endif  // WVSIM_TOOLS_TRACE_EXPORT_H_
