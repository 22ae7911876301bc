// Tests for the WebView2 model's navigation (navigation.cc), window.open (W9.1), frame
// permissions (W9.4), request content (W10) and the scenarios of calls the runtime refuses
// (scenarios_api_errors.cc), each named after its rule id.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/verdicts.h"
#include "model/webview2/frames.h"
#include "model/webview2/runtime.h"
#include "sim/explorer.h"
#include "sim/runner.h"
#include "test_programs.h"
#include "webview2_probe.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::model::webview2 {
namespace {

using sim::ExploreResult;
using sim::Verdict;
using sim::testing::RunProgram;
using sim::testing::RunResult;
using ::testing::HasSubstr;

constexpr char kNewPage[] = "https://app.example/new.html";

// The handler's await: an answer that a thread of the app's own sets (a policy service).
Task<> AnswerLater(Kernel& k, Promise<bool> answer) {
  co_await k.Yield({"lookup", nullptr});
  answer.Set(true);
}

Async<bool> LookupAsync(Probe& p) {
  Promise<bool> answer = p.k->MakePromise<bool>("LookupAsync");
  p.k->Spawn("lookup", AnswerLater(*p.k, answer));
  return p.rt->AsAsync(answer.future());
}

std::string Describe(const char* event, const NavigationEventArgs& args) {
  return absl::StrCat(
      event, " ", args.navigation_id.Peek(), args.is_success.Peek() ? "" : " failed",
      args.web_error_status.Peek() == WebErrorStatus::kOperationCanceled ? " OperationCanceled"
                                                                         : "");
}

// The tests observe the args with Peek (no scheduling point); what a handler decides, it sets
// with put, as an app does.

// Each handler logs its event; `mode` 1 also checks the order, failing the run if it breaks.
Task<> LogNavigationEvent(Probe& p, const char* event, const NavigationEventArgs& args) {
  p.log->push_back(Describe(event, args));
  co_return;
}

Task<> OnStartingLog(Probe& p, NavigationStartingEventArgs& args) {
  p.log->push_back(absl::StrCat("NavigationStarting ", args.navigation_id.Peek()));
  if (p.mode == 1) co_await args.cancel.put(true);  // W9: before any await: read
  if (p.mode == 2) {
    Async<bool> lookup = LookupAsync(p);
    const bool blocked = co_await lookup;
    co_await args.cancel.put(blocked);  // W9: after the first await: not read
  }
}

Task<> SubscribeAll(Probe& p) {
  Probe* probe = &p;
  co_await p.webview->add_NavigationStarting(
      [probe](NavigationStartingEventArgs& args) { return OnStartingLog(*probe, args); });
  co_await p.webview->add_ContentLoading([probe](NavigationEventArgs& args) {
    return LogNavigationEvent(*probe, "ContentLoading", args);
  });
  co_await p.webview->add_DOMContentLoaded([probe](NavigationEventArgs& args) {
    return LogNavigationEvent(*probe, "DOMContentLoaded", args);
  });
  co_await p.webview->add_NavigationCompleted([probe](NavigationEventArgs& args) {
    return LogNavigationEvent(*probe, "NavigationCompleted", args);
  });
}

Task<> NavigateWithAllHandlers(Probe& p) {
  co_await ProbeCreate(p);
  co_await SubscribeAll(p);
  co_await p.webview->Navigate(kPage);
}

void NavigationProgram(Kernel& k, std::vector<std::string>* log, int mode) {
  Probe& p = MakeProbe(k, log, [](Probe& probe) { return NavigateWithAllHandlers(probe); });
  p.mode = mode;
  p.rt->world().AddPage(kPage, Page{.title = "T"});
}

const std::vector<std::string> kLoaded = {"NavigationStarting 1", "ContentLoading 1",
                                          "DOMContentLoaded 1", "NavigationCompleted 1"};

TEST(WebView2Rules, W2_NavigationEventsArriveInOrder) {
  std::vector<std::string> log;
  const RunResult run = RunProgram([&log](Kernel& k) { NavigationProgram(k, &log, 0); });
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  EXPECT_EQ(log, kLoaded);
  // The order holds under every schedule the portfolio tries, each event on the UI thread (the
  // handler boundary's serial_callbacks self-check).
  std::vector<std::string> each;
  sim::ExploreConfig config;
  config.strategy = "portfolio";
  config.iterations = 500;
  const sim::Scenario scenario = sim::testing::MakeScenario([&each](Kernel& k) {
    each.clear();
    NavigationProgram(k, &each, 0);
    k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&each]() -> std::optional<sim::Violation> {
      if (each == kLoaded) return std::nullopt;
      return sim::Violation{Verdict::kAssertion, "order", absl::StrJoin(each, ", ")};
    });
  });
  const absl::StatusOr<ExploreResult> result = sim::Explore(scenario, config);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->verdict, Verdict::kClean) << Report(*result);
}

