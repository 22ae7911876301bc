// The reference predictor: what a generated program must end with, decided from the program
// alone, from docs/webview2-rules.md, docs/android-rules.md and docs/design.md, without running the
// model. It is written apart from model/ on purpose: the property suites and the program fuzzer
// check that the model and this predictor agree, so a slip in either shows up as a disagreement.
//
//   if (PredictsDeadlock(program)) ...   // for DeadlockPrograms()
//   Verdict v = PredictHandlerVerdict(program);  // for HandlerPrograms()
#ifndef WVSIM_PROPS_REFERENCE_H_
#define WVSIM_PROPS_REFERENCE_H_

#include "model/programs/program.h"
#include "sim/verdict.h"

namespace wvsim::props {

using model::programs::Program;

// Whether some blocking wait of `program` needs, directly or through a chain of posts and waits,
// a pump that it (or a wait it is nested in) blocks, or work that for that reason never ends:
// such a run ends in `deadlock` (W5, W10, A3; A21: a CookieManager callback waited for on the
// looper it must run on). Exact for DeadlockPrograms(), where one thread
// drives every wait and all other work is fire-and-forget.
// Host methods (W17) are followed too, each on the UI thread once the page loaded; inside one that
// a synchronous call runs, an awaited script never completes (it waits behind that call, W7).
// Exact for PageWaitPrograms() as well.
bool PredictsDeadlock(const Program& program);

// Whether a PageWaitPrograms() program that does not deadlock ends in `stall`: an await that
// never ends because the page's JavaScript thread is held for good (W7): a host method run by a
// synchronous call awaits a script, which waits behind that call (W17), or the page's alert's
// ScriptDialogOpening handler completes its deferral only after a script, which waits behind
// that alert (W9.3), or the NewWindowRequested handler of the page's window.open does (W9.1).
bool PredictsPageStall(const Program& program);

// The verdict of a HandlerPrograms() program, the same on every schedule: the page raises its
// events one after another, each after the one before finished (W9); a handler that opens a modal
// dialog before its first await is `reentrancy` (W4: after an await the rest runs as a posted
// continuation, outside the WebView's callback); a deferral completed twice is
// `deferral_double_complete` and one never completed `deferral_leak` (W8); otherwise `clean`. A
// certificate error (W9.9), which these programs never allow, ends the page after its handler.
// Host methods (W17, PageCallbackPrograms()) and the WebMessageReceived handler of a page that
// posts (W2) are callbacks too: one that opens a nested loop before its first await is
// `reentrancy`.
sim::Verdict PredictHandlerVerdict(const Program& program);

// Whether a run of `program` in which a `crash` op crashed a process (CrashingHandlerPrograms())
// may end with `verdict` instead of the predicted one. A crash only takes violations away, never
// adds one: the page stops raising events (W12: a browser exit closes the WebView, a renderer
// exit leaves an error page), and a handler's call on a WebView whose browser crashed throws,
// which ends that handler early. So `verdict` may be `clean`, W12's .NET exception escaping app
// code outside a handler, W15's pending call that failed (the same) or never completes
// (`stall`), or a violation that one of the handlers, run alone up to some op, would cause.
bool CrashMayEndWith(const Program& program, sim::Verdict verdict);

// The verdict of an AffinityPrograms() program: `wrong_thread` when any WebView call runs on a
// thread other than the UI thread (W3), otherwise `clean`.
sim::Verdict PredictAffinityVerdict(const Program& program);

}  // namespace wvsim::props

#endif  // WVSIM_PROPS_REFERENCE_H_
