// Tests of host objects (docs/webview2-rules.md W17, model/webview2/internal/host_calls.cc): a page
// script's synchronous call holds its JavaScript thread until the app's method ran on the UI
// thread, an asynchronous one lets the script go on, the method is a WebView2 callback for W4's
// oracle (WebView2Feedback #3677), a removed object throws in the page, a deadlock report names
// both sides, and the assumption that a CLR wait on an STA runs the call (a parameter).
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/framework/clr.h"
#include "model/verdicts.h"
#include "model/webview2/runtime.h"
#include "test_programs.h"
#include "webview2_probe.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::model::webview2 {
namespace {

using sim::Verdict;
using sim::testing::RunProgram;
using sim::testing::RunResult;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// What the page's globals are when the app's method runs, and at the end.
struct HostProbe {
  Probe* p = nullptr;
  HostObject* bridge = nullptr;
  bool remove_first = false;
  std::string after_at_call = "unset";  // window.after when the method ran
};

std::string GlobalOf(Probe& p, const char* name) {
  const std::string* value =
      p.webview != nullptr ? p.rt->world().Global(*p.webview, name) : nullptr;
  return value != nullptr ? *value : "undefined";
}

Task<std::string> GetAnswer(HostProbe& h) {
  h.p->log->push_back("method on " + h.p->k->Current().name());
  h.after_at_call = GlobalOf(*h.p, "window.after");
  co_return std::string("42");
}

Task<> LoadWithBridge(HostProbe& h) {
  co_await ProbeCreate(*h.p);
  co_await h.p->webview->AddHostObjectToScript("bridge", *h.bridge);
  if (h.remove_first) co_await h.p->webview->RemoveHostObjectFromScript("bridge");
  co_await h.p->webview->Navigate(kPage);
}

Page CallingPage(bool sync) {
  Page page{.title = "T"};
  Page::Script script = Page::Script::AtLoad();
  if (sync) {
    script.CallHostSync("bridge", "getAnswer", "window.answer");
  } else {
    script.CallHostAsync("bridge", "getAnswer", "window.answer");
  }
  script.SetGlobal("window.after", "1");
  page.scripts.push_back(std::move(script));
  return page;
}

struct HostRun {
  RunResult run;
  std::vector<std::string> log;
  std::string answer;
  std::string after;
  std::string after_at_call;
};

HostRun RunHostCall(bool sync, bool remove_first) {
  HostRun out;
  out.run = RunProgram([&out, sync, remove_first](Kernel& k) {
    HostProbe& h = k.Make<HostProbe>();
    h.remove_first = remove_first;
    h.bridge = &k.Make<HostObject>();
    h.bridge->AddMethod("getAnswer", [&h] { return GetAnswer(h); });
    h.p = &MakeProbe(k, &out.log, [&h](Probe&) { return LoadWithBridge(h); });
    h.p->rt->world().AddPage(kPage, CallingPage(sync));
    k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&h, &out]() -> std::optional<sim::Violation> {
      out.answer = GlobalOf(*h.p, "window.answer");
      out.after = GlobalOf(*h.p, "window.after");
      out.after_at_call = h.after_at_call;
      return std::nullopt;
    });
  });
  return out;
}

TEST(HostObjects, W17_ASyncCallHoldsThePagesScriptUntilTheMethodReturnedOnTheUiThread) {
  const HostRun out = RunHostCall(/*sync=*/true, /*remove_first=*/false);
  EXPECT_EQ(out.run.violation.kind, Verdict::kClean) << out.run.violation.report;
  EXPECT_THAT(out.log, ElementsAre("method on ui"));
  EXPECT_EQ(out.after_at_call, "undefined");  // the script waited for the answer
  EXPECT_EQ(out.answer, "42");
  EXPECT_EQ(out.after, "1");
  EXPECT_THAT(out.run.trace, HasSubstr("synchronous host object call bridge.getAnswer()"));
}

TEST(HostObjects, W17_AnAsyncCallLetsTheScriptGoOnAndResolvesLater) {
  const HostRun out = RunHostCall(/*sync=*/false, /*remove_first=*/false);
  EXPECT_EQ(out.run.violation.kind, Verdict::kClean) << out.run.violation.report;
  EXPECT_THAT(out.log, ElementsAre("method on ui"));
  EXPECT_EQ(out.after_at_call, "1");  // the script went on before the UI thread ran the method
  EXPECT_EQ(out.answer, "42");
}

TEST(HostObjects, W17_ACallToARemovedHostObjectThrowsInThePage) {
  const HostRun out = RunHostCall(/*sync=*/true, /*remove_first=*/true);
  EXPECT_EQ(out.run.violation.kind, Verdict::kClean) << out.run.violation.report;
  EXPECT_TRUE(out.log.empty());
  EXPECT_EQ(out.answer, "undefined");
  EXPECT_EQ(out.after, "undefined");  // the throw ended the script
  EXPECT_THAT(out.run.trace, HasSubstr("did not add to the script: it throws"));
}

// WebView2Feedback #3677: a host method that shows a modal dialog runs a nested loop inside a
// WebView2 callback.
Task<> ShowAndClose(Probe& p) { co_await p.rt->CloseDialog(); }

Task<std::string> AskTheUser(Probe& p) {
  Probe* kept = &p;
  co_await p.rt->ShowDialog("Confirm", [kept] { return ShowAndClose(*kept); });
  co_return std::string("true");
}

