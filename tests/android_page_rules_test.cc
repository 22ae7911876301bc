// Tests for the page's side of the Android model, one or more per rule of docs/android-rules.md
// (A12..A15): the page's JavaScript thread, synchronous bridge calls, shouldInterceptRequest on a
// background thread and JS dialogs that wait for their JsResult. Each asserts threads, order,
// values or verdicts that the model before these rules got wrong.
#include <optional>
#include <string>
#include <vector>

#include "android_probe.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/android/clients.h"
#include "model/android/java.h"
#include "model/android/page.h"
#include "model/android/runtime.h"
#include "model/android/webview.h"
#include "model/verdicts.h"
#include "test_programs.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::model::android {
namespace {

using sim::Kernel;
using sim::Task;
using sim::Verdict;
using sim::testing::Body;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kUrl = "https://example.com/";

// window.Android: records "<thread> <method>(<argument>)@<tick>" and returns "<method>-ok";
// "slow" first sleeps 100 ticks, "fail" throws a Java exception.
struct Bridge final : JavascriptInterface {
  explicit Bridge(Kernel& k) : kernel(&k) {}
  Task<std::string> Call(WebView&, std::string method, std::string argument) override {
    if (method == "slow") co_await kernel->Sleep(100);
    log.push_back(kernel->Current().name() + " " + method + "(" + argument + ")@" +
                  std::to_string(kernel->now_ticks()));
    if (method == "fail") throw RuntimeException("bridge failure", "test");
    co_return method + "-ok";
  }
  Kernel* kernel;
  std::vector<std::string> log;
};

// Records every client callback with its thread; answers dialogs as told.
struct Clients final : WebViewClient, WebChromeClient, ValueCallback {
  explicit Clients(Kernel& k) : kernel(&k) {}
  void Note(const std::string& what) { log.push_back(kernel->Current().name() + " " + what); }
  Task<> OnPageStarted(WebView&, std::string) override {
    Note("started");
    co_return;
  }
  Task<> OnPageFinished(WebView&, std::string) override {
    Note("finished");
    co_return;
  }
  Task<std::optional<WebResourceResponse>> ShouldInterceptRequest(
      WebView&, WebResourceRequest request) override {
    Note("intercept " + request.url);
    co_return std::nullopt;
  }
  Task<> OnReceiveValue(WebView&, std::string value) override {
    Note("value " + value);
    co_return;
  }
  Task<bool> OnJsConfirm(WebView&, std::string, std::string message, JsResult& result) override {
    Note("confirm " + message);
    pending = &result;
    if (answer_now) co_await result.Confirm();
    co_return handles_dialogs;
  }
  Task<bool> OnJsPrompt(WebView&, std::string, std::string message, std::string,
                        JsPromptResult& result) override {
    Note("prompt " + message);
    if (handles_dialogs) co_await result.Confirm("typed");
    co_return handles_dialogs;
  }
  Kernel* kernel;
  std::vector<std::string> log;
  JsResult* pending = nullptr;
  bool handles_dialogs = true;
  bool answer_now = false;
};

struct Probe {
  WebView* view = nullptr;
  std::vector<std::string> page_log;
  std::vector<std::string> bridge_log;
  std::vector<std::string> client_log;
};

// A run in which main creates a WebView with `clients` (as WebViewClient when `as_view_client`)
// and window.Android, serves `page` at kUrl, loads it, then runs `after_load`.
Result RunPage(Probe& probe, Page page, bool as_view_client,
               std::function<Task<>(Kernel&, AndroidRuntime&, WebView&, Clients&)> after_load,
               std::function<void(Clients&)> configure = nullptr) {
  return RunAndroid(
      [&probe, page, as_view_client, after_load, configure](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.AddPage(kUrl, page);
        auto& bridge = k.Make<Bridge>(k);
        auto& clients = k.Make<Clients>(k);
        if (configure) configure(clients);
        rt.StartMainThread(
            Body([&probe, &k, &rt, &bridge, &clients, as_view_client, after_load]() -> Task<> {
              WebView* view = co_await WebView::Create(rt);
              probe.view = view;
              if (as_view_client) co_await view->SetWebViewClient(&clients);
              co_await view->SetWebChromeClient(&clients);
              co_await view->AddJavascriptInterface(&bridge, "Android");
              co_await view->LoadUrl(kUrl);
              if (after_load) co_await after_load(k, rt, *view, clients);
            }));
        k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&probe, &bridge, &clients] {
          if (probe.view != nullptr) probe.page_log = probe.view->page_log();
          probe.bridge_log = bridge.log;
          probe.client_log = clients.log;
          return std::optional<sim::Violation>();
        });
      },
      kJellyBeanMr2);
}

// ---- A12

