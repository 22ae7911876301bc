// The verdicts the WebView models' oracles report, registered with the kernel's verdict registry
// (sim/verdict.h). Both runtimes share them: a wrong-thread call is `wrong_thread` in WebView2
// and in Android WebView alike. The names are what users see in JSON and schedule files; they
// never change. docs/design.md ("End of a run and verdicts") says when each is reported.
#ifndef WVSIM_MODEL_VERDICTS_H_
#define WVSIM_MODEL_VERDICTS_H_

#include "sim/verdict.h"

namespace wvsim::model {

struct WebViewVerdict {
  // A nested message loop ran while a WebView callback was on the thread's stack.
  static inline const sim::Verdict kReentrancy = sim::Verdict::Register("reentrancy");
  // A deferral taken from event args was never completed.
  static inline const sim::Verdict kDeferralLeak = sim::Verdict::Register("deferral_leak");
  // A deferral was completed twice.
  static inline const sim::Verdict kDeferralDoubleComplete =
      sim::Verdict::Register("deferral_double_complete");
  // A WebView object was used from a thread other than its own.
  static inline const sim::Verdict kWrongThread = sim::Verdict::Register("wrong_thread");
  // Two callbacks of one WebView ran interleaved rather than one after the other.
  static inline const sim::Verdict kSerialCallbacks = sim::Verdict::Register("serial_callbacks");
};

}  // namespace wvsim::model

#endif  // WVSIM_MODEL_VERDICTS_H_
