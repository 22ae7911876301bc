// W3: event registration (add_*) is a call into a WebView2 object like any other
// (docs/webview2-rules.md): a scheduling point, then the thread check. For each registration the
// app can make, the UI thread's is clean, and a worker's ends the run `wrong_thread`, naming the
// registration, the object and both threads, with the Win32 HRESULT and the .NET text.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
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

// Registers one handler that does nothing, on whatever thread runs it.
using Register = std::function<Task<>(Probe&)>;

Task<> Ignore(Probe& p) {
  (void)p;
  co_return;
}

template <typename Args>
Handler<Args> DoNothing(Probe& p) {
  Probe* probe = &p;
  return [probe](Args&) { return Ignore(*probe); };
}

Task<> RegisterAndLog(Probe& p, const Register& registration) {
  co_await registration(p);
  p.log->push_back(p.mode == 0 ? "registered on ui" : "registered on worker");
}

// mode 0: the UI thread registers; mode 1: a worker it started does (Task.Run(() => wv.X += h)).
Task<> RegisterOnUiOrWorker(Probe& p, const Register& registration) {
  if (p.mode == 0) {
    co_await RegisterAndLog(p, registration);
    co_return;
  }
  p.k->Spawn("worker", RegisterAndLog(p, registration));
}

Task<> LoadAndRegister(Probe& p, const Register& registration) {
  co_await ProbeCreate(p);
  co_await RegisterOnUiOrWorker(p, registration);
}

RunResult RunRegistration(const Register& registration, bool on_worker,
                          std::vector<std::string>& log) {
  return RunProgram([&](Kernel& k) {
    Probe& p = MakeProbe(
        k, &log, [&registration](Probe& probe) { return LoadAndRegister(probe, registration); });
    p.mode = on_worker ? 1 : 0;
  });
}

void ExpectWrongThread(const RunResult& run, const std::string& api, const std::string& object) {
  EXPECT_EQ(run.violation.kind, WebViewVerdict::kWrongThread) << run.violation.report;
  EXPECT_EQ(run.violation.place, api);
  EXPECT_THAT(run.violation.report,
              HasSubstr(absl::StrCat("W3: ", api, " called on thread worker, but ", object,
                                     " belongs to thread ui")));
  EXPECT_THAT(run.violation.report, HasSubstr("0x802A000C"));
  EXPECT_THAT(run.violation.report, HasSubstr(kDotNetWrongThreadText));
}

struct RegistrationCase {
  std::string api;  // the registration's name in the report: "add_WebMessageReceived"
  Register registration;
};

std::vector<RegistrationCase> WebViewRegistrations() {
  std::vector<RegistrationCase> cases = {
      {"add_NavigationStarting",
       [](Probe& p) {
         return p.webview->add_NavigationStarting(DoNothing<NavigationStartingEventArgs>(p));
       }},
      {"add_ContentLoading",
       [](Probe& p) { return p.webview->add_ContentLoading(DoNothing<NavigationEventArgs>(p)); }},
      {"add_DOMContentLoaded",
       [](Probe& p) { return p.webview->add_DOMContentLoaded(DoNothing<NavigationEventArgs>(p)); }},
      {"add_NavigationCompleted",
       [](Probe& p) {
         return p.webview->add_NavigationCompleted(DoNothing<NavigationEventArgs>(p));
       }},
      {"add_WebMessageReceived",
       [](Probe& p) {
         return p.webview->add_WebMessageReceived(DoNothing<WebMessageReceivedEventArgs>(p));
       }},
      {"add_WebResourceRequested",
       [](Probe& p) {
         return p.webview->add_WebResourceRequested(DoNothing<WebResourceRequestedEventArgs>(p));
       }},
      {"add_NewWindowRequested",
       [](Probe& p) {
         return p.webview->add_NewWindowRequested(DoNothing<NewWindowRequestedEventArgs>(p));
       }},
      {"add_ProcessFailed",
       [](Probe& p) { return p.webview->add_ProcessFailed(DoNothing<ProcessFailedEventArgs>(p)); }},
      {"add_FrameCreated",
       [](Probe& p) { return p.webview->add_FrameCreated(DoNothing<FrameCreatedEventArgs>(p)); }},
  };
  for (int i = 0; i < kDeferrableEventCount; ++i) {
    const auto event = static_cast<DeferrableEvent>(i);
    cases.push_back({absl::StrCat("add_", InfoOf(event).name), [event](Probe& p) -> Task<> {
                       co_await p.webview->add_DeferrableEvent(event,
                                                               DoNothing<DeferrableEventArgs>(p));
                     }});
  }
  return cases;
}

