// Tests for rules A18..A24 of docs/android-rules.md: the app's own thread hops and the callbacks
// that come on threads of their own. Activity.runOnUiThread (A18), View.post and the view tree's
// attach (A19), the page's timers (A20), CookieManager's callbacks (A21), PermissionRequest
// (A22), a View that moves to another view thread (A23), and an app's own onAttachedToWindow
// choosing Chromium's UI thread (A24).
#include <string>
#include <vector>

#include "android_probe.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/android/activity.h"
#include "model/android/clients.h"
#include "model/android/cookie_manager.h"
#include "model/android/page.h"
#include "model/android/runtime.h"
#include "model/android/webview.h"
#include "model/verdicts.h"
#include "test_programs.h"

namespace wvsim::model::android {
namespace {

using sim::Kernel;
using sim::Task;
using sim::Verdict;
using sim::testing::Body;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kUrl = "https://example.com/";

// Appends "<what> on <thread>" to `log`.
Task<> Note(Kernel* kernel, std::vector<std::string>* log, std::string what) {
  log->push_back(what + " on " + kernel->Current().name());
  co_return;
}

Runnable Noting(Kernel& kernel, std::vector<std::string>& log, std::string what) {
  return [kernel = &kernel, log = &log, what = std::move(what)] { return Note(kernel, log, what); };
}

// ---- A18

TEST(AndroidAppThreads, A18_RunOnUiThreadRunsAtOnceOnMainAndIsPostedFromElsewhere) {
  std::vector<std::string> log;
  const Result result = RunAndroid(
      [&log](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        Activity& activity = k.Make<Activity>(rt);
        rt.StartMainThread(Body([&k, &log, &activity]() -> Task<> {
          Runnable action = Noting(k, log, "main's action");
          co_await activity.RunOnUiThread("inline", std::move(action));
          log.push_back("main after runOnUiThread");
        }));
        rt.StartThread("worker", Body([&k, &log, &activity]() -> Task<> {
                         Runnable action = Noting(k, log, "worker's action");
                         co_await activity.RunOnUiThread("posted", std::move(action));
                         log.push_back("worker after runOnUiThread");
                       }));
      },
      kJellyBeanMr2);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  // Main's action ran before runOnUiThread returned; the worker's ran later, on main.
  EXPECT_THAT(log, ElementsAre("main's action on main", "main after runOnUiThread",
                               "worker after runOnUiThread", "worker's action on main"));
}

// ---- A19

TEST(AndroidAppThreads, A19_ViewPostBeforeAttachWaitsForTheViewTreeToAttachTheView) {
  std::vector<std::string> log;
  size_t held = 0;
  const Result result = RunAndroid(
      [&log, &held](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&k, &rt, &log, &held]() -> Task<> {
          WebView* view = co_await WebView::Create(rt);
          Runnable before = Noting(k, log, "posted before attach");
          co_await view->Post("before", std::move(before));
          co_await k.Sleep(10);
          held = view->held_actions();
          log.push_back("attaching");
          co_await view->DispatchAttachedToWindow();
          Runnable after = Noting(k, log, "posted after attach");
          co_await view->Post("after", std::move(after));
        }));
      },
      kJellyBeanMr2);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(held, 1u);  // ten ticks later it had still not run
  EXPECT_THAT(
      log, ElementsAre("attaching", "posted before attach on main", "posted after attach on main"));
}

TEST(AndroidAppThreads, A19_ViewPostOnAViewNeverAttachedNeverRuns) {
  std::vector<std::string> log;
  const Result result = RunAndroid(
      [&log](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&k, &rt, &log]() -> Task<> {
          WebView* view = co_await WebView::Create(rt);
          co_await view->OnAttachedToWindow();  // the app's own call: not the view tree's (A24)
          Runnable action = Noting(k, log, "posted");
          co_await view->Post("never", std::move(action));
        }));
      },
      kJellyBeanMr2);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_TRUE(log.empty());
}

// ---- A20

TEST(AndroidAppThreads, A20_PageTimersRunOnTheJavaScriptThreadAfterTheLoadScript) {
  std::vector<std::string> page_log;
  const Result result = RunAndroid(
      [&page_log](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.AddPage(kUrl, Page{.on_load = {Alert("loading")},
                              .timers = {PageTimer{.delay_ms = 50, .steps = {Alert("late")}},
                                         PageTimer{.delay_ms = 0, .steps = {Alert("soon")}}}});
        rt.StartMainThread(Body([&k, &rt, &page_log]() -> Task<> {
          WebView* view = co_await WebView::Create(rt);
          co_await view->LoadUrl(kUrl);
          k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&page_log, view] {
            page_log = view->page_log();
            return std::optional<sim::Violation>();
          });
        }));
      },
      kJellyBeanMr2);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(page_log,
              ElementsAre("alert(loading) dismissed", "setTimeout#1 fired", "alert(soon) dismissed",
                          "setTimeout#0 fired", "alert(late) dismissed"));
  EXPECT_THAT(result.trace, HasSubstr("setTimeout -> js#1"));
}

