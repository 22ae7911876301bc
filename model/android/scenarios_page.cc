// The android.* scenarios of the page's side (A12..A15): a synchronous bridge call whose Java
// method waits for a UI thread that waits for the page, shouldInterceptRequest touching the
// WebView from its background thread, and an onJsConfirm that blocks the UI thread on the page;
// each with its fix.
#include <optional>
#include <string>
#include <vector>

#include "model/android/clients.h"
#include "model/android/java.h"
#include "model/android/page.h"
#include "model/android/runtime.h"
#include "model/android/scenario_support.h"
#include "model/android/webview.h"
#include "model/verdicts.h"
#include "sim/scenario.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::model::android {

using sim::Kernel;
using sim::Task;
using sim::Verdict;

namespace {

constexpr const char* kToken = "token-1";

struct PageApp {
  explicit PageApp(AndroidRuntime& r)
      : rt(&r),
        token_ready(r.kernel(), "token_ready", 1),
        page_ready(r.kernel(), "page_ready", 1),
        page_done(r.kernel(), "page_done", 1) {}
  AndroidRuntime* rt;
  WebView* view = nullptr;
  std::string token;
  CountDownLatch token_ready;  // the UI thread made the token
  CountDownLatch page_ready;   // the page called Android.ready()
  CountDownLatch page_done;    // the page called Android.done()
  bool ready_called = false;
  bool finished_after_ready = false;
  int intercepted = 0;
};

// ---- A13: the page's bridge call waits for its Java method, which waits for the UI thread.

Task<> MakeToken(PageApp& app) {
  app.token = kToken;  // UI-thread work (no WebView call)
  co_await app.token_ready.CountDown();
}

// window.Android: getToken() asks the UI thread for the token; ready() and done() tell the app.
class TokenBridge final : public JavascriptInterface {
 public:
  TokenBridge(PageApp& app, bool waits_for_ui) : app_(&app), waits_for_ui_(waits_for_ui) {}
  Task<std::string> Call(WebView&, std::string method, std::string) override {
    PageApp* app = app_;
    if (method == "getToken") {
      co_await app->rt->MainHandler().Post("make token", [app] { return MakeToken(*app); });
      if (!waits_for_ui_) co_return "pending";  // the fix: the token arrives later
      co_await app->token_ready.Await();        // the bug: the UI thread waits for the page
      co_return app->token;
    }
    if (method == "ready") {
      app->ready_called = true;
      co_await app->page_ready.CountDown();
    } else if (method == "done") {
      co_await app->page_done.CountDown();
    }
    co_return "";
  }

 private:
  PageApp* app_;
  bool waits_for_ui_;
};

class RecordsFinish final : public WebViewClient {
 public:
  explicit RecordsFinish(PageApp& app) : app_(&app) {}
  Task<> OnPageFinished(WebView&, std::string) override {
    app_->finished_after_ready = app_->ready_called;
    co_return;
  }

 private:
  PageApp* app_;
};

Task<> CreateLoadAndWaitForPage(PageApp& app, TokenBridge* bridge, WebViewClient* client) {
  app.view = co_await WebView::Create(*app.rt);
  co_await app.view->SetWebViewClient(client);
  co_await app.view->AddJavascriptInterface(bridge, "Android");
  co_await app.view->LoadUrl(kScenarioHomeUrl);
  co_await app.page_ready.Await();  // onCreate waits until the page said it is ready
}

void BridgeSetup(Kernel& k, bool waits_for_ui) {
  AndroidRuntime& rt = AndroidRuntime::Create(k);
  rt.AddPage(kScenarioHomeUrl,
             Page{.on_load = {BridgeCall("Android", "getToken"), BridgeCall("Android", "ready")}});
  PageApp& app = k.Make<PageApp>(rt);
  auto& bridge = k.Make<TokenBridge>(app, waits_for_ui);
  auto& client = k.Make<RecordsFinish>(app);
  rt.StartMainThread(CreateLoadAndWaitForPage(app, &bridge, &client));
  if (waits_for_ui) return;
  ExpectAtEnd(
      k, "page ready",
      [&app] {
        return app.ready_called && app.finished_after_ready && app.token == kToken &&
               app.view != nullptr && app.view->pages_finished() == 1;
      },
      "the page did not call ready() before onPageFinished, or the token was never made (A13)");
}

// ---- A14: shouldInterceptRequest runs on a background thread.

class InterceptingClient final : public WebViewClient {
 public:
  InterceptingClient(PageApp& app, bool touches_view) : app_(&app), touches_view_(touches_view) {}
  Task<std::optional<WebResourceResponse>> ShouldInterceptRequest(
      WebView& view, WebResourceRequest request) override {
    if (touches_view_) {
      const std::string url = co_await view.GetUrl();  // the bug: not on the UI thread (A2)
      if (url == request.url) ++app_->intercepted;
    } else if (request.url == kScenarioHomeUrl) {
      ++app_->intercepted;  // the fix: only the request itself
    }
    co_return std::nullopt;
  }

