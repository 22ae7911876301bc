// W3b: event args are single-threaded (docs/webview2-rules.md). For each kind of args, one access
// made by the handler on the UI thread is clean, and the same access made by a worker the handler
// started ends the run `wrong_thread`, naming the accessor, the event and both threads, and
// changing nothing.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/verdicts.h"
#include "model/webview2/frames.h"
#include "model/webview2/runtime.h"
#include "test_programs.h"
#include "webview2_probe.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::model::webview2 {
namespace {

using sim::Verdict;
using sim::testing::RunProgram;
using sim::testing::RunResult;
using ::testing::HasSubstr;

template <typename Args>
using Access = std::function<Task<>(Args&)>;
template <typename Args>
using Subscribe = std::function<Task<>(Probe&, Handler<Args>)>;
using Trigger = std::function<Task<>(Probe&)>;

Task<> NavigateHome(Probe& p) { co_await p.webview->Navigate(kPage); }

// What one case needs: the page, how the handler is added, what raises the event, the access.
template <typename Args>
struct AffinityCase {
  Page page;
  Subscribe<Args> subscribe;
  Access<Args> access;
  Trigger trigger = NavigateHome;
};

template <typename Args>
Task<> Handle(Probe& p, Args& args, const Access<Args>& access) {
  if (p.mode == 0) {
    co_await access(args);
    p.log->push_back("accessed on ui");
    co_return;
  }
  // Task.Run(() => use(e)): the args leave their thread.
  p.k->Spawn("worker", access(args));
}

template <typename Args>
Task<> LoadCase(Probe& p, const AffinityCase<Args>& test) {
  co_await ProbeCreate(p);
  Probe* probe = &p;
  const Access<Args>* access = &test.access;
  co_await test.subscribe(p, [probe, access](Args& args) { return Handle(*probe, args, *access); });
  co_await test.trigger(p);
}

template <typename Args>
RunResult RunCase(const AffinityCase<Args>& test, bool on_worker, std::vector<std::string>& log) {
  return RunProgram([&](Kernel& k) {
    Probe& p = MakeProbe(k, &log, [&test](Probe& probe) { return LoadCase(probe, test); });
    p.mode = on_worker ? 1 : 0;
    p.rt->world().AddPage(kPage, test.page);
  });
}

// The handler's own access is clean; the worker's is wrong_thread, reported as `api`.
template <typename Args>
void ExpectAffinity(const AffinityCase<Args>& test, const std::string& api) {
  std::vector<std::string> log;
  const RunResult on_ui = RunCase(test, /*on_worker=*/false, log);
  EXPECT_EQ(on_ui.violation.kind, Verdict::kClean) << on_ui.violation.report;
  EXPECT_THAT(log, ::testing::Contains("accessed on ui"));

  log.clear();
  const RunResult on_worker = RunCase(test, /*on_worker=*/true, log);
  EXPECT_EQ(on_worker.violation.kind, WebViewVerdict::kWrongThread) << on_worker.violation.report;
  EXPECT_EQ(on_worker.violation.place, api);
  EXPECT_THAT(on_worker.violation.report,
              HasSubstr(absl::StrCat("W3b: ", api, " called on thread worker")));
  EXPECT_THAT(on_worker.violation.report, HasSubstr("belong to thread ui"));
  EXPECT_THAT(on_worker.violation.report, HasSubstr("0x802A000C"));
  EXPECT_THAT(on_worker.violation.report, HasSubstr("an assumption"));
}

TEST(WebView2Rules, W3b_NavigationStartingCancelSetOnAWorker) {
  ExpectAffinity(
      AffinityCase<NavigationStartingEventArgs>{
          .page = Page{.title = "Example"},
          .subscribe = [](Probe& p, Handler<NavigationStartingEventArgs> handler) -> Task<> {
            co_await p.webview->add_NavigationStarting(std::move(handler));
          },
          .access = [](NavigationStartingEventArgs& args) -> Task<> {
            co_await args.cancel.put(false);
          }},
      "NavigationStartingEventArgs.put_Cancel");
}

TEST(WebView2Rules, W3b_NavigationCompletedIsSuccessReadOnAWorker) {
  ExpectAffinity(AffinityCase<NavigationEventArgs>{
                     .page = Page{.title = "Example"},
                     .subscribe = [](Probe& p, Handler<NavigationEventArgs> handler) -> Task<> {
                       co_await p.webview->add_NavigationCompleted(std::move(handler));
                     },
                     .access = [](NavigationEventArgs& args) -> Task<> {
                       const bool loaded = co_await args.is_success.get();
                       EXPECT_TRUE(loaded);
                     }},
                 "NavigationCompletedEventArgs.get_IsSuccess");
}

TEST(WebView2Rules, W3b_WebMessageReadOnAWorker) {
  ExpectAffinity(
      AffinityCase<WebMessageReceivedEventArgs>{
          .page = Page{.title = "Example", .web_message = "ready"},
          .subscribe = [](Probe& p, Handler<WebMessageReceivedEventArgs> handler) -> Task<> {
            co_await p.webview->add_WebMessageReceived(std::move(handler));
          },
          .access = [](WebMessageReceivedEventArgs& args) -> Task<> {
            const std::string message = co_await args.TryGetWebMessageAsString();
            EXPECT_EQ(message, "ready");
          }},
      "WebMessageReceivedEventArgs.TryGetWebMessageAsString");
}

TEST(WebView2Rules, W3b_WebResourceRequestUriReadOnAWorker) {
  ExpectAffinity(
      AffinityCase<WebResourceRequestedEventArgs>{
          .page = Page{.title = "Example", .subresource = "https://app.example/data.json"},
          .subscribe = [](Probe& p, Handler<WebResourceRequestedEventArgs> handler) -> Task<> {
            co_await p.webview->add_WebResourceRequested(std::move(handler));
          },
          .access = [](WebResourceRequestedEventArgs& args) -> Task<> {
            const std::string uri = co_await args.uri.get();
            EXPECT_EQ(uri, "https://app.example/data.json");
          }},
      "WebResourceRequestedEventArgs.get_Uri");
}

TEST(WebView2Rules, W3b_NewWindowHandledSetOnAWorker) {
  ExpectAffinity(
      AffinityCase<NewWindowRequestedEventArgs>{
          .page = Page{.title = "Example", .window_open = "https://app.example/popup"},
          .subscribe = [](Probe& p, Handler<NewWindowRequestedEventArgs> handler) -> Task<> {
            co_await p.webview->add_NewWindowRequested(std::move(handler));
          },
          .access = [](NewWindowRequestedEventArgs& args) -> Task<> {
            co_await args.handled.put(true);
          }},
      "NewWindowRequestedEventArgs.put_Handled");
}

TEST(WebView2Rules, W3b_PermissionStateSetOnAWorker) {
  ExpectAffinity(
      AffinityCase<DeferrableEventArgs>{
          .page = Page{.title = "Example", .events = {DeferrableEvent::kPermissionRequested}},
          .subscribe = [](Probe& p, Handler<DeferrableEventArgs> handler) -> Task<> {
            co_await p.webview->add_DeferrableEvent(DeferrableEvent::kPermissionRequested,
                                                    std::move(handler));
          },
          .access = [](DeferrableEventArgs& args) -> Task<> {
            co_await args.state.put(PermissionState::kAllow);
          }},
      "PermissionRequestedEventArgs.put_State");
}

// Navigates; once the page loaded (it has a renderer then), `fault` strikes.
Task<> NavigateThen(Probe& p, void (*fault)(Probe&)) {
  co_await p.webview->add_NavigationCompleted([&p, fault](NavigationEventArgs&) -> Task<> {
    fault(p);
    co_return;
  });
  co_await p.webview->Navigate(kPage);
}

Task<> NavigateThenCrashRenderer(Probe& p) {
  co_await NavigateThen(p, [](Probe& probe) { probe.rt->world().CrashRenderer(*probe.webview); });
}

TEST(WebView2Rules, W3b_ProcessFailedKindReadOnAWorker) {
  ExpectAffinity(AffinityCase<ProcessFailedEventArgs>{
                     .page = Page{.title = "Example"},
                     .subscribe = [](Probe& p, Handler<ProcessFailedEventArgs> handler) -> Task<> {
                       co_await p.webview->add_ProcessFailed(std::move(handler));
                     },
                     .access = [](ProcessFailedEventArgs& args) -> Task<> {
                       const ProcessFailedKind kind = co_await args.kind.get();
                       EXPECT_EQ(kind, ProcessFailedKind::kRenderProcessExited);
                     },
                     .trigger = NavigateThenCrashRenderer},
                 "ProcessFailedEventArgs.get_ProcessFailedKind");
}

TEST(WebView2Rules, W3b_FrameCreatedFrameReadOnAWorker) {
  ExpectAffinity(
      AffinityCase<FrameCreatedEventArgs>{
          .page = Page{.title = "Example",
                       .frames = {Page::Frame{.name = "ads", .uri = "https://ads.example/"}}},
          .subscribe = [](Probe& p, Handler<FrameCreatedEventArgs> handler) -> Task<> {
            co_await p.webview->add_FrameCreated(std::move(handler));
          },
          .access = [](FrameCreatedEventArgs& args) -> Task<> {
            CoreWebView2Frame* frame = co_await args.frame.get();
            EXPECT_NE(frame, nullptr);
          }},
      "FrameCreatedEventArgs.get_Frame");
}

Task<> NavigateThenCrashBrowser(Probe& p) {
  co_await NavigateThen(p, [](Probe& probe) { probe.rt->world().CrashBrowser(*probe.env); });
}

TEST(WebView2Rules, W3b_BrowserProcessExitedKindReadOnAWorker) {
  ExpectAffinity(
      AffinityCase<BrowserProcessExitedEventArgs>{
          .page = Page{.title = "Example"},
          .subscribe = [](Probe& p, Handler<BrowserProcessExitedEventArgs> handler) -> Task<> {
            co_await p.env->add_BrowserProcessExited(std::move(handler));
          },
          .access = [](BrowserProcessExitedEventArgs& args) -> Task<> {
            const BrowserProcessExitKind kind = co_await args.kind.get();
            EXPECT_EQ(kind, BrowserProcessExitKind::kFailed);
          },
          .trigger = NavigateThenCrashBrowser},
      "BrowserProcessExitedEventArgs.get_BrowserProcessExitKind");
}

// The built-in pair: a background policy check that sets State itself, and the fix that marshals.
TEST(WebView2Rules, W3b_TheScenarioPairIsFoundAndItsFixIsClean) {
  const sim::ExploreResult result = ExploreScenario("wv2.permission_state_set_on_worker");
  EXPECT_EQ(result.verdict, WebViewVerdict::kWrongThread);
  EXPECT_THAT(Report(result),
              HasSubstr("W3b: PermissionRequestedEventArgs.put_State called on thread policy"));
  ExpectClean("wv2.permission_state_marshalled");
}

}  // namespace
}  // namespace wvsim::model::webview2