// ---- A21

struct CookieRecorder final : BooleanValueCallback {
  explicit CookieRecorder(Kernel& k) : kernel(&k) {}
  Task<> OnReceiveValue(bool value) override {
    log.push_back(kernel->Current().name() + (value ? " true" : " false"));
    co_return;
  }
  Kernel* kernel;
  std::vector<std::string> log;
};

TEST(AndroidAppThreads, A21_CookieCallbacksComeOnTheCallersLooper) {
  std::string cookie;
  std::vector<std::string> log;
  const Result result = RunAndroid(
      [&cookie, &log](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        auto& recorder = k.Make<CookieRecorder>(k);
        rt.StartMainThread(Body([]() -> Task<> { co_return; }));
        rt.StartLooperThread("cookies", Body([&k, &rt, &recorder, &cookie, &log]() -> Task<> {
                               CookieManager* cookies = co_await CookieManagerGetInstance(rt);
                               co_await cookies->SetCookie(kUrl, "a=1", &recorder);
                               co_await k.Sleep(5);
                               cookie = co_await cookies->GetCookie(kUrl);
                               co_await cookies->RemoveAllCookies(&recorder);
                               co_await cookies->RemoveAllCookies(&recorder);
                               k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&log, &recorder] {
                                 log = recorder.log;
                                 return std::optional<sim::Violation>();
                               });
                             }));
      },
      kJellyBeanMr2);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_FALSE(result.trace.empty());
  EXPECT_EQ(cookie, "a=1");
  EXPECT_THAT(log, ElementsAre("cookies true", "cookies true", "cookies false"));
  EXPECT_THAT(result.trace, HasSubstr("setCookie -> background"));
}

TEST(AndroidAppThreads, A21_ACallbackFromAThreadWithoutALooperThrows) {
  const Result result = RunAndroid(
      [](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        auto& recorder = k.Make<CookieRecorder>(k);
        rt.StartThread("worker", Body([&rt, &recorder]() -> Task<> {
                         CookieManager* cookies = co_await CookieManagerGetInstance(rt);
                         co_await cookies->SetCookie(kUrl, "a=1", nullptr);  // fine: no callback
                         co_await cookies->SetCookie(kUrl, "b=2", &recorder);
                       }));
      },
      kJellyBeanMr2);
  EXPECT_EQ(result.violation.kind, Verdict::kException);
  EXPECT_THAT(result.violation.report,
              HasSubstr("SetCookie must be called on a thread with a running Looper. [A21]"));
}

// ---- A22

enum class Answer { kGrantHere, kGrantFromWorker, kGrantTwice, kDefault };

struct PermissionClient final : WebChromeClient {
  PermissionClient(AndroidRuntime& r, Answer a) : rt(&r), answer(a) {}
  Task<> OnPermissionRequest(WebView& view, PermissionRequest& request) override {
    thread = rt->kernel().Current().name();
    resource = request.resource();
    if (answer == Answer::kDefault) {
      co_await WebChromeClient::OnPermissionRequest(view, request);
    } else if (answer == Answer::kGrantFromWorker) {
      PermissionRequest* raw = &request;
      rt->StartThread("worker", Body([raw]() -> Task<> { co_await raw->Grant(); }));
    } else {
      co_await request.Grant();
      if (answer == Answer::kGrantTwice) co_await request.Deny();
    }
  }
  AndroidRuntime* rt;
  Answer answer;
  std::string thread;
  std::string resource;
};

struct PermissionProbe {
  std::string thread;
  std::string resource;
  std::vector<std::string> page_log;
};

Result RunPermission(PermissionProbe& probe, Answer answer, bool with_client = true) {
  return RunAndroid(
      [&probe, answer, with_client](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.AddPage(kUrl, Page{.on_load = {RequestPermission("VIDEO_CAPTURE"),
                                          BridgeCall("Missing", "afterRequest")}});
        auto& client = k.Make<PermissionClient>(rt, answer);
        rt.StartMainThread(Body([&k, &rt, &client, &probe, with_client]() -> Task<> {
          WebView* view = co_await WebView::Create(rt);
          if (with_client) co_await view->SetWebChromeClient(&client);
          co_await view->LoadUrl(kUrl);
          k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&probe, &client, view] {
            probe.thread = client.thread;
            probe.resource = client.resource;
            probe.page_log = view->page_log();
            return std::optional<sim::Violation>();
          });
        }));
      },
      kJellyBeanMr2);
}