TEST(WebView2Rules, W3_EveryWebViewEventRegistrationFromAWorkerIsWrongThread) {
  for (const RegistrationCase& test : WebViewRegistrations()) {
    SCOPED_TRACE(test.api);
    std::vector<std::string> log;
    const RunResult on_ui = RunRegistration(test.registration, /*on_worker=*/false, log);
    EXPECT_EQ(on_ui.violation.kind, Verdict::kClean) << on_ui.violation.report;
    EXPECT_THAT(log, ::testing::ElementsAre("registered on ui"));
    // The registration is a step of its own in the trace: a scheduling point.
    EXPECT_THAT(on_ui.trace, HasSubstr(absl::StrCat(test.api, "(CoreWebView2#1)")));

    log.clear();
    const RunResult on_worker = RunRegistration(test.registration, /*on_worker=*/true, log);
    EXPECT_TRUE(log.empty()) << log.front();  // the check throws: nothing was registered
    ExpectWrongThread(on_worker, test.api, "CoreWebView2#1");
  }
}

TEST(WebView2Rules, W3_BrowserProcessExitedRegisteredFromAWorkerIsWrongThread) {
  const Register registration = [](Probe& p) -> Task<> {
    co_await p.env->add_BrowserProcessExited(DoNothing<BrowserProcessExitedEventArgs>(p));
  };
  std::vector<std::string> log;
  const RunResult on_ui = RunRegistration(registration, /*on_worker=*/false, log);
  EXPECT_EQ(on_ui.violation.kind, Verdict::kClean) << on_ui.violation.report;
  EXPECT_THAT(log, ::testing::ElementsAre("registered on ui"));

  log.clear();
  const RunResult on_worker = RunRegistration(registration, /*on_worker=*/true, log);
  EXPECT_TRUE(log.empty());
  ExpectWrongThread(on_worker, "add_BrowserProcessExited", "Environment#1");
}

// A frame's PermissionRequested, registered from the WebView's FrameCreated handler (on the UI
// thread) or from a worker that handler started.
Task<> RegisterOnFrame(Probe& p, FrameCreatedEventArgs& args) {
  CoreWebView2Frame* frame = co_await args.frame.get();
  const Register registration = [frame](Probe& probe) -> Task<> {
    co_await frame->add_PermissionRequested(DoNothing<DeferrableEventArgs>(probe));
  };
  const Register* kept = &p.k->Make<Register>(registration);
  co_await RegisterOnUiOrWorker(p, *kept);
}

Task<> LoadWithFrame(Probe& p) {
  co_await ProbeCreate(p);
  Probe* probe = &p;
  co_await p.webview->add_FrameCreated(
      [probe](FrameCreatedEventArgs& args) { return RegisterOnFrame(*probe, args); });
  co_await p.webview->Navigate(kPage);
}

RunResult RunFrameRegistration(bool on_worker, std::vector<std::string>& log) {
  return RunProgram([&](Kernel& k) {
    Probe& p = MakeProbe(k, &log, LoadWithFrame);
    p.mode = on_worker ? 1 : 0;
    p.rt->world().AddPage(
        kPage, Page{.title = "Example",
                    .frames = {Page::Frame{.name = "ads", .uri = "https://ads.example/"}}});
  });
}

TEST(WebView2Rules, W3_FramePermissionRequestedRegisteredFromAWorkerIsWrongThread) {
  std::vector<std::string> log;
  const RunResult on_ui = RunFrameRegistration(/*on_worker=*/false, log);
  EXPECT_EQ(on_ui.violation.kind, Verdict::kClean) << on_ui.violation.report;
  EXPECT_THAT(log, ::testing::ElementsAre("registered on ui"));

  log.clear();
  const RunResult on_worker = RunFrameRegistration(/*on_worker=*/true, log);
  EXPECT_TRUE(log.empty());
  ExpectWrongThread(on_worker, "CoreWebView2Frame.add_PermissionRequested", "CoreWebView2Frame#1");
}

}  // namespace
}  // namespace wvsim::model::webview2