 private:
  PageApp* app_;
  bool touches_view_;
};

Task<> CreateAndLoad(PageApp& app, WebViewClient* client, TokenBridge* bridge) {
  app.view = co_await WebView::Create(*app.rt);
  co_await app.view->SetWebViewClient(client);
  co_await app.view->AddJavascriptInterface(bridge, "Android");
  co_await app.view->LoadUrl(kScenarioHomeUrl);
}

void InterceptSetup(Kernel& k, bool touches_view) {
  AndroidRuntime& rt = AndroidRuntime::Create(k);
  rt.AddPage(kScenarioHomeUrl, Page{.on_load = {BridgeCall("Android", "ready")}});
  PageApp& app = k.Make<PageApp>(rt);
  auto& client = k.Make<InterceptingClient>(app, touches_view);
  auto& bridge = k.Make<TokenBridge>(app, /*waits_for_ui=*/false);
  rt.StartMainThread(CreateAndLoad(app, &client, &bridge));
  if (touches_view) return;
  ExpectAtEnd(
      k, "intercepted",
      [&app] {
        return app.intercepted == 1 && app.ready_called && app.view != nullptr &&
               app.view->pages_finished() == 1;
      },
      "shouldInterceptRequest did not see the home page's request once before it loaded (A14)");
}

// ---- A15: the page's confirm() waits for the app's JsResult.

Task<> ConfirmLater(JsResult* result) { co_await result->Confirm(); }

class ConfirmingChrome final : public WebChromeClient {
 public:
  ConfirmingChrome(PageApp& app, bool blocks_ui) : app_(&app), blocks_ui_(blocks_ui) {}
  Task<bool> OnJsConfirm(WebView&, std::string, std::string, JsResult& result) override {
    JsResult* pending = &result;
    if (blocks_ui_) {
      co_await app_->page_done.Await();  // the bug: only the page's next bridge call releases it
      co_await result.Confirm();
      co_return true;
    }
    // The fix: answer later, from a task posted to the UI thread.
    co_await app_->rt->MainHandler().Post("confirm", [pending] { return ConfirmLater(pending); });
    co_return true;
  }

 private:
  PageApp* app_;
  bool blocks_ui_;
};

Task<> CreateWithChromeAndLoad(PageApp& app, TokenBridge* bridge, WebChromeClient* chrome) {
  app.view = co_await WebView::Create(*app.rt);
  co_await app.view->SetWebChromeClient(chrome);
  co_await app.view->AddJavascriptInterface(bridge, "Android");
  co_await app.view->LoadUrl(kScenarioHomeUrl);
}

void ConfirmSetup(Kernel& k, bool blocks_ui) {
  AndroidRuntime& rt = AndroidRuntime::Create(k);
  rt.AddPage(kScenarioHomeUrl, Page{.on_load = {BridgeCall("Android", "ready"), Confirm("Leave?"),
                                                BridgeCall("Android", "done")}});
  PageApp& app = k.Make<PageApp>(rt);
  auto& bridge = k.Make<TokenBridge>(app, /*waits_for_ui=*/false);
  auto& chrome = k.Make<ConfirmingChrome>(app, blocks_ui);
  rt.StartMainThread(CreateWithChromeAndLoad(app, &bridge, &chrome));
  if (blocks_ui) return;
  ExpectAtEnd(
      k, "confirm answered",
      [&app] {
        return app.view != nullptr && app.view->pages_finished() == 1 &&
               app.view->page_log() ==
                   std::vector<std::string>{"Android.ready() = ", "confirm(Leave?) = true",
                                            "Android.done() = "};
      },
      "the page's confirm() was not answered true before its done() call, or the page did not "
      "finish (A15)");
}

}  // namespace

std::vector<sim::Scenario> PageScenarios() {
  return {
      sim::Scenario{
          .id = "android.bridge_waits_for_blocked_ui",
          .description =
              "a @JavascriptInterface method posts to the UI looper and waits on a latch, while "
              "onCreate waits for the page's next bridge call (A13)",
          .expected = {Verdict::kDeadlock},
          .params = {TargetSdk(kJellyBeanMr2)},
          .setup = [](Kernel& k) { BridgeSetup(k, /*waits_for_ui=*/true); },
      },
      sim::Scenario{
          .id = "android.bridge_posts_and_returns",
          .description =
              "the fix: the @JavascriptInterface method posts to the UI looper and returns; "
              "onPageFinished comes after the page's load-time calls (A13)",
          .expected = {Verdict::kClean},
          .params = {TargetSdk(kJellyBeanMr2)},
          .setup = [](Kernel& k) { BridgeSetup(k, /*waits_for_ui=*/false); },
      },
      sim::Scenario{
          .id = "android.intercept_request_touches_webview",
          .description =
              "target 18+: shouldInterceptRequest calls getUrl from its background thread "
              "(A14, A2)",
          .expected = {WebViewVerdict::kWrongThread},
          .params = {TargetSdk(kJellyBeanMr2)},
          .setup = [](Kernel& k) { InterceptSetup(k, /*touches_view=*/true); },
      },
      sim::Scenario{
          .id = "android.intercept_request_reads_request",
          .description = "the fix: shouldInterceptRequest reads only the request (A14)",
          .expected = {Verdict::kClean},
          .params = {TargetSdk(kJellyBeanMr2)},
          .setup = [](Kernel& k) { InterceptSetup(k, /*touches_view=*/false); },
      },
      sim::Scenario{
          .id = "android.js_confirm_blocks_ui_on_page",
          .description =
              "onJsConfirm blocks the UI thread on a latch that only the page's next bridge "
              "call, after the confirm() it waits in, would release (A15, A13)",
          .expected = {Verdict::kDeadlock},
          .params = {TargetSdk(kJellyBeanMr2)},
          .setup = [](Kernel& k) { ConfirmSetup(k, /*blocks_ui=*/true); },
      },
      sim::Scenario{
          .id = "android.js_confirm_answered_later",
          .description =
              "the fix: onJsConfirm returns true and answers the JsResult from a task posted "
              "to the UI thread (A15)",
          .expected = {Verdict::kClean},
          .params = {TargetSdk(kJellyBeanMr2)},
          .setup = [](Kernel& k) { ConfirmSetup(k, /*blocks_ui=*/false); },
      },
  };
}

}  // namespace wvsim::model::android
