// Tests for rules A25..A28 of docs/android-rules.md: shouldOverrideUrlLoading for navigations the
// page starts (A25), onReceivedError for a load that fails (A26), postVisualStateCallback's order
// behind the page's queued work (A27), and onCreateWindow with its resultMsg (A28). Every callback
// on the UI thread.
#include <optional>
#include <string>
#include <vector>

#include "android_probe.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/android/clients.h"
#include "model/android/page.h"
#include "model/android/runtime.h"
#include "model/android/webview.h"
#include "test_programs.h"

namespace wvsim::model::android {
namespace {

using sim::Kernel;
using sim::Task;
using sim::Verdict;
using sim::testing::Body;
using ::testing::ElementsAre;

constexpr const char* kHome = "https://example.com/";
constexpr const char* kNext = "https://example.com/next";

// Records each WebViewClient callback as "<callback>(<url>) on <thread>".
struct RecordingClient final : WebViewClient {
  RecordingClient(Kernel& k, bool take_over) : kernel(&k), take_over(take_over) {}
  Task<> OnPageStarted(WebView&, std::string url) override {
    Note("onPageStarted(" + url + ")");
    co_return;
  }
  Task<> OnPageFinished(WebView&, std::string url) override {
    Note("onPageFinished(" + url + ")");
    co_return;
  }
  Task<bool> ShouldOverrideUrlLoading(WebView&, WebResourceRequest request) override {
    Note("shouldOverrideUrlLoading(" + request.url + ")");
    co_return take_over;
  }
  Task<> OnReceivedError(WebView&, WebResourceRequest request, WebResourceError error) override {
    Note("onReceivedError(" + request.url + ", " + std::to_string(error.error_code) + ")");
    co_return;
  }
  void Note(std::string what) { log.push_back(what + " on " + kernel->Current().name()); }
  Kernel* kernel;
  bool take_over;
  std::vector<std::string> log;
};

struct Probe {
  std::vector<std::string> log;
  std::string url;
  std::vector<std::string> page_log;
};

Result RunNavigation(Probe& probe, Page home, bool take_over) {
  return RunAndroid(
      [&probe, home = std::move(home), take_over](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.AddPage(kHome, home);
        auto& client = k.Make<RecordingClient>(k, take_over);
        rt.StartMainThread(Body([&k, &rt, &client, &probe]() -> Task<> {
          WebView* view = co_await WebView::Create(rt);
          co_await view->SetWebViewClient(&client);
          co_await view->LoadUrl(kHome);
          k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&probe, &client, view] {
            probe.log = client.log;
            probe.url = view->url();
            probe.page_log = view->page_log();
            return std::optional<sim::Violation>();
          });
        }));
      },
      kJellyBeanMr2);
}

// ---- A25

TEST(AndroidNavigation, A25_APageNavigationAsksShouldOverrideUrlLoadingOnTheUiThreadFirst) {
  Probe probe;
  const Result result = RunNavigation(probe, Page{.on_load = {Navigate(kNext)}}, false);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(probe.url, kNext);
  // Not for the app's own loadUrl of the home page; for the page's navigation, before it loads.
  EXPECT_THAT(probe.log, ElementsAre("onPageStarted(https://example.com/) on main",
                                     "shouldOverrideUrlLoading(https://example.com/next) on main",
                                     "onPageStarted(https://example.com/next) on main",
                                     "onPageFinished(https://example.com/next) on main"));
}

TEST(AndroidNavigation, A25_AnAppThatTakesTheNavigationOverKeepsThePage) {
  Probe probe;
  const Result result = RunNavigation(probe, Page{.on_load = {Navigate(kNext)}}, true);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(probe.url, kHome);
  EXPECT_THAT(probe.log, ElementsAre("onPageStarted(https://example.com/) on main",
                                     "shouldOverrideUrlLoading(https://example.com/next) on main",
                                     "onPageFinished(https://example.com/) on main"));
}

// ---- A26

TEST(AndroidNavigation, A26_AFailedLoadReportsOnReceivedErrorThenTheErrorPageFinishes) {
  Probe probe;
  const Result result = RunNavigation(
      probe,
      Page{.on_load = {Alert("never")}, .error_code = -2, .error_description = "net::ERR_NAME"},
      false);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(probe.log, ElementsAre("onPageStarted(https://example.com/) on main",
                                     "onReceivedError(https://example.com/, -2) on main",
                                     "onPageFinished(https://example.com/) on main"));
  EXPECT_TRUE(probe.page_log.empty());  // the page's script never ran
}

// ---- A27

struct VisualState final : VisualStateCallback {
  VisualState(Kernel& k, WebView** v) : kernel(&k), view(v) {}
  Task<> OnComplete(uint64_t request_id) override {
    log.push_back(std::to_string(request_id) + " on " + kernel->Current().name() + " after " +
                  std::to_string((*view)->page_log().size()) + " page steps");
    co_return;
  }
  Kernel* kernel;
  WebView** view;
  std::vector<std::string> log;
};

