// rapidcheck generators for app programs (model/programs/program.h) and for schedules.
//
//   RC_GTEST_PROP(Deadlock, ..., ()) {
//     const Program program = *DeadlockPrograms();
//     const ScheduleBytes schedule = *Schedules();
//   }
//
// Each generator draws from one profile of the vocabulary, the one its property needs, and every
// program it makes is well formed. rapidcheck shrinks both: a failure ends as a short program
// (fewer threads, routines and ops) and a short schedule (fewer, smaller choice bytes).
#ifndef WVSIM_PROPS_PROGRAM_GEN_H_
#define WVSIM_PROPS_PROGRAM_GEN_H_

#include <cstdint>
#include <ostream>
#include <vector>

#include "model/programs/program.h"
#include "rapidcheck.h"

namespace wvsim::props {

using model::programs::Program;

// The scheduler's choices as bytes, for the byte-stream strategy: each choice takes the next byte
// modulo the number of options; when the bytes run out, every choice takes the first option.
using ScheduleBytes = std::vector<uint8_t>;
rc::Gen<ScheduleBytes> Schedules();

// Programs whose only blocking operations are waits on async results (posted work, scripts):
// no locks, crashes or timeouts, and no page events (the reference predictor's contract). One
// thread drives a chain of posts and waits across the UI thread and up to two pumping workers;
// fire-and-forget work never waits.
rc::Gen<Program> DeadlockPrograms();

// DeadlockPrograms() on WebView2 whose UI thread drives a chain rich in the framework's waits:
// `invoke` (a CLR wait that runs sent messages) and `send` (SendMessage), with sends favouring the
// UI thread, so that sends reach threads in every kind of wait (docs/framework-rules.md F4, F7).
rc::Gen<Program> FrameworkWaitPrograms();

// WebView2 programs with the CLR and the user (docs/framework-rules.md F2..F4, F10): Task.Run onto
// the pool, async methods read with .Result, awaits that resume through the captured context or
// with ConfigureAwait(false) on the pool; the chain runs in Form_Load or in a click the scheduler
// times.
rc::Gen<Program> FrameworkAsyncPrograms();

// Programs with page events whose handlers take deferrals (every mode), await, post, run scripts
// and open modal dialogs; nothing blocks.
rc::Gen<Program> HandlerPrograms();

// Programs in which a worker calls into the WebView (a script or a navigation) after the UI
// thread created it: from a pumping worker the UI thread posted to, or from the UI thread itself.
rc::Gen<Program> AffinityPrograms();

// HandlerPrograms() whose fire-and-forget work may also crash the browser or the renderer
// process (W12) at any point: before the page's events, between them, inside a handler's work.
rc::Gen<Program> CrashingHandlerPrograms();

// Android programs whose UI-thread scripts take ValueCallbacks that run more work, scripts with
// callbacks among it, on the UI thread (A11); workers post back. Nothing blocks.
rc::Gen<Program> ValueCallbackPrograms();

// WebView2 programs whose scripts the app gives up on (raced against a timer, cancelled by the
// user, not awaited) while the renderer may crash under them (W12, W15).
rc::Gen<Program> AbandoningPrograms();

// WebView2 programs whose home page is an actor (W7, W9.1, W9.3, W17): its scripts, at load, on
// the app's web message or on a timer, call host methods (one drives a chain of posts and waits on
// the UI thread), post, open an alert the program's ScriptDialogOpening handler answers and call
// window.open, which its NewWindowRequested handler (if any) answers, while Form_Load ignores,
// awaits or blocks on a script.
rc::Gen<Program> PageWaitPrograms();

// WebView2 programs whose page's script calls host methods made like HandlerPrograms()' handlers,
// without deferrals, and posts messages a WebMessageReceived handler made the same way may handle:
// a nested loop before such a callback's first await is W4's reentrancy.
rc::Gen<Program> PageCallbackPrograms();

// Programs with callbacks on both runtimes: CrashingHandlerPrograms(), ValueCallbackPrograms() or
// PageWaitPrograms() (host methods and the handlers of alert and window.open).
rc::Gen<Program> CallbackPrograms();

// Any of the above.
rc::Gen<Program> AnyPrograms();

}  // namespace wvsim::props

namespace wvsim::model::programs {
// How rapidcheck prints a program in a counterexample: its text form (program_text.h).
void showValue(const Program& program, std::ostream& os);
}  // namespace wvsim::model::programs

#endif  // WVSIM_PROPS_PROGRAM_GEN_H_
