// Test-only switches that plant known defects in the kernel, so that the property suites can show
// their state-machine properties are not vacuous (props/planted_defects_prop.cc). The WebView2
// model has its own (model/webview2/planted_defects.h). Never set outside those tests.
//
// Process-wide and not thread-safe: set only from a test's own thread, between runs.
#ifndef WVSIM_SIM_PLANTED_DEFECTS_H_
#define WVSIM_SIM_PLANTED_DEFECTS_H_

namespace wvsim::sim {

struct KernelPlantedDefects {
  bool cancel_misses_queued_messages = false;  // Cancel takes back only messages still delayed
  // A pumping wait throws away the quits it takes instead of keeping them for their loops: a
  // nested loop (a modal dialog) then never sees the quit meant for it.
  bool pumping_wait_drops_quits = false;
  // DPOR's dependency relation (sim/strategies/internal/dpor_events.h) takes two writes to one
  // object for independent: the search then misses the orders of racing writes.
  bool dpor_writes_commute = false;
  // DPOR under a preemption bound (sim/strategies/dpor.h) prunes what exceeds the bound without
  // BPOR's conservative backtrack points, or keeps its sleep sets: either misses results that a
  // preemption-bounded dfs reaches.
  bool dpor_bound_prunes_naively = false;
  bool dpor_bound_keeps_sleep_sets = false;
};

KernelPlantedDefects& TestOnlyKernelPlantedDefects();

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_PLANTED_DEFECTS_H_
