// The android.* scenarios of the app's own thread hops (A18, A19, A22): Activity.runOnUiThread,
// which runs its action at once on the main thread; View.post, which waits for the view to be
// attached; and a PermissionRequest, which must be answered on the UI thread.
//
// runOnUiThread: a session token reaches the app twice, from a worker that fetched a fresh one and
// from onPageFinished (the main thread) with a cached one; each hands it to the page with
// runOnUiThread. The buggy app stores the token after runOnUiThread, assuming the action runs
// later: on the main thread it runs at once, with the old token, and on the worker the posted
// action can run before the store. The clean app stores first.
//
// View.post: workers fetch what to show and hand the load, and the page's configuration, to the
// WebView's thread with View.post. The buggy app keeps the WebView off screen (a preloaded view,
// never attached): the action waits for an attach that never comes and the page never loads (A19).
// The clean app adds the WebView to its window (the view tree attaches it at the next traversal, a
// message of its own), before or after the worker's post.
//
// PermissionRequest: the page asks for the camera at load and for more on timers; the app checks
// its setting on a worker thread and grants from there (IllegalStateException, A22) or hands the
// grant to the UI thread with runOnUiThread (clean).
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "model/android/activity.h"
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

constexpr const char* kCamera = "android.webkit.resource.VIDEO_CAPTURE";
constexpr const char* kMicrophone = "android.webkit.resource.AUDIO_CAPTURE";

// ---- runOnUiThread (A18).

struct TokenApp {
  TokenApp(AndroidRuntime& r, Activity& a, bool store_first)
      : rt(&r), activity(&a), store_first(store_first) {}
  AndroidRuntime* rt;
  Activity* activity;
  bool store_first;
  WebView* view = nullptr;
  std::string token;    // the app's current token
  std::string applied;  // the token the page was last given

  // On the main thread: gives the page the current token.
  static Task<> Apply(TokenApp* app) {
    app->applied = app->token;
    co_await app->view->EvaluateJavascript("setToken('" + app->applied + "')", nullptr);
  }
  // From any thread: a new token for the page.
  Task<> Update(std::string fresh) {
    TokenApp* self = this;
    Runnable apply = [self] { return Apply(self); };
    if (store_first) token = fresh;
    co_await activity->RunOnUiThread("apply token", std::move(apply));
    if (!store_first) token = std::move(fresh);  // the bug: assumes the action runs later
  }
};

class CachedToken final : public WebViewClient {
 public:
  explicit CachedToken(TokenApp& app) : app_(&app) {}
  Task<> OnPageFinished(WebView&, std::string) override { co_await app_->Update("cached"); }

 private:
  TokenApp* app_;
};

Task<> FetchToken(TokenApp& app) { co_await app.Update("fresh"); }

Task<> CreateTokenView(TokenApp& app, WebViewClient* client) {
  app.view = co_await WebView::Create(*app.rt);
  co_await app.view->SetWebViewClient(client);
  co_await app.view->LoadUrl(kScenarioHomeUrl);
  app.rt->StartThread("token_fetch", FetchToken(app));
}

void TokenSetup(Kernel& k, bool store_first) {
  AndroidRuntime& rt = AndroidRuntime::Create(k);
  // The page also runs a timer of its own while the app works (A20).
  rt.AddPage(kScenarioHomeUrl, Page{.title = "Home", .timers = {PageTimer{.delay_ms = 0}}});
  Activity& activity = k.Make<Activity>(rt);
  TokenApp& app = k.Make<TokenApp>(rt, activity, store_first);
  auto& client = k.Make<CachedToken>(app);
  rt.StartMainThread(CreateTokenView(app, &client));
  ExpectAtEnd(
      k, "page token", [&app] { return !app.token.empty() && app.applied == app.token; },
      "the page was left with a token other than the app's current one: the token was stored "
      "after runOnUiThread, whose action ran before the store (at once on the main thread) [A18]");
}

