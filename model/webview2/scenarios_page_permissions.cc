// The wv2.* scenarios about a page that asks for a permission from its script (W9.4, W7): the
// page's load script awaits getUserMedia, the app grants the camera in PermissionRequested, and
// the script stores the answer and then tells the app with a web message. The request does not
// hold the page's JavaScript thread, so an ExecuteScript the app sends meanwhile runs before the
// answer is back. The buggy app reads the page's state as soon as NavigationCompleted arrives, as
// if the request had been answered; its twin reads it when the page's message says it was.
#include <string>

#include "model/webview2/runtime.h"
#include "model/webview2/scenario_app.h"
#include "sim/scenario.h"

namespace wvsim::model::webview2::scenario_app {

using sim::Scenario;
using sim::Verdict;

namespace {

constexpr char kCamera[] = "window.camera";
constexpr char kGranted[] = "\"granted\"";

Task<> ReadCamera(App& app) {
  Async<std::string> op = co_await app.webview->ExecuteScriptAsync(kCamera);
  app.title = co_await op;
}

Task<> GrantCamera(DeferrableEventArgs& args) {
  co_await args.state.put(PermissionState::kAllow);  // the app's policy: this site may
}

Task<> OnCameraPageLoaded(App& app, NavigationEventArgs& args) {
  (void)args;
  // The bug: the page may not have its answer yet (the request does not hold its script).
  co_await ReadCamera(app);
}

Task<> OnCameraReady(App& app, WebMessageReceivedEventArgs& args) {
  const std::string message = co_await args.TryGetWebMessageAsString();
  if (message == "camera-ready") co_await ReadCamera(app);
}

Task<> CameraLoad(App& app, bool reads_at_load) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_DeferrableEvent(DeferrableEvent::kPermissionRequested, GrantCamera);
  if (reads_at_load) {
    co_await app.webview->add_NavigationCompleted(
        [&app](NavigationEventArgs& args) { return OnCameraPageLoaded(app, args); });
  } else {
    co_await app.webview->add_WebMessageReceived(
        [&app](WebMessageReceivedEventArgs& args) { return OnCameraReady(app, args); });
  }
  co_await app.webview->Navigate(kHome);
}

void CameraSetup(Kernel& k, bool reads_at_load) {
  App& app = MakeApp(k);
  Page home{.title = "Video call"};
  // window.onload = async () => { window.camera = await askForCamera();
  //                               chrome.webview.postMessage("camera-ready"); }
  home.scripts.push_back(
      Page::Script::AtLoad().RequestPermission(kCamera).PostMessage("camera-ready"));
  app.rt->world().AddPage(kHome, std::move(home));
  PostLoad(app, [&app, reads_at_load] { return CameraLoad(app, reads_at_load); });
  k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&app]() -> std::optional<sim::Violation> {
    if (app.title == kGranted) return std::nullopt;
    return sim::Violation{Verdict::kAssertion, "camera",
                          "W9.4: the app read window.camera as '" + app.title +
                              "', not the camera it granted (" + kGranted +
                              "): the page's permission request does not hold its script, so "
                              "the app read before the answer was back"};
  });
}

}  // namespace

std::vector<Scenario> PagePermissionScenarios() {
  return {
      Make("wv2.permission_state_read_at_load",
           "W9.4, W7: the page's load script awaits a camera permission the app grants; the app "
           "reads the page's answer with ExecuteScript as soon as NavigationCompleted arrives",
           {Verdict::kAssertion}, [](Kernel& k) { CameraSetup(k, true); }),
      Make("wv2.permission_state_read_on_page_message",
           "W9.4: the same app reads it when the page's web message says the answer is back",
           {Verdict::kClean}, [](Kernel& k) { CameraSetup(k, false); }),
  };
}

}  // namespace wvsim::model::webview2::scenario_app
