// No property is vacuous: with a defect planted in the model (model/webview2/planted_defects.h),
// each property of promises_prop.cc must find a counterexample. These failures are expected, so
// their schedules go to a temporary folder, never into the tree the tests run from.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "model/android/planted_defects.h"
#include "model/framework/planted_defects.h"
#include "model/webview2/planted_defects.h"
#include "props/kernel_programs.h"
#include "props/program_run.h"
#include "props/properties.h"
#include "props/state_suites.h"
#include "rapidcheck.h"
#include "sim/planted_defects.h"

namespace wvsim::props {
namespace {

using model::webview2::PlantedDefects;
using model::webview2::PlantedDefectScope;

// Where the expected failures' schedules go: a temporary folder, never the tree tests run from.
std::string ExpectedFailureDir() { return ::testing::TempDir() + "wvsim-planted-defects"; }

// Whether rapidcheck finds a counterexample to `property` with `defect` planted.
bool FailsWith(bool PlantedDefects::*defect, std::function<void()> property) {
  PlantedDefectScope planted(defect);
  const ScopedFailureDir expected_failures(ExpectedFailureDir());
  return !rc::check("with a planted defect", std::move(property));
}

TEST(PlantedDefects, HandlersOnTheRaisingThreadBreakSerialCallbacks) {
  EXPECT_TRUE(FailsWith(&PlantedDefects::handlers_on_raising_thread,
                        [] { CheckSerialCallbacks(*CallbackPrograms(), *Schedules()); }));
}

TEST(PlantedDefects, InlineValueCallbacksBreakSerialCallbacks) {
  model::android::TestOnlyAndroidPlantedDefects().value_callback_inline = true;
  const ScopedFailureDir expected_failures(ExpectedFailureDir());
  const bool passed = rc::check("with a planted Android defect", [] {
    CheckSerialCallbacks(*ValueCallbackPrograms(), *Schedules());
  });
  model::android::TestOnlyAndroidPlantedDefects().value_callback_inline = false;
  EXPECT_FALSE(passed);
}

// Whether rapidcheck finds a counterexample to `property` with an Android defect planted.
bool FailsWithAndroid(bool model::android::AndroidPlantedDefects::*defect,
                      std::function<void()> property) {
  model::android::TestOnlyAndroidPlantedDefects().*defect = true;
  const ScopedFailureDir expected_failures(ExpectedFailureDir());
  const bool passed = rc::check("with a planted Android defect", std::move(property));
  model::android::TestOnlyAndroidPlantedDefects().*defect = false;
  return !passed;
}

TEST(PlantedDefects, CookieCallbacksOnTheStoreThreadBreakSerialCallbacks) {
  EXPECT_TRUE(
      FailsWithAndroid(&model::android::AndroidPlantedDefects::cookie_callback_on_store_thread,
                       [] { CheckSerialCallbacks(*ValueCallbackPrograms(), *Schedules()); }));
}

TEST(PlantedDefects, CookieCallbacksOnTheStoreThreadBreakDeadlockPrediction) {
  // A `cookie block` then returns: the latch is counted down on the store's thread (A21).
  EXPECT_TRUE(FailsWithAndroid(
      &model::android::AndroidPlantedDefects::cookie_callback_on_store_thread,
      [] { CheckDeadlockExactlyWhenPredicted(*DeadlockPrograms(), *Schedules()); }));
}

TEST(PlantedDefects, UnreportedNestedLoopsBreakNoReentrancy) {
  EXPECT_TRUE(FailsWith(&PlantedDefects::no_reentrancy_report,
                        [] { CheckNoReentrancy(*HandlerPrograms(), *Schedules()); }));
}

TEST(PlantedDefects, UnreportedNestedLoopsInHostMethodsBreakNoReentrancy) {
  // W17: a host method is a WebView2 callback; its modal dialog then goes unreported.
  EXPECT_TRUE(FailsWith(&PlantedDefects::no_reentrancy_report,
                        [] { CheckNoReentrancy(*PageCallbackPrograms(), *Schedules()); }));
}

TEST(PlantedDefects, UnwatchedKernelLoopsBreakNoReentrancy) {
  // Only the model's own loop helpers report: a handler that pumps with the kernel (`pump`) goes
  // unreported, and the reference predicts reentrancy for it.
  EXPECT_TRUE(FailsWith(&PlantedDefects::kernel_loops_unwatched,
                        [] { CheckNoReentrancy(*HandlerPrograms(), *Schedules()); }));
}

TEST(PlantedDefects, EventsEndingWithOpenDeferralsBreakDeferralCompletion) {
  EXPECT_TRUE(FailsWith(&PlantedDefects::finish_event_with_open_deferral,
                        [] { CheckDeferralCompletion(*CrashingHandlerPrograms(), *Schedules()); }));
}

TEST(PlantedDefects, PumpingTaskResultBreaksDeadlockPrediction) {
  EXPECT_TRUE(FailsWith(&PlantedDefects::result_pumps, [] {
    CheckDeadlockExactlyWhenPredicted(*DeadlockPrograms(), *Schedules());
  }));
}

// Whether the deadlock property over `programs` finds a counterexample with a framework defect
// planted.
bool DeadlockPropertyFailsWith(bool model::framework::FrameworkPlantedDefects::*defect,
                               rc::Gen<Program> (*programs)() = FrameworkWaitPrograms) {
  model::framework::TestOnlyFrameworkPlantedDefects().*defect = true;
  const ScopedFailureDir expected_failures(ExpectedFailureDir());
  const bool passed = rc::check("with a planted framework defect", [programs] {
    CheckDeadlockExactlyWhenPredicted(*programs(), *Schedules());
  });
  model::framework::TestOnlyFrameworkPlantedDefects().*defect = false;
  return !passed;
}

TEST(PlantedDefects, WaitsThatIgnoreSentMessagesBreakDeadlockPrediction) {
  // F4, F7: invoke's CLR wait and a sender's wait no longer run what is sent to their thread.
  EXPECT_TRUE(DeadlockPropertyFailsWith(
      &model::framework::FrameworkPlantedDefects::servicing_wait_ignores_sent));
}

TEST(PlantedDefects, LoopsThatNeverRetrieveSentMessagesBreakDeadlockPrediction) {
  // F7: a pumping thread no longer runs messages sent to it.
  EXPECT_TRUE(
      DeadlockPropertyFailsWith(&model::framework::FrameworkPlantedDefects::loop_ignores_sent));
}

TEST(PlantedDefects, EachAsyncWaitsDefectBreaksDeadlockPrediction) {
  using model::framework::FrameworkPlantedDefects;
  const struct {
    bool FrameworkPlantedDefects::*defect;
    const char* what;
  } defects[] = {
      // F2: a plain await on the UI thread resumes on the pool: .Result no longer waits for itself.
      {&FrameworkPlantedDefects::await_ignores_context, "await_ignores_context"},
      // F2: ConfigureAwait(false) resumes on the captured context: the UI's .Result waits for it.
      {&FrameworkPlantedDefects::configure_await_ignored, "configure_await_ignored"},
      // F3: Task.Run work that a pool worker waits for finds no worker left.
      {&FrameworkPlantedDefects::pool_single_worker, "pool_single_worker"},
      // F10: a click whose handler deadlocks never comes.
      {&FrameworkPlantedDefects::user_inputs_dropped, "user_inputs_dropped"},
  };
  for (const auto& planted : defects) {
    SCOPED_TRACE(planted.what);
    EXPECT_TRUE(DeadlockPropertyFailsWith(planted.defect, FrameworkAsyncPrograms));
  }
}

TEST(PlantedDefects, AbandonedCallsCountedAsOutstandingBreakAbandonment) {
  // A script the app raced or cancelled, left pending by a renderer crash (W15's "never"), is then
  // reported as a stall.
  EXPECT_TRUE(FailsWith(&PlantedDefects::abandoned_calls_outstanding,
                        [] { CheckAbandonedCallsEndClean(*AbandoningPrograms(), *Schedules()); }));
}

TEST(PlantedDefects, ScriptsOvertakingAHeldJavaScriptThreadBreakPageWaitPrediction) {
  const struct {
    bool PlantedDefects::*defect;
    const char* what;
  } defects[] = {
      // W17: a host method's awaited script no longer waits behind the synchronous call running it.
      {&PlantedDefects::script_runs_past_host_call, "script_runs_past_host_call"},
      // W9.3: the script the alert's handler awaits before completing its deferral runs at once.
      {&PlantedDefects::script_runs_past_alert, "script_runs_past_alert"},
      // W9.1: the script NewWindowRequested's handler awaits before completing its deferral runs
      // at once, past the window.open that waits for that deferral.
      {&PlantedDefects::script_runs_past_window_open, "script_runs_past_window_open"},
  };
  for (const auto& planted : defects) {
    SCOPED_TRACE(planted.what);
    EXPECT_TRUE(FailsWith(planted.defect,
                          [] { CheckPageWaitsEndAsPredicted(*PageWaitPrograms(), *Schedules()); }));
  }
}

TEST(PlantedDefects, SkippedThreadChecksBreakThreadAffinity) {
  EXPECT_TRUE(FailsWith(&PlantedDefects::skip_thread_check,
                        [] { CheckThreadAffinity(*AffinityPrograms(), *Schedules()); }));
}

TEST(PlantedDefects, IdsSharedAcrossRunsBreakDeterminism) {
  EXPECT_TRUE(FailsWith(&PlantedDefects::ids_shared_across_runs,
                        [] { CheckDeterminism(*AnyPrograms(), *Schedules()); }));
}

TEST(PlantedDefects, CancelMissingQueuedMessagesBreaksThePumpModel) {
  sim::TestOnlyKernelPlantedDefects().cancel_misses_queued_messages = true;
  const bool passed = rc::check("with a planted kernel defect", [] { CheckPumpAgainstModel(); });
  sim::TestOnlyKernelPlantedDefects().cancel_misses_queued_messages = false;
  EXPECT_FALSE(passed);
}

TEST(PlantedDefects, PumpingWaitsDroppingQuitsBreakThePumpModel) {
  sim::TestOnlyKernelPlantedDefects().pumping_wait_drops_quits = true;
  const bool passed = rc::check("with a planted kernel defect", [] { CheckPumpAgainstModel(); });
  sim::TestOnlyKernelPlantedDefects().pumping_wait_drops_quits = false;
  EXPECT_FALSE(passed);
}

TEST(PlantedDefects, ANewestFirstDrainBreaksTheAndroidModel) {
  model::android::TestOnlyAndroidPlantedDefects().drain_runs_newest_first = true;
  const bool passed =
      rc::check("with a planted Android defect", [] { CheckAndroidDispatchAgainstModel(); });
  model::android::TestOnlyAndroidPlantedDefects().drain_runs_newest_first = false;
  EXPECT_FALSE(passed);
}

TEST(PlantedDefects, CommutingWritesBreakDporSoundness) {
  // Two writes to one variable taken for independent: DPOR runs one order of racing stores and
  // misses the final values of the other.
  sim::TestOnlyKernelPlantedDefects().dpor_writes_commute = true;
  const bool passed =
      rc::check("with a planted DPOR defect", [] { CheckDporSoundness(*KernelPrograms()); });
  sim::TestOnlyKernelPlantedDefects().dpor_writes_commute = false;
  EXPECT_FALSE(passed);
}

// Coons, Musuvathi and McKinley's two pitfalls of bounded DPOR: pruning without conservative
// backtrack points, and sleep sets under a bound. Each misses a result bounded dfs reaches.
bool BoundedDporCoverageHoldsWith(bool sim::KernelPlantedDefects::*defect) {
  sim::TestOnlyKernelPlantedDefects().*defect = true;
  const bool passed = rc::check("with a planted bounded-DPOR defect", [] {
    CheckBoundedDporCoverage(*KernelPrograms(), *rc::gen::inRange<uint32_t>(0, 3));
  });
  sim::TestOnlyKernelPlantedDefects().*defect = false;
  return passed;
}

TEST(PlantedDefects, NaiveBoundingBreaksBoundedDporCoverage) {
  EXPECT_FALSE(BoundedDporCoverageHoldsWith(&sim::KernelPlantedDefects::dpor_bound_prunes_naively));
}

TEST(PlantedDefects, SleepSetsUnderABoundBreakBoundedDporCoverage) {
  EXPECT_FALSE(
      BoundedDporCoverageHoldsWith(&sim::KernelPlantedDefects::dpor_bound_keeps_sleep_sets));
}

}  // namespace
}  // namespace wvsim::props