TEST(AndroidAppThreads, A22_ThePageDoesNotWaitAndLearnsTheGrantOnItsJavaScriptThread) {
  PermissionProbe probe;
  const Result result = RunPermission(probe, Answer::kGrantHere);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(probe.thread, "main");
  EXPECT_EQ(probe.resource, "VIDEO_CAPTURE");
  // The page's script went on past the request (its next step ran before the answer came).
  EXPECT_THAT(probe.page_log,
              ElementsAre("getUserMedia(VIDEO_CAPTURE) asked",
                          "TypeError: window.Missing is undefined (Missing.afterRequest())",
                          "getUserMedia(VIDEO_CAPTURE) granted"));
  EXPECT_THAT(result.trace, HasSubstr("getUserMedia settles -> js#1"));
}

TEST(AndroidAppThreads, A22_WithoutAClientOrWithTheDefaultTheRequestIsDenied) {
  for (const bool with_client : {false, true}) {
    PermissionProbe probe;
    const Result result = RunPermission(probe, Answer::kDefault, with_client);
    EXPECT_EQ(result.violation.kind, Verdict::kClean);
    EXPECT_THAT(probe.page_log, ::testing::Contains("getUserMedia(VIDEO_CAPTURE) denied"));
  }
}

TEST(AndroidAppThreads, A22_AGrantOffTheUiThreadThrows) {
  PermissionProbe probe;
  const Result result = RunPermission(probe, Answer::kGrantFromWorker);
  EXPECT_EQ(result.violation.kind, Verdict::kException);
  EXPECT_THAT(result.violation.report,
              HasSubstr("java.lang.IllegalStateException: Either grant() or deny() should be "
                        "called on UI thread [A22]"));
}

TEST(AndroidAppThreads, A22_ASecondAnswerThrows) {
  PermissionProbe probe;
  const Result result = RunPermission(probe, Answer::kGrantTwice);
  EXPECT_EQ(result.violation.kind, Verdict::kException);
  EXPECT_THAT(result.violation.report,
              HasSubstr("Either grant() or deny() has been already called. [A22]"));
}

// ---- A23

TEST(AndroidAppThreads, A23_AViewMovedToAWindowOnAnotherThreadFailsItsThreadCheck) {
  const Result result = RunAndroid(
      [](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        WebView** made = &k.Make<WebView*>(nullptr);
        rt.StartMainThread(Body([&rt, made]() -> Task<> { *made = co_await WebView::Create(rt); }));
        rt.StartLooperThread("window2", Body([&k, made]() -> Task<> {
                               while (*made == nullptr) co_await k.Sleep(1);
                               co_await (*made)->DispatchAttachedToWindow();
                             }));
      },
      kJellyBeanMr2);
  EXPECT_EQ(result.violation.kind, WebViewVerdict::kWrongThread);
  EXPECT_THAT(result.violation.report,
              HasSubstr("A WebView method was called on thread 'window2'. All WebView methods "
                        "must be called on the same thread."));
  EXPECT_THAT(result.violation.report, HasSubstr("onAttachedToWindow"));
}

// ---- A24

TEST(AndroidAppThreads, A24_AnAppsOwnOnAttachedToWindowCanMakeItsThreadTheUiThread) {
  std::string ui = "none";
  std::string view_looper;
  const Result result = RunAndroid(
      [&ui, &view_looper](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        WebView** made = &k.Make<WebView*>(nullptr);
        rt.StartMainThread(Body([]() -> Task<> { co_return; }));
        // A legacy app builds its WebView on a view thread of its own (the engine waits for a
        // view method, A4), and a helper thread calls the view method itself before the view
        // tree did.
        rt.StartLooperThread(
            "view_thread", Body([&rt, made]() -> Task<> { *made = co_await WebView::Create(rt); }));
        rt.StartLooperThread("helper", Body([&k, &rt, made, &ui, &view_looper]() -> Task<> {
                               while (*made == nullptr) co_await k.Sleep(1);
                               co_await (*made)->OnAttachedToWindow();
                               ui = rt.ui_looper() != nullptr ? rt.ui_looper()->name() : "none";
                               view_looper = (*made)->looper().name();
                             }));
      },
      17);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(ui, "Looper (helper, tid 3)");  // not the view's own thread
  EXPECT_EQ(view_looper, "Looper (view_thread, tid 2)");
  EXPECT_THAT(result.trace, HasSubstr("A WebView method was called on thread 'helper'"));
}

}  // namespace
}  // namespace wvsim::model::android
