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
};

KernelPlantedDefects& TestOnlyKernelPlantedDefects();

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_PLANTED_DEFECTS_H_