TEST(WebView2Rules, W9_NavigationStartingCancelIsReadSynchronously) {
  std::vector<std::string> cancelled;
  const RunResult sync =
      RunProgram([&cancelled](Kernel& k) { NavigationProgram(k, &cancelled, 1); });
  EXPECT_EQ(sync.violation.kind, Verdict::kClean) << sync.violation.report;
  // Cancelled: no ContentLoading, and NavigationCompleted reports OperationCanceled.
  EXPECT_EQ(cancelled,
            (std::vector<std::string>{"NavigationStarting 1",
                                      "NavigationCompleted 1 failed OperationCanceled"}));
  EXPECT_THAT(sync.trace, HasSubstr("NavigationStarting#1: Cancel read as true"));
  std::vector<std::string> late;
  const RunResult after_await = RunProgram([&late](Kernel& k) { NavigationProgram(k, &late, 2); });
  EXPECT_EQ(after_await.violation.kind, Verdict::kClean) << after_await.violation.report;
  EXPECT_EQ(late, kLoaded);  // Cancel was set after the await: the page loaded
  EXPECT_THAT(after_await.trace, HasSubstr("NavigationStarting#1: Cancel read as false"));
}

// ---- W7: ExecuteScript after NavigationStarting runs in the new document.

Task<> ScriptInNavigationStarting(Probe& p, NavigationStartingEventArgs& args) {
  if (args.uri.Peek() != kNewPage) co_return;
  if (p.mode == 1) co_await args.cancel.put(true);
  Async<std::string> title = co_await p.webview->ExecuteScriptAsync("document.title");
  p.log->push_back("script: " + co_await title);
}

Task<> NavigateOnToNew(Probe& p, NavigationEventArgs& args) {
  p.log->push_back(Describe("NavigationCompleted", args));
  if (args.uri.Peek() == kPage) co_await p.webview->Navigate(kNewPage);
}

Task<> LogContentLoading(Probe& p, NavigationEventArgs& args) {
  p.log->push_back(Describe("ContentLoading", args));
  co_return;
}

Task<> LoadOldThenNew(Probe& p) {
  co_await ProbeCreate(p);
  Probe* probe = &p;
  co_await p.webview->add_NavigationStarting([probe](NavigationStartingEventArgs& args) {
    return ScriptInNavigationStarting(*probe, args);
  });
  co_await p.webview->add_ContentLoading(
      [probe](NavigationEventArgs& args) { return LogContentLoading(*probe, args); });
  co_await p.webview->add_NavigationCompleted(
      [probe](NavigationEventArgs& args) { return NavigateOnToNew(*probe, args); });
  co_await p.webview->Navigate(kPage);
}

TEST(WebView2Rules, W7_ScriptAfterNavigationStartingRunsInNewDocument) {
  for (int mode : {0, 1}) {
    std::vector<std::string> log;
    const RunResult run = RunProgram([&log, mode](Kernel& k) {
      Probe& p = MakeProbe(k, &log, [](Probe& probe) { return LoadOldThenNew(probe); });
      p.mode = mode;
      p.rt->world().AddPage(kPage, Page{.title = "Old"});
      p.rt->world().AddPage(kNewPage, Page{.title = "New"});
    });
    EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
    if (mode == 0) {
      // The script waited for the commit: it ran in the new document, after its ContentLoading
      // (its continuation is a message of its own, so it comes after NavigationCompleted here).
      EXPECT_EQ(log, (std::vector<std::string>{"ContentLoading 1", "NavigationCompleted 1",
                                               "ContentLoading 2", "NavigationCompleted 2",
                                               "script: \"New\""}));
    } else {
      // The navigation was cancelled: the script runs in the document that stays.
      EXPECT_EQ(log, (std::vector<std::string>{"ContentLoading 1", "NavigationCompleted 1",
                                               "NavigationCompleted 2 failed OperationCanceled",
                                               "script: \"Old\""}));
    }
  }
}

