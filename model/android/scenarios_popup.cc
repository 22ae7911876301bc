// The android.* scenarios of popups (A28): the page opens a window as it loads; the app hosts it.
// The buggy app hands the popup back to the WebView that asked (a shortcut apps take to keep
// popups in one view): IllegalArgumentException when the resultMsg arrives. The clean app makes a
// new WebView for it, which loads the popup's page.
#include <string>
#include <vector>

#include "model/android/clients.h"
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

struct PopupApp {
  PopupApp(AndroidRuntime& r, bool new_view) : rt(&r), new_view(new_view) {}
  AndroidRuntime* rt;
  bool new_view;
  WebView* popup = nullptr;
};

class HostsPopups final : public WebChromeClient {
 public:
  explicit HostsPopups(PopupApp& app) : app_(&app) {}
  Task<bool> OnCreateWindow(WebView& view, bool, bool, CreateWindowMessage& result_msg) override {
    if (app_->new_view) {
      app_->popup = co_await WebView::Create(*app_->rt);
      result_msg.SetWebView(app_->popup);
    } else {
      result_msg.SetWebView(&view);  // the bug: the parent cannot host its own popup
    }
    co_await result_msg.SendToTarget();
    co_return true;
  }

 private:
  PopupApp* app_;
};

Task<> CreateAndLoad(AndroidRuntime& rt, WebChromeClient* chrome) {
  WebView* view = co_await WebView::Create(rt);
  co_await view->SetWebChromeClient(chrome);
  co_await view->LoadUrl(kScenarioHomeUrl);
}

void PopupSetup(Kernel& k, bool new_view) {
  AndroidRuntime& rt = AndroidRuntime::Create(k);
  // The page opens a window as it loads, and goes on with a timer of its own (A20).
  rt.AddPage(kScenarioHomeUrl,
             Page{.title = "Home",
                  .on_load = {OpenWindow(kScenarioNextUrl), Confirm("Continue?")},
                  .timers = {PageTimer{.delay_ms = 0, .steps = {Alert("opened")}}}});
  rt.AddPage(kScenarioNextUrl, Page{.title = "Popup", .on_load = {Alert("popup")}});
  PopupApp& app = k.Make<PopupApp>(rt, new_view);
  auto& chrome = k.Make<HostsPopups>(app);
  rt.StartMainThread(CreateAndLoad(rt, &chrome));
  ExpectAtEnd(
      k, "popup loaded",
      [&app] {
        return app.popup != nullptr && app.popup->url() == kScenarioNextUrl &&
               app.popup->pages_finished() == 1;
      },
      "the popup's page did not load in the WebView the app made for it [A28]");
}

}  // namespace

std::vector<sim::Scenario> PopupScenarios() {
  return {
      sim::Scenario{
          .id = "android.popup_hosted_by_parent",
          .description = "onCreateWindow sets the parent WebView itself on the resultMsg's "
                         "WebViewTransport: IllegalArgumentException when it arrives (A28)",
          .expected = {Verdict::kException},
          .params = {TargetSdk(kJellyBeanMr2)},
          .setup = [](Kernel& k) { PopupSetup(k, /*new_view=*/false); },
      },
      sim::Scenario{
          .id = "android.popup_in_new_webview",
          .description = "the fix: onCreateWindow makes a new WebView on the UI thread for the "
                         "popup, which loads the popup's page (A28)",
          .expected = {Verdict::kClean},
          .params = {TargetSdk(kJellyBeanMr2)},
          .setup = [](Kernel& k) { PopupSetup(k, /*new_view=*/true); },
      },
  };
}

}  // namespace wvsim::model::android