TEST(AndroidPageRules, A12_EvaluateJavascriptIsQueuedBehindThePageAndComputedThere) {
  Probe probe;
  const Result result =
      RunPage(probe, Page{.title = "Home", .on_load = {BridgeCall("Android", "slow")}}, false,
              [](Kernel&, AndroidRuntime&, WebView& view, Clients& clients) -> Task<> {
                // Called before the page's load-time script ran: the value is computed after it.
                co_await view.EvaluateJavascript("document.title", &clients);
              });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(probe.client_log, ElementsAre("main value \"Home\""));
  EXPECT_THAT(result.trace, HasSubstr("evaluateJavascript -> js#1"));
}

TEST(AndroidPageRules, A12_WebMessagesRunThePagesOnMessageOnItsJavaScriptThread) {
  Probe probe;
  const Result result =
      RunPage(probe, Page{.on_message = {BridgeCall("Android", "got", "m")}}, false,
              [](Kernel&, AndroidRuntime&, WebView& view, Clients&) -> Task<> {
                co_await view.PostWebMessage("hi");
              });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(probe.page_log, ElementsAre("onmessage(hi)", "Android.got(m) = got-ok"));
  EXPECT_THAT(probe.bridge_log, ElementsAre("JavaBridge got(m)@0"));
}

// ---- A13

TEST(AndroidPageRules, A13_ABridgeCallBlocksThePageUntilTheJavaMethodReturns) {
  Probe probe;
  const Result result = RunPage(
      probe,
      Page{.on_load = {BridgeCall("Android", "slow", "a"), BridgeCall("Android", "next", "b")}},
      true, nullptr);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  // The second call starts only when the first returned, 100 ticks later, with its argument.
  EXPECT_THAT(probe.bridge_log, ElementsAre("JavaBridge slow(a)@100", "JavaBridge next(b)@100"));
  EXPECT_THAT(probe.page_log,
              ElementsAre("Android.slow(a) = slow-ok", "Android.next(b) = next-ok"));
  // onPageFinished comes after the page's load-time calls returned.
  EXPECT_THAT(probe.client_log, ElementsAre("background intercept https://example.com/",
                                            "main started", "main finished"));
  EXPECT_THAT(result.trace, HasSubstr("block_on(Android.slow(a)#"));
}

TEST(AndroidPageRules, A13_AnInterfaceAddedAfterTheLoadAppearsFromTheNextLoad) {
  Probe probe;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.AddPage(kUrl, Page{.on_load = {BridgeCall("Late", "hello")}});
        auto& bridge = k.Make<Bridge>(k);
        rt.StartMainThread(Body([&]() -> Task<> {
          WebView* view = co_await WebView::Create(rt);
          probe.view = view;
          co_await view->LoadUrl(kUrl);
          co_await k.Sleep(10);  // the first page runs its script meanwhile
          co_await view->AddJavascriptInterface(&bridge, "Late");
          co_await view->Reload();
        }));
        k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&] {
          probe.page_log = probe.view->page_log();
          return std::optional<sim::Violation>();
        });
      },
      kJellyBeanMr2);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(probe.page_log, ElementsAre("TypeError: window.Late is undefined (Late.hello())",
                                          "Late.hello() = hello-ok"));
}

TEST(AndroidPageRules, A13_AJavaExceptionInABridgeMethodIsAJavaScriptErrorInThePage) {
  Probe probe;
  const Result result = RunPage(
      probe, Page{.on_load = {BridgeCall("Android", "fail"), BridgeCall("Android", "never")}}, true,
      nullptr);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);  // the app does not crash
  ASSERT_EQ(probe.page_log.size(), 1u);               // the script stopped at the error
  EXPECT_THAT(probe.page_log[0],
              HasSubstr("Error: Java exception was raised during method invocation"));
  EXPECT_THAT(probe.bridge_log, ElementsAre("JavaBridge fail()@0"));
  EXPECT_THAT(probe.client_log, ElementsAre("background intercept https://example.com/",
                                            "main started", "main finished"));
}

TEST(AndroidPageRules, A13_APageWaitingForABridgeMethodThatWaitsForTheUiThreadIsADeadlock) {
  const Result result = RunAndroid(
      [](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.AddPage(kUrl, Page{.on_load = {BridgeCall("Android", "wait")}});
        auto& ui_done = k.Make<CountDownLatch>(k, "ui_done", 1);
        struct Waits final : JavascriptInterface {
          explicit Waits(CountDownLatch& l) : latch(&l) {}
          Task<std::string> Call(WebView&, std::string, std::string) override {
            co_await latch->Await();
            co_return "";
          }
          CountDownLatch* latch;
        };
        auto& object = k.Make<Waits>(ui_done);
        rt.StartMainThread(Body([&rt, &object, &ui_done]() -> Task<> {
          WebView* view = co_await WebView::Create(rt);
          co_await view->AddJavascriptInterface(&object, "Android");
          co_await view->LoadUrl(kUrl);
          co_await ui_done.Await();  // the UI thread waits too
        }));
      },
      kJellyBeanMr2);
  EXPECT_EQ(result.violation.kind, Verdict::kDeadlock);
  EXPECT_THAT(result.violation.report,
              HasSubstr("thread js#1 is blocked in block_on(Android.wait()#"));
  EXPECT_THAT(result.violation.report, HasSubstr("[A13]"));
}