// ---- W9.1: NewWindow set while the deferral is open.

Task<> OnPopupNavigated(Probe& p, NavigationEventArgs& args) {
  p.log->push_back("popup loaded " + args.uri.Peek());
  co_return;
}

Task<> SetWindowThenComplete(Probe& p, NewWindowRequestedEventArgs& args) {
  Deferral deferral = args.GetDeferral();
  Async<Controller*> op = co_await p.env->CreateCoreWebView2ControllerAsync();
  CoreWebView2& popup = (co_await op)->CoreWebView2();
  Probe* probe = &p;
  co_await popup.add_NavigationCompleted(
      [probe](NavigationEventArgs& loaded) { return OnPopupNavigated(*probe, loaded); });
  Async<std::string> before = co_await p.webview->ExecuteScriptAsync("window.popupOpened");
  p.log->push_back("opener before: " + co_await before);
  co_await args.SetNewWindow(&popup);
  // The opener's script went on at the set; the popup still waits for the deferral.
  Async<std::string> after = co_await p.webview->ExecuteScriptAsync("window.popupOpened");
  p.log->push_back("opener after: " + co_await after);
  p.log->push_back("popup at " + std::string(p.rt->world().Document(popup)));
  deferral.Complete();
}

Task<> LoadOpener(Probe& p) {
  co_await ProbeCreate(p);
  Probe* probe = &p;
  co_await p.webview->add_NewWindowRequested(
      [probe](NewWindowRequestedEventArgs& args) { return SetWindowThenComplete(*probe, args); });
  co_await p.webview->Navigate(kPage);
}

TEST(WebView2Rules, W9_NewWindowSetCompletesEarly) {
  std::vector<std::string> log;
  const RunResult run = RunProgram([&log](Kernel& k) {
    Probe& p = MakeProbe(k, &log, [](Probe& probe) { return LoadOpener(probe); });
    p.rt->world().AddPage(kPage, Page{.title = "T", .window_open = "https://app.example/popup"});
  });
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  EXPECT_EQ(log, (std::vector<std::string>{"opener before: null", "opener after: true",
                                           "popup at about:blank",
                                           "popup loaded https://app.example/popup"}));
  EXPECT_THAT(run.trace, HasSubstr("NewWindow set while the deferral is open: the opener goes on"));
  EXPECT_LT(run.trace.find("window.open returns"), run.trace.find("NewWindowRequested#1 deferral"));
}

// ---- W9.4: PermissionRequested on frames.

struct FrameProbe {
  Deferral frame_deferral;
  Deferral webview_deferral;
};

Task<> OnFramePermission(Probe& p, FrameProbe& kept, DeferrableEventArgs& args) {
  p.log->push_back("frame " + args.frame.Peek()->Name());
  if (p.mode == 1) {
    co_await args.handled.put(true);  // before returning: the WebView's handlers do not run
    co_await args.state.put(PermissionState::kDeny);
  }
  if (p.mode == 2) kept.frame_deferral = args.GetDeferral();  // not handled: both run
  co_return;
}

// After both handlers returned: each deferral holds the frame's script; the outcome comes only
// when the second one completes.
Task<> CompleteBoth(Probe& p, FrameProbe& kept) {
  kept.frame_deferral.Complete();
  p.log->push_back(
      absl::StrCat("outcomes after the frame's: ", p.rt->world().EventOutcomes(*p.webview).size()));
  kept.webview_deferral.Complete();
  p.log->push_back(
      absl::StrCat("outcomes after both: ", p.rt->world().EventOutcomes(*p.webview).size()));
  co_return;
}

