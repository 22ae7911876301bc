// Tests for ProcessFailed's kinds and reasons and for renderer hangs that end by themselves
// (model/webview2/process_failed.cc, renderer_hangs.cc; docs/webview2-rules.md W12). Each small
// program drives one exit or hang directly, under a strategy that takes the first option for
// everything but the model's fault choices, which it answers with a pick the test sets.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sim/runner.h"
#include "sim/strategies/random.h"
#include "test_programs.h"
#include "webview2_probe.h"

namespace wvsim::model::webview2 {
namespace {

using sim::Verdict;
using sim::testing::FaultPick;
using sim::testing::RunProgram;
using sim::testing::RunResult;
using ::testing::HasSubstr;

Task<> LogFailure(Probe& p, ProcessFailedEventArgs& args) {
  p.log->push_back(absl::StrCat(ProcessFailedKindName(args.kind.Peek()), "/",
                                ProcessFailedReasonName(args.reason.Peek()), "/",
                                args.exit_code.Peek(), "@", p.k->now_ticks()));
  co_return;
}

Task<> LogTitle(Probe& p) {
  Async<std::string> op = co_await p.webview->ExecuteScriptAsync("document.title");
  p.log->push_back("title " + co_await op);
}

// Probe.mode: which process fails once the page loaded.
enum Exit { kBrowserExits, kRendererExits, kGpuExits, kOtherExits };

Task<> ExitWhenLoaded(Probe& p, NavigationEventArgs& args) {
  (void)args;
  const Environment& browser = p.rt->world().EnvironmentOf(*p.webview);
  switch (p.mode) {
    case kBrowserExits:
      p.rt->world().CrashBrowser(browser);
      co_return;
    case kRendererExits:
      p.rt->world().CrashRenderer(*p.webview);
      co_return;
    case kGpuExits:
      p.rt->world().CrashAuxiliaryProcess(browser, ProcessFailedKind::kGpuProcessExited);
      break;
    default:
      p.rt->world().ExitOtherProcess(browser);
      break;
  }
  co_await LogTitle(p);  // W12: these recover by themselves; the WebView keeps working
}

// Creates the WebView, logs its ProcessFailed events, runs `loaded` on NavigationCompleted and
// navigates to kPage.
Task<> LoadLogging(Probe& p, Task<> (*loaded)(Probe&, NavigationEventArgs&)) {
  co_await ProbeCreate(p);
  Probe* probe = &p;
  co_await p.webview->add_ProcessFailed(
      [probe](ProcessFailedEventArgs& args) { return LogFailure(*probe, args); });
  co_await p.webview->add_NavigationCompleted(
      [probe, loaded](NavigationEventArgs& args) { return loaded(*probe, args); });
  co_await p.webview->Navigate(kPage);
}

Task<> LoadThenExit(Probe& p) { co_await LoadLogging(p, ExitWhenLoaded); }

// Runs `load` against the page "T" with every fault choice taking `pick`.
RunResult RunPicking(Task<> (*load)(Probe&), int mode, uint32_t pick,
                     std::vector<std::string>* log) {
  FaultPick strategy(pick);
  return RunProgram(
      [log, mode, load](Kernel& k) {
        Probe& p = MakeProbe(k, log, [load](Probe& probe) { return load(probe); });
        p.mode = mode;
        p.rt->world().AddPage(kPage, Page{.title = "T"});
      },
      strategy);
}

RunResult RunExit(int mode, uint32_t pick, std::vector<std::string>* log) {
  return RunPicking(LoadThenExit, mode, pick, log);
}

// The ProcessFailed line of each pick of the reason choice, for an exit of `mode`.
std::vector<std::string> FailuresForPicks(int mode, uint32_t picks) {
  std::vector<std::string> failures;
  for (uint32_t pick = 0; pick < picks; ++pick) {
    std::vector<std::string> log;
    const RunResult run = RunExit(mode, pick, &log);
    if (log.empty()) {
      ADD_FAILURE() << "no ProcessFailed: " << run.violation.report;
      continue;
    }
    failures.push_back(log.front());
  }
  return failures;
}

TEST(WebView2ProcessFailed, W12_BrowserExitIsAlwaysUnexpectedWithExitCode1) {
  std::vector<std::string> log;
  const RunResult run = RunExit(kBrowserExits, 2, &log);
  EXPECT_EQ(log, (std::vector<std::string>{"BrowserProcessExited/Unexpected/1@0"}));
  // Nothing to choose, so nothing is recorded (W12 fixes the reason).
  EXPECT_EQ(run.trace.find("the ProcessFailed reason"), std::string::npos);
}

TEST(WebView2ProcessFailed, W12_RendererExitReasonIsARecordedChoiceAmongItsKindsReasons) {
  EXPECT_EQ(FailuresForPicks(kRendererExits, 3),
            (std::vector<std::string>{"RenderProcessExited/Crashed/1@0",
                                      "RenderProcessExited/Terminated/1@0",
                                      "RenderProcessExited/OutOfMemory/1@0"}));
  std::vector<std::string> log;
  const RunResult run = RunExit(kRendererExits, 0, &log);
  EXPECT_THAT(run.trace, HasSubstr("choose W12: the ProcessFailed reason of the exit"));
}

TEST(WebView2ProcessFailed, W12_GpuExitReasonsIncludeAbnormalExit) {
  EXPECT_EQ(
      FailuresForPicks(kGpuExits, 3),
      (std::vector<std::string>{"GpuProcessExited/Crashed/1@0", "GpuProcessExited/OutOfMemory/1@0",
                                "GpuProcessExited/AbnormalExit/1@0"}));
}

TEST(WebView2ProcessFailed, W12_OtherProcessExitsReachEveryOtherKindAndBreakNothing) {
  // The kind is the first fault choice and the reason the second: a pick takes both.
  EXPECT_EQ(
      FailuresForPicks(kOtherExits, 5),
      (std::vector<std::string>{
          "SandboxHelperProcessExited/Crashed/1@0", "PpapiPluginProcessExited/LaunchFailed/1@0",
          "PpapiBrokerProcessExited/OutOfMemory/1@0", "UnknownProcessExited/NormalExit/0@0",
          "UnknownProcessExited/AbnormalExit/1@0"}));
  std::vector<std::string> log;
  const RunResult run = RunExit(kOtherExits, 0, &log);
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  EXPECT_EQ(log.back(), "title \"T\"");  // no WebView is affected
  EXPECT_THAT(run.trace, HasSubstr("it recovers by itself and no WebView is affected"));
  EXPECT_EQ(run.trace.find("spawn browser#2"), std::string::npos);
  EXPECT_EQ(run.trace.find("spawn renderer#2"), std::string::npos);
}

TEST(WebView2ProcessFailed, W12_HandlerThatTreatsEveryKindAsABrowserCrashFailsToRecreate) {
  const sim::ExploreResult buggy = ExploreScenario("wv2.other_process_exit_recreates");
  EXPECT_EQ(buggy.verdict, Verdict::kException);
  EXPECT_THAT(Report(buggy), HasSubstr("0x8007139F"));
  EXPECT_THAT(Report(buggy), HasSubstr("W11: user data folder in use with other options"));
  ExpectClean("wv2.other_process_exit_by_kind", 5000);
}

// ---- Renderer hangs that end by themselves (W12).

Task<> LogScript(Probe& p, Async<std::string> op, const char* which) {
  const std::string title = co_await op;
  p.log->push_back(absl::StrCat(which, " ", title, " @", p.k->now_ticks()));
}

// Once the page loaded, hangs its renderer and sends it two scripts, then awaits both.
Task<> HangThenAsk(Probe& p, NavigationEventArgs& args) {
  (void)args;
  p.rt->world().HangRenderer(*p.webview);
  Async<std::string> first = co_await p.webview->ExecuteScriptAsync("document.title");
  Async<std::string> second = co_await p.webview->ExecuteScriptAsync("document.title");
  co_await LogScript(p, first, "first");
  co_await LogScript(p, second, "second");
}

Task<> LoadThenHang(Probe& p) { co_await LoadLogging(p, HangThenAsk); }

RunResult RunHang(uint32_t pick, std::vector<std::string>* log) {
  return RunPicking(LoadThenHang, 0, pick, log);
}

TEST(WebView2ProcessFailed, W12_RendererHangEndsAfterTheChosenNumberOfReportsAndThePageGoesOn) {
  std::vector<std::string> log;
  const RunResult run = RunHang(2, &log);
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  // Two reports, then the check 15 s later finds it responsive: the two held scripts run, in
  // the order they were sent.
  EXPECT_EQ(log, (std::vector<std::string>{"RenderProcessUnresponsive/Unresponsive/259@15000",
                                           "RenderProcessUnresponsive/Unresponsive/259@30000",
                                           "first \"T\" @45000", "second \"T\" @45000"}));
  EXPECT_THAT(run.trace, HasSubstr("responds again after 2 unresponsive report(s); it runs the 2 "
                                   "message(s) it held, in order"));
  EXPECT_EQ(run.trace.find("terminates the hung renderer"), std::string::npos);
}

TEST(WebView2ProcessFailed, W12_RendererHangThatNeverEndsStallsAfterTheLastReport) {
  std::vector<std::string> log;
  const RunResult run = RunHang(0, &log);
  EXPECT_EQ(run.violation.kind, Verdict::kStall) << run.violation.report;
  EXPECT_THAT(run.violation.report, HasSubstr("ExecuteScript#1"));
  EXPECT_EQ(log.size(), static_cast<size_t>(kUnresponsiveReportsMax));
  // The longest hang that ends still ends: after the last report.
  std::vector<std::string> longest;
  const RunResult ended = RunHang(kUnresponsiveReportsMax, &longest);
  EXPECT_EQ(ended.violation.kind, Verdict::kClean) << ended.violation.report;
  EXPECT_EQ(longest.back(), "second \"T\" @75000");
}

TEST(WebView2ProcessFailed, W12_AppThatWaitsOutAHangIsCleanTheOneThatWaitsForEverStalls) {
  ExpectClean("wv2.renderer_hang_waited_out", 5000);
  // Its runs cover both ends of a hang: by itself, and by the app's reload at the third report.
  const std::vector<int> counts = CleanRunsMentioning(
      Builtin("wv2.renderer_hang_waited_out"), {{std::string(sim::kFaultBudgetParam), 1}}, 3, 400,
      {"responds again", "terminates the hung renderer"});
  EXPECT_GT(counts[0], 0);
  EXPECT_GT(counts[1], 0);
  const sim::ExploreResult ignored = ExploreScenario("wv2.renderer_hang_ignored");
  EXPECT_EQ(ignored.verdict, Verdict::kStall);
}

}  // namespace
}  // namespace wvsim::model::webview2