// ---- A14

TEST(AndroidPageRules, A14_ShouldInterceptRequestRunsOnABackgroundThreadBeforeThePageStarts) {
  Probe probe;
  const Result result = RunPage(probe, Page{}, true, nullptr);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(probe.client_log, ElementsAre("background intercept https://example.com/",
                                            "main started", "main finished"));
}

TEST(AndroidPageRules, A14_TouchingTheWebViewInShouldInterceptRequestIsWrongThread) {
  struct Touches final : WebViewClient {
    Task<std::optional<WebResourceResponse>> ShouldInterceptRequest(WebView& view,
                                                                    WebResourceRequest) override {
      co_await view.Reload();
      co_return std::nullopt;
    }
  };
  const Result result = RunAndroid(
      [](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        auto& client = k.Make<Touches>();
        rt.StartMainThread(Body([&rt, &client]() -> Task<> {
          WebView* view = co_await WebView::Create(rt);
          co_await view->SetWebViewClient(&client);
          co_await view->LoadUrl(kUrl);
        }));
      },
      kJellyBeanMr2);
  EXPECT_EQ(result.violation.kind, WebViewVerdict::kWrongThread);
  EXPECT_THAT(result.violation.report, HasSubstr("called on thread 'background'"));
}

// ---- A15

TEST(AndroidPageRules, A15_ThePageWaitsUntilTheJsResultIsAnsweredFromAnotherThread) {
  Probe probe;
  const Result result =
      RunPage(probe, Page{.on_load = {Confirm("Sure?"), BridgeCall("Android", "after")}}, false,
              [](Kernel& k, AndroidRuntime& rt, WebView&, Clients& clients) -> Task<> {
                rt.StartThread("worker", Body([&k, &clients]() -> Task<> {
                                 co_await k.Sleep(50);
                                 co_await clients.pending->Confirm();  // posted to the UI thread
                               }));
                co_return;
              });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(probe.client_log, ElementsAre("main confirm Sure?"));
  EXPECT_THAT(probe.page_log, ElementsAre("confirm(Sure?) = true", "Android.after() = after-ok"));
  EXPECT_THAT(probe.bridge_log, ElementsAre("JavaBridge after()@50"));
  EXPECT_THAT(result.trace, HasSubstr("JsResult answer -> main"));
}

TEST(AndroidPageRules, A15_WithoutAClientOrWhenTheClientDeclinesTheDialogIsCancelled) {
  Probe declined;
  const Result result =
      RunPage(declined, Page{.on_load = {Confirm("Sure?"), Prompt("Name?", "x"), Alert("Hi")}},
              false, nullptr, [](Clients& clients) { clients.handles_dialogs = false; });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(declined.page_log,
              ElementsAre("confirm(Sure?) = false", "prompt(Name?) = null", "alert(Hi) dismissed"));
  EXPECT_THAT(declined.client_log, ElementsAre("main confirm Sure?", "main prompt Name?"));
}

TEST(AndroidPageRules, A15_APromptAnsweredOnTheUiThreadCarriesItsTextAndASecondAnswerIsIgnored) {
  Probe probe;
  const Result result = RunPage(
      probe, Page{.on_load = {Prompt("Name?"), Confirm("Again?")}}, false,
      [](Kernel&, AndroidRuntime&, WebView&, Clients&) -> Task<> { co_return; },
      [](Clients& clients) { clients.answer_now = true; });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(probe.page_log, ElementsAre("prompt(Name?) = typed", "confirm(Again?) = true"));
}

TEST(AndroidPageRules, A15_AnAnswerAfterTheFirstIsIgnoredWithAWarning) {
  int warnings = -1;
  Probe probe;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.AddPage(kUrl, Page{.on_load = {Confirm("Twice?")}});
        struct Twice final : WebChromeClient {
          Task<bool> OnJsConfirm(WebView&, std::string, std::string, JsResult& result) override {
            co_await result.Cancel();
            co_await result.Confirm();
            co_return true;
          }
        };
        auto& chrome = k.Make<Twice>();
        rt.StartMainThread(Body([&]() -> Task<> {
          WebView* view = co_await WebView::Create(rt);
          probe.view = view;
          co_await view->SetWebChromeClient(&chrome);
          co_await view->LoadUrl(kUrl);
        }));
        k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&] {
          probe.page_log = probe.view->page_log();
          warnings = rt.warnings();
          return std::optional<sim::Violation>();
        });
      },
      kJellyBeanMr2);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(probe.page_log, ElementsAre("confirm(Twice?) = false"));
  EXPECT_EQ(warnings, 1);
  EXPECT_THAT(result.trace, HasSubstr("was answered again: ignored [A15]"));
}

}  // namespace
}  // namespace wvsim::model::android