Task<> OnWebViewPermission(Probe& p, FrameProbe& kept, DeferrableEventArgs& args) {
  p.log->push_back("webview");
  co_await args.state.put(PermissionState::kAllow);
  if (p.mode != 2) co_return;
  kept.webview_deferral = args.GetDeferral();
  Probe* probe = &p;
  FrameProbe* state = &kept;
  co_await p.rt->Post(p.ui, "decide", [probe, state] { return CompleteBoth(*probe, *state); });
}

Task<> OnFrameSubscribe(Probe& p, FrameProbe& kept, FrameCreatedEventArgs& args) {
  Probe* probe = &p;
  FrameProbe* state = &kept;
  CoreWebView2Frame* frame = co_await args.frame.get();
  co_await frame->add_PermissionRequested([probe, state](DeferrableEventArgs& asked) {
    return OnFramePermission(*probe, *state, asked);
  });
}

Task<> LoadWithPermissionFrame(Probe& p, FrameProbe& kept) {
  co_await ProbeCreate(p);
  Probe* probe = &p;
  FrameProbe* state = &kept;
  co_await p.webview->add_FrameCreated([probe, state](FrameCreatedEventArgs& args) {
    return OnFrameSubscribe(*probe, *state, args);
  });
  co_await p.webview->add_DeferrableEvent(DeferrableEvent::kPermissionRequested,
                                          [probe, state](DeferrableEventArgs& args) {
                                            return OnWebViewPermission(*probe, *state, args);
                                          });
  co_await p.webview->Navigate(kPage);
}

TEST(WebView2Rules, W9_FramePermissionHandlersRunFirst) {
  const std::vector<std::vector<std::string>> expected = {
      {"frame pay", "webview",
       "CoreWebView2Frame.PermissionRequested#1: the permission is granted"},
      {"frame pay", "CoreWebView2Frame.PermissionRequested#1: the permission is denied"},
      {"frame pay", "webview", "outcomes after the frame's: 0", "outcomes after both: 1",
       "CoreWebView2Frame.PermissionRequested#1: the permission is granted"},
  };
  for (int mode : {0, 1, 2}) {
    std::vector<std::string> log;
    const RunResult run = RunProgram([&log, mode](Kernel& k) {
      FrameProbe& kept = k.Make<FrameProbe>();
      FrameProbe* state = &kept;
      Probe& p = MakeProbe(
          k, &log, [state](Probe& probe) { return LoadWithPermissionFrame(probe, *state); });
      p.mode = mode;
      p.rt->world().AddPage(kPage, Page{.title = "T",
                                        .frames = {{.name = "pay",
                                                    .uri = "https://pay.example/checkout",
                                                    .requests_permission = true}}});
      Probe* probe = &p;
      k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [probe]() -> std::optional<sim::Violation> {
        for (const std::string& outcome : probe->rt->world().EventOutcomes(*probe->webview)) {
          probe->log->push_back(outcome);
        }
        return std::nullopt;
      });
    });
    EXPECT_EQ(run.violation.kind, Verdict::kClean) << mode << ": " << run.violation.report;
    EXPECT_EQ(log, expected[mode]) << mode;
  }
}

// ---- W10: the request's content.

Task<> ReadPostBody(Probe& p, WebResourceRequestedEventArgs& args) {
  std::string body;
  RequestContent* content = co_await args.content.get();
  if (content != nullptr) {
    for (std::string chunk = content->Read(4); !chunk.empty(); chunk = content->Read(4)) {
      body += chunk;
    }
  }
  const std::string method = co_await args.method.get();
  const std::string uri = co_await args.uri.get();
  p.log->push_back(method + " " + uri + " " + body);
  ResponseStream& response = p.rt->CreateResponseStream(/*agile=*/true, 1, nullptr);
  co_await args.response.put(&response);
}

Task<> LoadWithPost(Probe& p) {
  co_await ProbeCreate(p);
  Probe* probe = &p;
  co_await p.webview->add_WebResourceRequested(
      [probe](WebResourceRequestedEventArgs& args) { return ReadPostBody(*probe, args); });
  co_await p.webview->add_NavigationCompleted([probe](NavigationEventArgs& args) {
    return LogNavigationEvent(*probe, "NavigationCompleted", args);
  });
  co_await p.webview->Navigate(kPage);
}

