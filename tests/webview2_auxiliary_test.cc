// Tests for the GPU and utility processes as virtual threads (model/webview2/
// auxiliary_processes.cc; docs/webview2-rules.md W11, W12): the work the browser sends them, what a
// hang leaves undone and what a crash's relaunch redoes. Each test drives the faults directly at
// a fixed point of a small program, under the first-option strategy.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/builtin_scenarios.h"
#include "sim/explorer.h"
#include "sim/runner.h"
#include "sim/strategies/random.h"
#include "test_programs.h"
#include "webview2_probe.h"

namespace wvsim::model::webview2 {
namespace {

using sim::Verdict;
using sim::testing::RunProgram;
using sim::testing::RunResult;
using ::testing::HasSubstr;

// Probe.mode: which auxiliary process hangs before the navigation, and whether the GPU process
// crashes once the document is parsed (DOMContentLoaded, when its composite is already sent).
enum Mode { kGpuHangs = 1, kUtilityHangs = 2, kGpuHangsThenCrashes = 3 };

Task<> LogLoaded(Probe& p, NavigationEventArgs& args) {
  p.log->push_back(absl::StrCat("NavigationCompleted ", args.is_success.Peek() ? "ok" : "failed"));
  co_return;
}

Task<> CrashGpuWhenParsed(Probe& p, NavigationEventArgs& args) {
  (void)args;
  p.log->push_back("DOMContentLoaded");
  if (p.mode != kGpuHangsThenCrashes) co_return;
  p.rt->world().CrashAuxiliaryProcess(p.rt->world().EnvironmentOf(*p.webview),
                                      ProcessFailedKind::kGpuProcessExited);
}

Task<> LogFailure(Probe& p, ProcessFailedEventArgs& args) {
  p.log->push_back(ProcessFailedKindName(args.kind.Peek()));
  co_return;
}

Task<> HangThenNavigate(Probe& p) {
  co_await ProbeCreate(p);
  FaultKinds kinds;  // no budget: only the threads, no injector
  kinds.gpu_hang = true;
  p.rt->world().EnableFaults(kinds);
  const Environment& browser = p.rt->world().EnvironmentOf(*p.webview);
  const ProcessFailedKind hung = p.mode == kUtilityHangs ? ProcessFailedKind::kUtilityProcessExited
                                                         : ProcessFailedKind::kGpuProcessExited;
  p.rt->world().HangAuxiliaryProcess(browser, hung);
  Probe* probe = &p;
  co_await p.webview->add_ProcessFailed(
      [probe](ProcessFailedEventArgs& args) { return LogFailure(*probe, args); });
  co_await p.webview->add_DOMContentLoaded(
      [probe](NavigationEventArgs& args) { return CrashGpuWhenParsed(*probe, args); });
  co_await p.webview->add_NavigationCompleted(
      [probe](NavigationEventArgs& args) { return LogLoaded(*probe, args); });
  co_await p.webview->Navigate(kPage);
}

// Runs a probe whose load is `load`, in `mode`, on a one-page site.
RunResult RunProbeLoad(Task<> (*load)(Probe&), int mode, std::vector<std::string>* log) {
  return RunProgram([load, log, mode](Kernel& k) {
    Probe& p = MakeProbe(k, log, [load](Probe& probe) { return load(probe); });
    p.mode = mode;
    p.rt->world().AddPage(kPage, Page{.title = "T"});
  });
}

RunResult RunHang(int mode, std::vector<std::string>* log) {
  return RunProbeLoad(&HangThenNavigate, mode, log);
}

// Runs `mode` with one process hung; expects the stall naming `work` and `hung`; returns the log.
std::vector<std::string> ExpectHangStall(int mode, const char* work, const char* hung) {
  std::vector<std::string> log;
  const RunResult run = RunHang(mode, &log);
  EXPECT_EQ(run.violation.kind, Verdict::kStall) << run.violation.report;
  EXPECT_THAT(run.violation.report, HasSubstr(work));
  EXPECT_THAT(run.violation.report, HasSubstr(hung));
  EXPECT_THAT(run.trace, HasSubstr("spawn gpu"));
  return log;
}

TEST(WebView2Rules, W12_GpuHangStallsTheNavigation) {
  const std::vector<std::string> log =
      ExpectHangStall(kGpuHangs, "W12: the composite of", "the gpu process gpu of browser hangs");
  // The document committed (the fetch went through); only NavigationCompleted never came.
  EXPECT_EQ(log, (std::vector<std::string>{"DOMContentLoaded"}));
}

TEST(WebView2Rules, W12_UtilityHangStallsTheNavigationBeforeItCommits) {
  const std::vector<std::string> log =
      ExpectHangStall(kUtilityHangs, "W12: the fetch of https://app.example/index.html",
                      "the utility process utility of browser hangs");
  EXPECT_TRUE(log.empty());  // the renderer never got the document
}

TEST(WebView2Rules, W12_GpuCrashRelaunchesAndRedoesWork) {
  std::vector<std::string> log;
  const RunResult run = RunHang(kGpuHangsThenCrashes, &log);
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  // The hung gpu never composited; gpu#2 redid that work, so the load completed.
  EXPECT_EQ(log, (std::vector<std::string>{"DOMContentLoaded", "GpuProcessExited",
                                           "NavigationCompleted ok"}));
  EXPECT_THAT(run.trace, HasSubstr("gpu#2 redoes the 1 pending work item(s)"));
}

TEST(WebView2Rules, W12_WithoutAuxiliaryFaultsTheWorkIsDoneInline) {
  // Scenarios that never enable a GPU or utility fault keep their recorded schedules: no threads.
  std::vector<std::string> log;
  const RunResult run = RunProgram([&log](Kernel& k) {
    Probe& p = MakeProbe(k, &log, [](Probe& probe) -> Task<> {
      co_await ProbeCreate(probe);
      Probe* self = &probe;
      co_await probe.webview->add_NavigationCompleted(
          [self](NavigationEventArgs& args) { return LogLoaded(*self, args); });
      co_await probe.webview->Navigate(kPage);
    });
    p.rt->world().AddPage(kPage, Page{.title = "T"});
  });
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  EXPECT_EQ(log, (std::vector<std::string>{"NavigationCompleted ok"}));
  EXPECT_EQ(run.trace.find("spawn gpu"), std::string::npos);
}

TEST(WebView2Rules, W12_GpuOrUtilityHangIsAFaultTheSchedulerInjects) {
  // wv2.gpu_hang_during_load: the injector picks the step and which of the two hangs (W12).
  const sim::ExploreResult result = ExploreScenario("wv2.gpu_hang_during_load", 2000, true);
  EXPECT_EQ(result.verdict, Verdict::kStall);
  std::vector<std::string> hung;
  for (const sim::Found& found : result.found) hung.push_back(found.violation.place);
  std::sort(hung.begin(), hung.end());
  EXPECT_EQ(hung, (std::vector<std::string>{"gpu", "utility"}));
}

// ---- The GPU process's other work (W7, W11): print and capture wait on it.

// Probe.mode: 0 capture, 1 print; + kAwaited when the app awaits the call.
constexpr int kAwaited = 2;

Task<> HangGpuThenRender(Probe& p, NavigationEventArgs& args) {
  (void)args;
  p.rt->world().HangAuxiliaryProcess(p.rt->world().EnvironmentOf(*p.webview),
                                     ProcessFailedKind::kGpuProcessExited);
  // if/else rather than ?: with a co_await in each arm (g++ 12, model/webview2/README.md).
  if (p.mode % kAwaited == 0) {
    Async<bool> capture = co_await p.webview->CapturePreviewAsync();
    if (p.mode >= kAwaited) co_await capture;
  } else {
    Async<bool> print = co_await p.webview->PrintToPdfAsync("C:\\out.pdf");
    if (p.mode >= kAwaited) co_await print;
  }
  p.log->push_back("returned");
}

Task<> LoadThenHangGpu(Probe& p) {
  co_await ProbeCreate(p);
  FaultKinds kinds;  // no budget: only the threads, no injector
  kinds.gpu_hang = true;
  p.rt->world().EnableFaults(kinds);
  Probe* probe = &p;
  co_await p.webview->add_NavigationCompleted(
      [probe](NavigationEventArgs& args) { return HangGpuThenRender(*probe, args); });
  co_await p.webview->Navigate(kPage);
}

RunResult RunGpuHang(int mode, std::vector<std::string>* log) {
  return RunProbeLoad(&LoadThenHangGpu, mode, log);
}

TEST(WebView2Rules, W12_GpuHangLeavesCapturePreviewAndPrintToPdfPending) {
  const char* const expected[] = {
      "W12: the capture of the preview of CoreWebView2#1 for CapturePreview#1 never happened",
      "W12: the rendering of the PDF of CoreWebView2#1 for PrintToPdf#1 never happened"};
  for (int mode = 0; mode < 2; ++mode) {
    std::vector<std::string> log;
    const RunResult run = RunGpuHang(mode, &log);
    EXPECT_EQ(run.violation.kind, Verdict::kStall) << run.violation.report;
    EXPECT_EQ(run.violation.place, "gpu") << run.violation.report;
    EXPECT_THAT(run.violation.report, HasSubstr(expected[mode]));
    EXPECT_THAT(run.violation.report, HasSubstr("the gpu process gpu of browser hangs"));
  }
  // Awaited, the kernel's own stall check names the call first; the trace names the hang.
  std::vector<std::string> log;
  const RunResult awaited = RunGpuHang(kAwaited, &log);
  EXPECT_EQ(awaited.violation.kind, Verdict::kStall) << awaited.violation.report;
  EXPECT_THAT(awaited.violation.report, HasSubstr("is parked: CapturePreview#1 is not complete"));
  EXPECT_THAT(awaited.trace, HasSubstr("W12: gpu process of browser hangs"));
  EXPECT_TRUE(log.empty());
}

// ---- Fault-free GPU and utility processes: inline by default, threads on request (W11).

// Every wv2.* scenario, with the auxiliary processes forced to be threads, still ends with one of
// its expected verdicts, and every clean one stays clean over the whole campaign.
TEST(WebView2Rules, W11_AuxiliaryThreadsForcedOnKeepEveryScenarioVerdict) {
  model::RegisterBuiltinScenarios();
  constexpr uint64_t kExecutions = 2000;
  int scenarios = 0;
  for (const sim::Scenario* builtin : sim::ScenarioRegistry::Global().All()) {
    if (builtin->runtime() != "wv2") continue;
    sim::Scenario scenario = *builtin;
    scenario.params.push_back({std::string(kAuxiliaryThreadsParam), 1, "threads everywhere"});
    sim::ExploreConfig config;
    config.strategy = "portfolio";
    config.iterations = kExecutions;
    const absl::StatusOr<sim::ExploreResult> result = sim::Explore(scenario, config);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_TRUE(scenario.Expects(result->verdict))
        << scenario.id << " ended " << sim::VerdictName(result->verdict) << ": " << Report(*result);
    if (scenario.expected == std::vector<Verdict>{Verdict::kClean}) {
      EXPECT_EQ(result->executions, kExecutions) << scenario.id;
    }
    ++scenarios;
  }
  EXPECT_GT(scenarios, 40);
}

// What the inline reduction gives up: without threads the composite is done in the renderer's
// step that raised DOMContentLoaded, so a script the app starts in DOMContentLoaded always
// completes after NavigationCompleted; with a GPU thread it may complete first.
Task<> ScriptWhenParsed(Probe& p, NavigationEventArgs& args) {
  (void)args;
  Async<std::string> op = co_await p.webview->ExecuteScriptAsync("document.title");
  co_await op;
  p.log->push_back("script");
}

Task<> LoadWithEarlyScript(Probe& p) {
  co_await ProbeCreate(p);
  Probe* probe = &p;
  co_await p.webview->add_DOMContentLoaded(
      [probe](NavigationEventArgs& args) { return ScriptWhenParsed(*probe, args); });
  co_await p.webview->add_NavigationCompleted([probe](NavigationEventArgs& args) -> Task<> {
    (void)args;
    probe->log->push_back("NavigationCompleted");
    co_return;
  });
  co_await p.webview->Navigate(kPage);
}

// The orders of the two app-visible events over random runs, threads forced on or not.
std::set<std::string> EarlyScriptOrders(bool threads) {
  std::vector<std::string> log;
  const sim::Scenario scenario = sim::testing::MakeScenario([&log](Kernel& k) {
    Probe& p = MakeProbe(k, &log, [](Probe& probe) { return LoadWithEarlyScript(probe); });
    p.rt->world().AddPage(kPage, Page{.title = "T"});
  });
  sim::Runner runner(scenario, {{std::string(kAuxiliaryThreadsParam), threads ? 1 : 0}});
  sim::RandomStrategy random(5);
  std::set<std::string> orders;
  for (uint64_t run = 0; run < 300; ++run) {
    log.clear();
    random.BeginExecution(run);
    const sim::RunOutcome outcome = runner.Run(random, /*traced=*/false);
    EXPECT_EQ(outcome.violation.kind, Verdict::kClean) << outcome.violation.report;
    orders.insert(absl::StrJoin(log, ", "));
  }
  return orders;
}

TEST(WebView2Rules, W11_InlineAuxiliaryWorkLosesOrderingsThatThreadsReach) {
  EXPECT_EQ(EarlyScriptOrders(false), (std::set<std::string>{"NavigationCompleted, script"}));
  EXPECT_EQ(EarlyScriptOrders(true),
            (std::set<std::string>{"NavigationCompleted, script", "script, NavigationCompleted"}));
}

// ---- The fault's target among every live browser (W11: one per user data folder; W12).

Task<> CreateIn(Probe& p, const char* folder) {
  EnvironmentOptions options;
  options.user_data_folder = folder;
  Async<Environment*> env_op =
      co_await p.rt->CreateCoreWebView2EnvironmentAsync(std::move(options));
  Environment* env = co_await env_op;
  Async<Controller*> controller_op = co_await env->CreateCoreWebView2ControllerAsync();
  Controller* controller = co_await controller_op;
  p.webview = &controller->CoreWebView2();
}

Task<> TwoBrowsersWithFaults(Probe& p) {
  co_await CreateIn(p, "A");
  co_await CreateIn(p, "B");
  FaultKinds kinds;
  kinds.renderer_crash = false;  // only browser crashes: which browser is the question
  p.rt->world().EnableFaults(kinds);
}

TEST(WebView2Rules, W12_FaultTargetIsAnyLiveBrowserAScheduledChoice) {
  const sim::Scenario scenario = sim::testing::MakeScenario([](Kernel& k) {
    MakeProbe(k, nullptr, [](Probe& probe) { return TwoBrowsersWithFaults(probe); });
  });
  const std::vector<int> counts =
      CleanRunsMentioning(scenario, {{std::string(sim::kFaultBudgetParam), 1}}, 11, 200,
                          {"browser process browser crashed", "browser process browser#2 crashed"});
  // Both folders' browsers are hit in some runs, not only the first in folder order.
  EXPECT_GT(counts[0], 0);
  EXPECT_GT(counts[1], 0);
}

}  // namespace
}  // namespace wvsim::model::webview2