TEST(AndroidNavigation, A27_AVisualStateCallbackComesOnTheUiThreadAfterThePagesQueuedWork) {
  std::vector<std::string> log;
  const Result result = RunAndroid(
      [&log](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.AddPage(kHome, Page{.on_load = {Alert("one"), Alert("two")}});
        WebView** made = &k.Make<WebView*>(nullptr);
        auto& callback = k.Make<VisualState>(k, made);
        rt.StartMainThread(Body([&k, &rt, &callback, &log, made]() -> Task<> {
          *made = co_await WebView::Create(rt);
          co_await (*made)->LoadUrl(kHome);
          co_await (*made)->PostVisualStateCallback(7, &callback);
          k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&log, &callback] {
            log = callback.log;
            return std::optional<sim::Violation>();
          });
        }));
      },
      kJellyBeanMr2);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(log, ElementsAre("7 on main after 2 page steps"));
}

// ---- A28

enum class Host { kNewWebView, kNewWebViewSentFromWorker, kParent, kNavigatedWebView, kDecline };

struct PopupClient final : WebChromeClient {
  PopupClient(AndroidRuntime& r, Host h) : rt(&r), host(h) {}
  Task<bool> OnCreateWindow(WebView& view, bool, bool, CreateWindowMessage& message) override {
    thread = rt->kernel().Current().name();
    if (host == Host::kDecline) co_return false;
    if (host == Host::kParent) {
      message.SetWebView(&view);
    } else {
      popup = co_await WebView::Create(*rt);
      if (host == Host::kNavigatedWebView) co_await popup->LoadUrl(kHome);
      message.SetWebView(popup);
    }
    if (host != Host::kNewWebViewSentFromWorker) {
      co_await message.SendToTarget();
      co_return true;
    }
    CreateWindowMessage* raw = &message;
    rt->StartThread("worker", Body([raw]() -> Task<> { co_await raw->SendToTarget(); }));
    co_return true;
  }
  AndroidRuntime* rt;
  Host host;
  std::string thread;
  WebView* popup = nullptr;
};

struct PopupProbe {
  std::string thread;
  std::string popup_url = "none";
  int popup_pages = 0;
};

Result RunPopup(PopupProbe& probe, Host host) {
  return RunAndroid(
      [&probe, host](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.AddPage(kHome, Page{.on_load = {OpenWindow(kNext)}});
        auto& client = k.Make<PopupClient>(rt, host);
        rt.StartMainThread(Body([&k, &rt, &client, &probe]() -> Task<> {
          WebView* view = co_await WebView::Create(rt);
          co_await view->SetWebChromeClient(&client);
          co_await view->LoadUrl(kHome);
          k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&probe, &client] {
            probe.thread = client.thread;
            if (client.popup != nullptr) {
              probe.popup_url = client.popup->url();
              probe.popup_pages = client.popup->pages_finished();
            }
            return std::optional<sim::Violation>();
          });
        }));
      },
      kJellyBeanMr2);
}

TEST(AndroidNavigation, A28_TheAppHostsThePopupInANewWebViewSentFromAnyThread) {
  for (const Host host : {Host::kNewWebView, Host::kNewWebViewSentFromWorker}) {
    PopupProbe probe;
    const Result result = RunPopup(probe, host);
    EXPECT_EQ(result.violation.kind, Verdict::kClean);
    EXPECT_EQ(probe.thread, "main");
    EXPECT_EQ(probe.popup_url, kNext);
    EXPECT_EQ(probe.popup_pages, 1);
    EXPECT_THAT(result.trace, ::testing::HasSubstr("NEW_WEBVIEW_CREATED -> main"));
  }
}

TEST(AndroidNavigation, A28_ThePopupCannotBeHostedByItsParentOrANavigatedWebView) {
  PopupProbe probe;
  Result result = RunPopup(probe, Host::kParent);
  EXPECT_EQ(result.violation.kind, Verdict::kException);
  EXPECT_THAT(result.violation.report,
              ::testing::HasSubstr("java.lang.IllegalArgumentException: Parent WebView cannot host "
                                   "its own popup window. Please use "
                                   "WebSettings.setSupportMultipleWindows(false) [A28]"));
  result = RunPopup(probe, Host::kNavigatedWebView);
  EXPECT_EQ(result.violation.kind, Verdict::kException);
  EXPECT_THAT(result.violation.report,
              ::testing::HasSubstr("New WebView for popup window must not have been previously "
                                   "navigated. [A28]"));
}

TEST(AndroidNavigation, A28_AClientThatDeclinesGetsNoWindow) {
  PopupProbe probe;
  const Result result = RunPopup(probe, Host::kDecline);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(probe.thread, "main");
  EXPECT_EQ(probe.popup_url, "none");
}

}  // namespace
}  // namespace wvsim::model::android