// ---- View.post before the view is attached (A19).

struct PreloadApp {
  PreloadApp(AndroidRuntime& r, bool attaches) : rt(&r), attaches(attaches) {}
  AndroidRuntime* rt;
  bool attaches;
  WebView* view = nullptr;
};

Task<> LoadHome(PreloadApp* app) { co_await app->view->LoadUrl(kScenarioHomeUrl); }

Task<> ApplyConfig(PreloadApp* app) {
  co_await app->view->EvaluateJavascript("applyConfig()", nullptr);
}

// The workers: the URL, or the page's configuration, is known; what uses it must run on the
// WebView's thread.
Task<> HandLoadToView(PreloadApp& app) {
  PreloadApp* self = &app;
  Runnable load = [self] { return LoadHome(self); };
  co_await app.view->Post("load home", std::move(load));
}
Task<> HandConfigToView(PreloadApp& app) {
  PreloadApp* self = &app;
  Runnable apply = [self] { return ApplyConfig(self); };
  co_await app.view->Post("apply config", std::move(apply));
}

// The view tree's first traversal after setContentView attaches the WebView to the window.
Task<> Traversal(PreloadApp* app) { co_await app->view->DispatchAttachedToWindow(); }

Task<> CreatePreloaded(PreloadApp& app) {
  app.view = co_await WebView::Create(*app.rt);
  app.rt->StartThread("fetch", HandLoadToView(app));
  app.rt->StartThread("config", HandConfigToView(app));
  if (!app.attaches) co_return;  // kept off screen, for later
  PreloadApp* self = &app;
  Runnable traversal = [self] { return Traversal(self); };
  co_await app.rt->MainHandler().Post("performTraversals", std::move(traversal));
}

void PreloadSetup(Kernel& k, bool attaches) {
  AndroidRuntime& rt = AndroidRuntime::Create(k);
  rt.AddPage(kScenarioHomeUrl, Page{.title = "Home",
                                    .on_load = {Confirm("Stay?")},
                                    .timers = {PageTimer{.delay_ms = 0, .steps = {Alert("hi")}}}});
  PreloadApp& app = k.Make<PreloadApp>(rt, attaches);
  rt.StartMainThread(CreatePreloaded(app));
  ExpectAtEnd(
      k, "page loaded", [&app] { return app.view != nullptr && app.view->pages_finished() == 1; },
      "the load handed to View.post never ran: the WebView was never attached to a window, so "
      "the view held the action [A19]");
}

// ---- PermissionRequest answered off the UI thread (A22).

struct CameraApp {
  CameraApp(AndroidRuntime& r, Activity& a, bool grant_on_ui)
      : rt(&r), activity(&a), grant_on_ui(grant_on_ui) {}
  AndroidRuntime* rt;
  Activity* activity;
  bool grant_on_ui;
  WebView* view = nullptr;
};

Task<> GrantLater(CameraApp& app, PermissionRequest& request) {
  co_await app.rt->kernel().Yield({"check camera setting", &request});
  if (!app.grant_on_ui) {
    co_await request.Grant();  // IllegalStateException off the UI thread (A22)
    co_return;
  }
  PermissionRequest* raw = &request;
  Runnable grant = [raw] { return raw->Grant(); };
  co_await app.activity->RunOnUiThread("grant camera", std::move(grant));
}

class AsksWorker final : public WebChromeClient {
 public:
  explicit AsksWorker(CameraApp& app) : app_(&app) {}
  Task<> OnPermissionRequest(WebView&, PermissionRequest& request) override {
    app_->rt->StartThread("permission_check", GrantLater(*app_, request));
    co_return;
  }

 private:
  CameraApp* app_;
};

Task<> CreateCameraView(CameraApp& app, WebChromeClient* chrome) {
  app.view = co_await WebView::Create(*app.rt);
  co_await app.view->SetWebChromeClient(chrome);
  co_await app.view->LoadUrl(kScenarioHomeUrl);
}

