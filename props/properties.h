// The promises wvsim makes, each as a check of one generated program under one generated
// schedule. The RC_GTEST_PROPs in *_prop.cc run them over many cases; planted_defects_prop.cc runs
// each one against the model with a defect planted and expects it to fail, so none is vacuous.
// Each check uses RC_ASSERT / RC_FAIL, and on failure names the `wvsim replay` command.
#ifndef WVSIM_PROPS_PROPERTIES_H_
#define WVSIM_PROPS_PROPERTIES_H_

#include "props/program_gen.h"

namespace wvsim::props {

// W2, W4, A11: no two WebView callbacks of one thread overlap, and each runs on its owner (the UI
// thread): WebView2's page event handlers, crashes or not, and Android's ValueCallbacks. A
// callback lasts from its start until it returns or first leaves the stack at an await.
void CheckSerialCallbacks(const Program& program, const ScheduleBytes& schedule);

// W4: a run reports `reentrancy` exactly when a handler opens a nested loop before its first
// await (the reference predictor), and the report names the handler.
void CheckNoReentrancy(const Program& program, const ScheduleBytes& schedule);

// W8, W9: every deferral taken is completed exactly once, or `deferral_leak` /
// `deferral_double_complete` names its event; what a deferral holds up (the page's next event)
// starts only after Complete. A run in which a `crash` op crashed a process may instead end with
// what the crash leaves (CrashMayEndWith: fewer violations, W12's exception, W15's failed or
// never-completed call), with no deferral completed twice.
void CheckDeferralCompletion(const Program& program, const ScheduleBytes& schedule);

// W5, W10, A3: on both runtimes, `deadlock` exactly when the reference predictor says a blocking
// wait needs a pump it blocks.
void CheckDeadlockExactlyWhenPredicted(const Program& program, const ScheduleBytes& schedule);

// W7, W9.3, W17: over programs whose page is an actor, `deadlock` exactly when PredictsDeadlock
// says so (a host method's chain, or a UI thread that blocks on the page's script), `stall` exactly
// when PredictsPageStall does (an await behind a held JavaScript thread), otherwise `clean`; a
// deadlock's report names the held JavaScript thread when the page holds it.
void CheckPageWaitsEndAsPredicted(const Program& program, const ScheduleBytes& schedule);

// W3, A2: a call from a non-owner thread gets the real error (0x802A000C on WebView2, A2's
// RuntimeException on Android) and changes nothing (the WebView never shows the page it asked
// for), and the run ends `wrong_thread`; calls from the owner succeed.
void CheckThreadAffinity(const Program& program, const ScheduleBytes& schedule);

// Abandoned calls (docs/design.md): an app that races a script against a timer, lets the user
// cancel its wait, or never awaits it, moves on; the run ends `clean` even when the renderer
// crashed under the script and it failed or never completed (W15), and every call Form_Load made
// returned to it.
void CheckAbandonedCallsEndClean(const Program& program, const ScheduleBytes& schedule);

// The same program and schedule give the same trace hash, and the recorded schedule replays
// strictly to the same verdict and hash.
void CheckDeterminism(const Program& program, const ScheduleBytes& schedule);

}  // namespace wvsim::props

#endif  // WVSIM_PROPS_PROPERTIES_H_
