// The rc::state suites as plain checks, so that planted_defects_prop.cc can run each one against
// a kernel or model with a defect planted and expect a counterexample.
#ifndef WVSIM_PROPS_STATE_SUITES_H_
#define WVSIM_PROPS_STATE_SUITES_H_

namespace wvsim::props {

// The message pump (post, delayed post, cancel, pumping waits, a loop until quit, blocking waits)
// against props/pump_model.h.
void CheckPumpAgainstModel();

// Android's void calls (A5) through the pending-task queue (A6) against
// props/android_dispatch_model.h.
void CheckAndroidDispatchAgainstModel();

}  // namespace wvsim::props

#endif  // WVSIM_PROPS_STATE_SUITES_H_