void CameraSetup(Kernel& k, bool grant_on_ui) {
  AndroidRuntime& rt = AndroidRuntime::Create(k);
  // The page asks for the camera as it loads, and for the microphone and the camera again on
  // timers (A20, A22).
  rt.AddPage(kScenarioHomeUrl,
             Page{.title = "Call",
                  .on_load = {RequestPermission(kCamera)},
                  .timers = {PageTimer{.delay_ms = 0, .steps = {RequestPermission(kMicrophone)}},
                             PageTimer{.delay_ms = 0, .steps = {RequestPermission(kCamera)}}}});
  Activity& activity = k.Make<Activity>(rt);
  CameraApp& app = k.Make<CameraApp>(rt, activity, grant_on_ui);
  auto& chrome = k.Make<AsksWorker>(app);
  rt.StartMainThread(CreateCameraView(app, &chrome));
  ExpectAtEnd(
      k, "camera granted",
      [&app] {
        int granted = 0;
        for (const std::string& line : app.view->page_log()) {
          if (absl::EndsWith(line, ") granted")) ++granted;
        }
        return granted == 3;
      },
      "the page's three requests (camera, microphone, camera) were not all granted [A22]");
}

}  // namespace

std::vector<sim::Scenario> AppThreadScenarios() {
  return {
      sim::Scenario{
          .id = "android.run_on_ui_thread_runs_inline",
          .description =
              "the app stores a new token after Activity.runOnUiThread, assuming its action "
              "runs later; on the main thread it runs at once with the old token (A18)",
          .expected = {Verdict::kAssertion},
          .params = {TargetSdk(kJellyBeanMr2)},
          .setup = [](Kernel& k) { TokenSetup(k, /*store_first=*/false); },
      },
      sim::Scenario{
          .id = "android.run_on_ui_thread_state_first",
          .description = "the fix: the app stores the token before runOnUiThread (A18)",
          .expected = {Verdict::kClean},
          .params = {TargetSdk(kJellyBeanMr2)},
          .setup = [](Kernel& k) { TokenSetup(k, /*store_first=*/true); },
      },
      sim::Scenario{
          .id = "android.view_post_never_attached",
          .description = "a worker hands the WebView's load to View.post, but the WebView is kept "
                         "off screen and never attached: the load never runs (A19)",
          .expected = {Verdict::kAssertion},
          .params = {TargetSdk(kJellyBeanMr2)},
          .setup = [](Kernel& k) { PreloadSetup(k, /*attaches=*/false); },
      },
      sim::Scenario{
          .id = "android.view_post_runs_after_attach",
          .description = "the fix: the WebView is added to the window; the view tree attaches it "
                         "before or after the worker's View.post, which then runs (A19)",
          .expected = {Verdict::kClean},
          .params = {TargetSdk(kJellyBeanMr2)},
          .setup = [](Kernel& k) { PreloadSetup(k, /*attaches=*/true); },
      },
      sim::Scenario{
          .id = "android.permission_granted_off_ui_thread",
          .description =
              "onPermissionRequest hands the request to a worker thread, which grants it there: "
              "IllegalStateException (A22)",
          .expected = {Verdict::kException},
          .params = {TargetSdk(kJellyBeanMr2)},
          .setup = [](Kernel& k) { CameraSetup(k, /*grant_on_ui=*/false); },
      },
      sim::Scenario{
          .id = "android.permission_granted_on_ui_thread",
          .description =
              "the fix: the worker hands the grant to the UI thread with runOnUiThread (A22, A18)",
          .expected = {Verdict::kClean},
          .params = {TargetSdk(kJellyBeanMr2)},
          .setup = [](Kernel& k) { CameraSetup(k, /*grant_on_ui=*/true); },
      },
  };
}

}  // namespace wvsim::model::android
