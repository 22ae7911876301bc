// Tests for the GPU and utility processes as virtual threads (model/webview2/
// auxiliary_processes.cc; webview-rules.md W11, W12): the work the browser sends them, what a
// hang leaves undone and what a crash's relaunch redoes. Each test drives the faults directly at
// a fixed point of a small program, under the first-option strategy.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
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
  p.log->push_back(absl::StrCat("NavigationCompleted ", args.is_success ? "ok" : "failed"));
  co_return;
}

Task<> CrashGpuWhenParsed(Probe& p, NavigationEventArgs& args) {
  (void)args;
  p.log->push_back("DOMContentLoaded");
  if (p.mode != kGpuHangsThenCrashes) co_return;
  p.rt->CrashAuxiliaryProcess(p.webview->environment().browser(),
                              ProcessFailedKind::kGpuProcessExited);
}

Task<> LogFailure(Probe& p, ProcessFailedEventArgs& args) {
  p.log->push_back(ProcessFailedKindName(args.kind));
  co_return;
}

Task<> HangThenNavigate(Probe& p) {
  co_await ProbeCreate(p);
  FaultKinds kinds;  // no budget: only the threads, no injector
  kinds.gpu_hang = true;
  p.rt->EnableFaults(kinds);
  BrowserProcess& browser = p.webview->environment().browser();
  const ProcessFailedKind hung = p.mode == kUtilityHangs ? ProcessFailedKind::kUtilityProcessExited
                                                         : ProcessFailedKind::kGpuProcessExited;
  p.rt->HangAuxiliaryProcess(browser, hung);
  Probe* probe = &p;
  p.webview->add_ProcessFailed(
      [probe](ProcessFailedEventArgs& args) { return LogFailure(*probe, args); });
  p.webview->add_DOMContentLoaded(
      [probe](NavigationEventArgs& args) { return CrashGpuWhenParsed(*probe, args); });
  p.webview->add_NavigationCompleted(
      [probe](NavigationEventArgs& args) { return LogLoaded(*probe, args); });
  co_await p.webview->Navigate(kPage);
}

RunResult RunHang(int mode, std::vector<std::string>* log) {
  return RunProgram([log, mode](Kernel& k) {
    Probe& p = MakeProbe(k, log, [](Probe& probe) { return HangThenNavigate(probe); });
    p.mode = mode;
    p.rt->AddPage(kPage, Page{.title = "T"});
  });
}

TEST(WebView2Rules, W12_GpuHangStallsTheNavigation) {
  std::vector<std::string> log;
  const RunResult run = RunHang(kGpuHangs, &log);
  EXPECT_EQ(run.violation.kind, Verdict::kStall) << run.violation.report;
  EXPECT_THAT(run.violation.report, HasSubstr("W12: the composite of"));
  EXPECT_THAT(run.violation.report, HasSubstr("the gpu process gpu of browser hangs"));
  // The document committed (the fetch went through); only NavigationCompleted never came.
  EXPECT_EQ(log, (std::vector<std::string>{"DOMContentLoaded"}));
  EXPECT_THAT(run.trace, HasSubstr("spawn gpu"));
}

TEST(WebView2Rules, W12_UtilityHangStallsTheNavigationBeforeItCommits) {
  std::vector<std::string> log;
  const RunResult run = RunHang(kUtilityHangs, &log);
  EXPECT_EQ(run.violation.kind, Verdict::kStall) << run.violation.report;
  EXPECT_THAT(run.violation.report, HasSubstr("W12: the fetch of https://app.example/index.html"));
  EXPECT_THAT(run.violation.report, HasSubstr("the utility process utility of browser hangs"));
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
      probe.webview->add_NavigationCompleted(
          [self](NavigationEventArgs& args) { return LogLoaded(*self, args); });
      co_await probe.webview->Navigate(kPage);
    });
    p.rt->AddPage(kPage, Page{.title = "T"});
  });
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  EXPECT_EQ(log, (std::vector<std::string>{"NavigationCompleted ok"}));
  EXPECT_EQ(run.trace.find("spawn gpu"), std::string::npos);
}

}  // namespace
}  // namespace wvsim::model::webview2