TEST(HostObjects, W17_AHostMethodThatShowsAModalDialogIsReentrancy) {
  std::vector<std::string> log;
  const RunResult run = RunProgram([&log](Kernel& k) {
    HostProbe& h = k.Make<HostProbe>();
    h.bridge = &k.Make<HostObject>();
    h.p = &MakeProbe(k, &log, [&h](Probe&) { return LoadWithBridge(h); });
    h.bridge->AddMethod("getAnswer", [&h] { return AskTheUser(*h.p); });
    h.p->rt->world().AddPage(kPage, CallingPage(/*sync=*/false));
  });
  EXPECT_EQ(run.violation.kind, WebViewVerdict::kReentrancy) << run.violation.report;
  EXPECT_THAT(run.violation.report, HasSubstr("host object call bridge.getAnswer()"));
}

TEST(HostObjects, W17_ASyncCallWhileTheUiThreadBlocksOnThePagesScriptIsADeadlockNamingBothSides) {
  const sim::ExploreResult buggy =
      ExploreScenario("wv2.sync_host_call_while_ui_waits_on_script", 20000);
  EXPECT_EQ(buggy.verdict, Verdict::kDeadlock);
  const std::string report = Report(buggy);
  EXPECT_THAT(report, HasSubstr("thread ui is blocked in Task.Result(ExecuteScript#1)"));
  EXPECT_THAT(report, HasSubstr("behind the page's synchronous host object call "
                                "bridge.confirmSave(), which waits for the app's method to run "
                                "on thread ui (W17"));
  ExpectClean("wv2.sync_host_call_while_script_awaited");
}

// The assumption (kHostCallsInStaWaitsParam): a host-object call reaches an app whose UI thread
// is in a CLR wait on an STA (.Result), which services COM calls (docs/framework-rules.md F4).
struct ClrProbe {
  Probe* p = nullptr;
  framework::Clr* clr = nullptr;
  sim::Promise<void> answered;
};

Task<std::string> Answer(ClrProbe& c) {
  c.p->log->push_back("method");
  c.answered.Set();
  co_return std::string("42");
}

Task<> WaitForTheAnswer(ClrProbe& c, NavigationEventArgs& args) {
  (void)args;
  ClrProbe* kept = &c;
  co_await kept->p->rt->Post(kept->p->ui, "button_Click", [kept]() -> Task<> {
    // The page's call arrives while the UI thread sits in .Result on a task its method completes.
    co_await kept->p->webview->PostWebMessageAsString("go");
    const framework::NetTask<void> answered(kept->answered.future());
    co_await kept->clr->Result(answered);
    kept->p->log->push_back("result returned");
  });
}

Task<> LoadWithClr(ClrProbe& c, HostObject& bridge) {
  co_await ProbeCreate(*c.p);
  co_await c.p->webview->AddHostObjectToScript("bridge", bridge);
  ClrProbe* kept = &c;
  co_await c.p->webview->add_NavigationCompleted(
      [kept](NavigationEventArgs& args) { return WaitForTheAnswer(*kept, args); });
  co_await c.p->webview->Navigate(kPage);
}

RunResult RunWithClr(int64_t host_calls_in_sta_waits, std::vector<std::string>* log) {
  const sim::Scenario scenario = sim::testing::MakeScenario([log](Kernel& k) {
    ClrProbe& c = k.Make<ClrProbe>();
    framework::Win32& win32 = framework::Win32::Create(k);
    c.clr = &framework::Clr::Create(k, win32);
    c.answered = k.MakePromise<void>("answered");
    HostObject& bridge = k.Make<HostObject>();
    bridge.AddMethod("getAnswer", [&c] { return Answer(c); });
    c.p = &MakeProbe(k, log, [&c, &bridge](Probe&) { return LoadWithClr(c, bridge); });
    c.p->rt->DeliverHostCallsWith(
        [&win32](Thread ui, std::string label, absl::AnyInvocable<Task<>()> call) {
          win32.SendNotifyMessage(ui, std::move(label), std::move(call));
        });
    Page page{.title = "T"};
    page.scripts.push_back(Page::Script::OnWebMessage("go").CallHostSync("bridge", "getAnswer"));
    c.p->rt->world().AddPage(kPage, std::move(page));
  });
  sim::Runner runner(scenario, {{std::string(kHostCallsInStaWaitsParam), host_calls_in_sta_waits}});
  sim::ByteStreamStrategy first({});
  first.BeginExecution(0);
  RunResult result;
  static_cast<sim::RunOutcome&>(result) = runner.Run(first, /*traced=*/true);
  return result;
}

TEST(HostObjects, W17_AHostCallReachesAClrWaitOnAnStaByDefaultAndOnlyTheLoopWithoutIt) {
  std::vector<std::string> log;
  const RunResult pumped = RunWithClr(1, &log);
  EXPECT_EQ(pumped.violation.kind, Verdict::kClean) << pumped.violation.report;
  EXPECT_THAT(log, ElementsAre("method", "result returned"));
  log.clear();
  const RunResult looped = RunWithClr(0, &log);
  EXPECT_EQ(looped.violation.kind, Verdict::kDeadlock) << looped.violation.report;
  EXPECT_TRUE(log.empty());
}

}  // namespace
}  // namespace wvsim::model::webview2
