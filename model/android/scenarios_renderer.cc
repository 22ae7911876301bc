// The android.* scenarios of the renderer process dying (A16): an app whose WebViewClient does
// not handle onRenderProcessGone, and one that destroys the dead WebView and makes a new one.
// Both inject one renderer crash or kill by default (fault_budget 1).
#include <string>
#include <vector>

#include "model/android/clients.h"
#include "model/android/java.h"
#include "model/android/page.h"
#include "model/android/runtime.h"
#include "model/android/scenario_support.h"
#include "model/android/webview.h"
#include "sim/scenario.h"

namespace wvsim::model::android {

using sim::Kernel;
using sim::Task;
using sim::Verdict;

namespace {

struct RecoveringApp {
  explicit RecoveringApp(AndroidRuntime& r) : rt(&r) {}
  AndroidRuntime* rt;
  WebView* view = nullptr;
  int recreated = 0;
  int ready_calls = 0;
};

// window.Android.ready(): the page reports that it loaded.
class ReadyBridge final : public JavascriptInterface {
 public:
  explicit ReadyBridge(RecoveringApp& app) : app_(&app) {}
  Task<std::string> Call(WebView&, std::string, std::string) override {
    ++app_->ready_calls;
    co_return "";
  }

 private:
  RecoveringApp* app_;
};

// onRenderProcessGone handled: the dead WebView is destroyed and a new one loads the page again.
class RecreatingClient final : public WebViewClient {
 public:
  RecreatingClient(RecoveringApp& app, ReadyBridge& bridge) : app_(&app), bridge_(&bridge) {}
  Task<bool> OnRenderProcessGone(WebView& view, RenderProcessGoneDetail) override {
    co_await view.Destroy();
    WebView* fresh = co_await WebView::Create(*app_->rt);
    app_->view = fresh;
    ++app_->recreated;
    co_await fresh->SetWebViewClient(this);
    co_await fresh->AddJavascriptInterface(bridge_, "Android");
    co_await fresh->LoadUrl(kScenarioHomeUrl);
    co_return true;
  }

 private:
  RecoveringApp* app_;
  ReadyBridge* bridge_;
};

Task<> CreateAndLoad(RecoveringApp& app, WebViewClient* client, ReadyBridge* bridge) {
  app.view = co_await WebView::Create(*app.rt);
  co_await app.view->SetWebViewClient(client);
  co_await app.view->AddJavascriptInterface(bridge, "Android");
  co_await app.view->LoadUrl(kScenarioHomeUrl);
}

// The page calls window.Android.ready() as it loads.
RecoveringApp& MakeApp(Kernel& k, AndroidRuntime& rt) {
  rt.AddPage(kScenarioHomeUrl, Page{.on_load = {BridgeCall("Android", "ready")}});
  return k.Make<RecoveringApp>(rt);
}

std::vector<sim::ScenarioParam> RendererParams() {
  return {
      sim::FaultBudgetParam(1, "renderer crashes or kills to inject (A16)"),
      TargetSdk(kJellyBeanMr2),
      sim::ScenarioParam{std::string(kDeviceSdkParam), kOreo,
                         "the device's API level: from 26 the renderer runs in a process of its "
                         "own and its death reaches onRenderProcessGone (A16)",
                         1, 36},
      sim::ScenarioParam{std::string(kGoneViewCallsParam), 0,
                         "what a call on a WebView whose renderer is gone does (undocumented): "
                         "0 goes on without a page, 1 throws (A16)",
                         0, 1},
  };
}

}  // namespace

std::vector<sim::Scenario> RendererScenarios() {
  return {
      sim::Scenario{
          .id = "android.render_process_gone_unhandled",
          .description =
              "the renderer crashes or is killed and the app's WebViewClient does not handle "
              "onRenderProcessGone: the app process dies with it (A16)",
          .expected = {Verdict::kException},
          .params = RendererParams(),
          .setup =
              [](Kernel& k) {
                AndroidRuntime& rt = AndroidRuntime::Create(k);
                RecoveringApp& app = MakeApp(k, rt);
                auto& client = k.Make<WebViewClient>();  // the default: returns false
                auto& bridge = k.Make<ReadyBridge>(app);
                rt.StartMainThread(CreateAndLoad(app, &client, &bridge));
              },
      },
      sim::Scenario{
          .id = "android.render_process_gone_recreates",
          .description =
              "the fix: onRenderProcessGone destroys the dead WebView, makes a new one that "
              "loads the page again, and returns true (A16)",
          .expected = {Verdict::kClean},
          .params = RendererParams(),
          .setup =
              [](Kernel& k) {
                AndroidRuntime& rt = AndroidRuntime::Create(k);
                RecoveringApp& app = MakeApp(k, rt);
                auto& bridge = k.Make<ReadyBridge>(app);
                auto& client = k.Make<RecreatingClient>(app, bridge);
                rt.StartMainThread(CreateAndLoad(app, &client, &bridge));
                ExpectAtEnd(
                    k, "page shown",
                    [&app] {
                      return app.view != nullptr && !app.view->render_process_gone() &&
                             app.view->pages_finished() == 1 && app.ready_calls >= 1;
                    },
                    "after its renderer died the app did not show the page in a live WebView "
                    "(A16)");
              },
      },
  };
}

}  // namespace wvsim::model::android
