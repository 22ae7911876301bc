// W4 for every way an app can pump (docs/webview2-rules.md W4): a nested loop the app builds from
// the kernel (RunMessageLoop, PumpUntil) or from the model's helpers (ShowDialog, CoWait), started
// inside a WebView2 event handler or inside a C++ completion handler, is reentrancy in every run;
// the same loops run from posted work are not. And W2 for a thread without a pump: an STA
// thread with no message queue never gets its completion. And W15's abandoned calls: a call the
// app gave up on is not outstanding work.
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/verdicts.h"
#include "model/webview2/runtime.h"
#include "sim/strategies/random.h"
#include "test_programs.h"
#include "webview2_probe.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::model::webview2 {
namespace {

using sim::Verdict;
using sim::testing::RunProgram;
using sim::testing::RunResult;
using ::testing::HasSubstr;

enum class Loop { kRunMessageLoop, kPumpUntil, kShowDialog, kCoWait };
enum class Where { kEventHandler, kCompletionHandler, kPostedWork };

const char* LoopName(Loop loop) {
  switch (loop) {
    case Loop::kRunMessageLoop:
      return "RunMessageLoop";
    case Loop::kPumpUntil:
      return "PumpUntil";
    case Loop::kShowDialog:
      return "ShowDialog";
    case Loop::kCoWait:
      return "CoWait";
  }
  return "";
}

Task<> SetLater(Promise<void> promise) {
  promise.Set();
  co_return;
}

Task<> CloseTheDialog(Probe& p) { co_await p.rt->CloseDialog(); }

// One nested loop on the UI thread, however it is built; each ends by itself.
Task<> RunLoop(Probe& p, Loop loop) {
  switch (loop) {
    case Loop::kRunMessageLoop:
      co_await p.k->PostQuit(p.ui);  // the loop takes the quit and ends
      co_await p.k->RunMessageLoop();
      break;
    case Loop::kPumpUntil: {
      const Promise<void> done = p.k->MakePromise<void>("done");
      co_await p.k->Post(p.ui, "done", [done] { return SetLater(done); });
      co_await p.k->PumpUntil(done.future());
      break;
    }
    case Loop::kShowDialog: {
      Probe* probe = &p;
      co_await p.rt->ShowDialog("box", [probe] { return CloseTheDialog(*probe); });
      break;
    }
    case Loop::kCoWait: {
      Async<std::string> op = co_await p.webview->ExecuteScriptAsync("document.title");
      co_await p.rt->CoWait(op);
      break;
    }
  }
  p.log->push_back("loop ended");
}

Task<> LoopOrPost(Probe& p, Loop loop, Where where) {
  if (where != Where::kPostedWork) {
    co_await RunLoop(p, loop);
    co_return;
  }
  Probe* probe = &p;
  co_await p.rt->Post(p.ui, "posted loop", [probe, loop] { return RunLoop(*probe, loop); });
}

Task<> LoopLoad(Probe& p, Loop loop, Where where) {
  co_await ProbeCreate(p);
  Probe* probe = &p;
  if (where != Where::kCompletionHandler) {
    co_await p.webview->add_WebMessageReceived([probe, loop, where](WebMessageReceivedEventArgs&) {
      return LoopOrPost(*probe, loop, where);
    });
  }
  co_await p.webview->Navigate(kPage);
  if (where == Where::kCompletionHandler) {
    Async<std::string> op = co_await p.webview->ExecuteScriptAsync("document.title");
    op.OnCompleted([probe, loop](Async<std::string>) { return RunLoop(*probe, loop); });
  }
}

// The verdicts of `runs` random-walk runs of the probe.
std::set<std::string> VerdictsOf(Loop loop, Where where, uint64_t runs, std::string* report) {
  std::set<std::string> verdicts;
  for (uint64_t seed = 1; seed <= runs; ++seed) {
    std::vector<std::string> log;
    sim::RandomStrategy random(seed);
    const RunResult run = RunProgram(
        [&](Kernel& k) {
          Probe& p = MakeProbe(
              k, &log, [loop, where](Probe& probe) { return LoopLoad(probe, loop, where); });
          p.rt->world().AddPage(kPage, Page{.title = "T", .web_message = "go"});
        },
        random);
    verdicts.insert(std::string(run.violation.kind.name()));
    if (run.violation.kind != Verdict::kClean) *report = run.violation.report;
  }
  return verdicts;
}

class NestedLoops : public ::testing::TestWithParam<Loop> {};

TEST_P(NestedLoops, W4_InAnEventHandlerIsReentrancyInEveryRun) {
  std::string report;
  EXPECT_EQ(VerdictsOf(GetParam(), Where::kEventHandler, 30, &report),
            std::set<std::string>{std::string(WebViewVerdict::kReentrancy.name())});
  EXPECT_THAT(report, HasSubstr("W4: "));
  EXPECT_THAT(report, HasSubstr("WebMessageReceived"));
}

TEST_P(NestedLoops, W4_InACompletionHandlerIsReentrancyInEveryRun) {
  std::string report;
  EXPECT_EQ(VerdictsOf(GetParam(), Where::kCompletionHandler, 30, &report),
            std::set<std::string>{std::string(WebViewVerdict::kReentrancy.name())});
  EXPECT_THAT(report, HasSubstr("ExecuteScript"));
  EXPECT_THAT(report, HasSubstr("completion handler"));
}

TEST_P(NestedLoops, W4_PostedOutOfTheHandlerIsClean) {
  std::string report;
  EXPECT_EQ(VerdictsOf(GetParam(), Where::kPostedWork, 100, &report),
            std::set<std::string>{"clean"})
      << report;
}

INSTANTIATE_TEST_SUITE_P(EveryLoopKind, NestedLoops,
                         ::testing::Values(Loop::kRunMessageLoop, Loop::kPumpUntil,
                                           Loop::kShowDialog, Loop::kCoWait),
                         [](const ::testing::TestParamInfo<Loop>& info) {
                           return std::string(LoopName(info.param));
                         });

// ---- The C++ completion handler runs inside the completion's delivery.

Task<> LogCompletion(Probe& p, Async<std::string> done) {
  p.log->push_back("completion handler: " + co_await done);
}

Task<> OrderLoad(Probe& p) {
  co_await ProbeCreate(p);
  co_await p.webview->Navigate(kPage);
  Async<std::string> op = co_await p.webview->ExecuteScriptAsync("document.title");
  Probe* probe = &p;
  op.OnCompleted([probe](Async<std::string> done) { return LogCompletion(*probe, done); });
  const std::string title = co_await op;
  p.log->push_back("await resumed: " + title);
}

TEST(WebView2Loops, W4_CompletionHandlerRunsInItsDeliveryBeforeTheAwaitResumes) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    std::vector<std::string> log;
    sim::RandomStrategy random(seed);
    const RunResult run = RunProgram(
        [&](Kernel& k) {
          Probe& p = MakeProbe(k, &log, [](Probe& probe) { return OrderLoad(probe); });
          p.rt->world().AddPage(kPage, Page{.title = "T"});
        },
        random);
    EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
    EXPECT_EQ(log, (std::vector<std::string>{"completion handler: \"T\"", "await resumed: \"T\""}))
        << "seed " << seed;
  }
}

// ---- W2: a thread without a pump.

TEST(WebView2Loops, W2_AnStaWithoutAQueueNeverGetsItsCompletion) {
  const sim::ExploreResult result = ExploreScenario("wv2.created_on_sta_without_queue", 200);
  EXPECT_EQ(result.verdict, Verdict::kStall) << Report(result);
  EXPECT_THAT(Report(result), HasSubstr("STA thread with no message queue"));
  EXPECT_THAT(Report(result), HasSubstr("(W2)"));
}

// ---- W15 and abandoned calls.

TEST(WebView2Loops, W15_AbandonedCallIsNotAStall) {
  // The same app: awaiting the script for ever is a stall in the runs where the renderer dies
  // and the call never completes; racing it against a timer is clean in every run.
  const sim::ExploreResult awaited =
      ExploreScenario("wv2.script_awaited_through_renderer_crash", 20000);
  EXPECT_EQ(awaited.verdict, Verdict::kStall) << Report(awaited);
  EXPECT_THAT(Report(awaited), HasSubstr("never completes (W15)"));
  ExpectClean("wv2.script_raced_against_timeout", 20000);
}

}  // namespace
}  // namespace wvsim::model::webview2