TEST(WebView2Rules, W10_RequestContentOfAPostIsReadByTheAppInTheHandler) {
  for (const bool post : {true, false}) {
    std::vector<std::string> log;
    const RunResult run = RunProgram([&log, post](Kernel& k) {
      Probe& p = MakeProbe(k, &log, [](Probe& probe) { return LoadWithPost(probe); });
      p.rt->world().AddPage(kPage, Page{.title = "T",
                                        .subresource = "https://app.example/api/score",
                                        .subresource_body = post ? "user=ada&score=3" : ""});
    });
    EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
    const std::string request = post ? "POST https://app.example/api/score user=ada&score=3"
                                     : "GET https://app.example/api/score ";
    EXPECT_EQ(log, (std::vector<std::string>{request, "NavigationCompleted 1"}));
  }
}

// ---- Scenarios: navigation cancel (W9) and calls the runtime refuses (W1, W7, W8, W11).

// The buggy scenario ends with `verdict`, its report naming `text`; its clean twin stays clean.
void ExpectFoundAndTwinClean(std::string_view id, Verdict verdict, std::string_view text,
                             std::string_view twin) {
  const ExploreResult result = ExploreScenario(id);
  EXPECT_EQ(result.verdict, verdict) << id;
  EXPECT_THAT(Report(result), HasSubstr(text)) << id;
  if (!twin.empty()) ExpectClean(twin);
}

TEST(WebView2Rules, W9_NavigationCancelScenarios) {
  ExpectFoundAndTwinClean("wv2.navigation_cancel_after_await", Verdict::kAssertion,
                          "W9: the NavigationStarting handler set Cancel",
                          "wv2.navigation_cancel_synchronous");
}

TEST(WebView2Rules, W1_CreatedWithoutComScenarioThrowsCoENotInitialized) {
  ExpectFoundAndTwinClean("wv2.created_without_com", Verdict::kException, "0x800401F0", "");
}

TEST(WebView2Rules, W7_PrintWhilePrintingScenarioFailsWithEAbort) {
  ExpectFoundAndTwinClean("wv2.print_while_printing", Verdict::kException, "0x80004004",
                          "wv2.print_serialized");
}

TEST(WebView2Rules, W8_DeferralCompletedTwiceScenarioIsReported) {
  ExpectFoundAndTwinClean("wv2.deferral_completed_twice", WebViewVerdict::kDeferralDoubleComplete,
                          "W8: the deferral of ScriptDialogOpening#1",
                          "wv2.deferral_completed_once");
}

TEST(WebView2Rules, W11_SecondEnvironmentWithOtherOptionsFailsWithErrorInvalidState) {
  ExpectFoundAndTwinClean("wv2.second_environment_other_options", Verdict::kException, "0x8007139F",
                          "wv2.second_environment_own_folder");
}

// ---- W12: a browser process that hangs.

TEST(WebView2Rules, W12_BrowserHangLeavesTheAwaitedScriptIncomplete) {
  const ExploreResult result = ExploreScenario("wv2.browser_hang_during_script");
  EXPECT_EQ(result.verdict, Verdict::kStall);
  EXPECT_THAT(Report(result), HasSubstr("ExecuteScript#1 is not complete: browser process browser "
                                        "hangs (a fault, W12)"));
  // No ProcessFailed reports the hang; the trace says when it came.
  ASSERT_FALSE(result.found.empty());
  sim::Runner runner(Builtin("wv2.browser_hang_during_script"), {{"fault_budget", 1}});
  const sim::RunOutcome replayed = runner.Replay(result.found[0].schedule.decisions, false);
  EXPECT_EQ(replayed.violation.kind, Verdict::kStall);
  const std::string trace = runner.kernel().TraceText();
  EXPECT_THAT(trace, HasSubstr("W12: browser process browser hangs"));
  EXPECT_THAT(trace, ::testing::Not(HasSubstr("ProcessFailed#")));
}

}  // namespace
}  // namespace wvsim::model::webview2
