// The Android WebView scenarios (`android.*`): app programs written against the Android model,
// each reproducing one rule of docs/android-rules.md (A1..A11) as apps actually break it, or its
// fix.
#include "model/android/scenarios.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "model/android/java.h"
#include "model/android/runtime.h"
#include "model/android/scenario_support.h"
#include "model/android/webview.h"
#include "model/verdicts.h"
#include "sim/scenario.h"
#include "sim/sync.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::model::android {

using sim::Kernel;
using sim::Promise;
using sim::Task;
using sim::Verdict;

namespace {

constexpr const char* kHomeUrl = kScenarioHomeUrl;
constexpr const char* kNextUrl = kScenarioNextUrl;

struct App {
  explicit App(AndroidRuntime& r) : rt(&r) {}
  AndroidRuntime* rt;
  WebView* view = nullptr;
  std::string url_read;
  int handled = 0;
};

// ---- A2: a worker calls loadUrl (call_from_background_thread, legacy_target_call_posted).

Task<> LoadFromWorker(App& app) { co_await app.view->LoadUrl(kNextUrl); }

Task<> CreateLoadAndStartWorker(App& app) {
  app.view = co_await WebView::Create(*app.rt);
  co_await app.view->LoadUrl(kHomeUrl);
  app.rt->StartThread("worker", LoadFromWorker(app));
}

void BackgroundCallSetup(Kernel& k) {
  AndroidRuntime& rt = AndroidRuntime::Create(k);
  App& app = k.Make<App>(rt);
  rt.StartMainThread(CreateLoadAndStartWorker(app));
  ExpectAtEnd(
      k, "posted loadUrl",
      [&app] {
        return app.view != nullptr && app.view->url() == kNextUrl && app.rt->warnings() > 0;
      },
      "the worker's loadUrl did not run on the UI thread, or no warning was logged (A2, A6)");
}

// ---- A7: a blocking getter while the UI thread waits for the caller.

Task<> GetUrlFromWorker(App& app, Promise<std::string> done) {
  std::string url = co_await app.view->GetUrl();  // posted to main, which is blocked: 4 s (A7)
  done.Set(std::move(url));
}

Task<> CreateThenWaitForWorker(App& app) {
  app.view = co_await WebView::Create(*app.rt);
  co_await app.view->LoadUrl(kHomeUrl);
  Kernel& k = app.rt->kernel();
  const Promise<std::string> done = k.MakePromise<std::string>("worker_result");
  const sim::Thread worker = app.rt->StartThread("worker", GetUrlFromWorker(app, done));
  done.SetProducer(worker, "the worker sets it after its getUrl returns");
  app.url_read = co_await FutureGet(k, done.future());  // the UI thread blocks: untimed
}

// The fix: the worker posts the getter to the UI thread.
Task<> ReadUrlOnUi(App& app) {
  app.url_read = co_await app.view->GetUrl();
  ++app.handled;
}

Task<> PostGetterToUi(App& app, Promise<void> done) {
  App* raw = &app;
  co_await app.rt->MainHandler().Post("read url", [raw] { return ReadUrlOnUi(*raw); });
  done.Set();  // the worker does not wait for the answer: main's wait ends, then it runs the getter
}

Task<> CreateThenWaitForPostingWorker(App& app) {
  app.view = co_await WebView::Create(*app.rt);
  co_await app.view->LoadUrl(kHomeUrl);
  Kernel& k = app.rt->kernel();
  const Promise<void> done = k.MakePromise<void>("worker_done");
  const sim::Thread worker = app.rt->StartThread("worker", PostGetterToUi(app, done));
  done.SetProducer(worker, "the worker sets it after posting the getter");
  co_await FutureGet(k, done.future());  // main still waits for the worker, as in the bug
}

// ---- A4, A10: two view threads.

Task<> CreateWebView(App& app) { app.view = co_await WebView::Create(*app.rt); }

struct TwoViews {
  explicit TwoViews(AndroidRuntime& r) : rt(&r), second("second_view", nullptr) {}
  AndroidRuntime* rt;
  WebView* first = nullptr;
  sim::Shared<WebView*> second;
};

// load_before_attach: a view thread creates a WebView and hands it to main before attaching it.
Task<> LoadOnMain(TwoViews& views) {
  WebView* view = views.second.Peek();
  co_await view->LoadUrl(kHomeUrl);  // before any view thread is known: binds main (A10)
}

Task<> CreateHandOverAttach(TwoViews& views) {
  AndroidRuntime& rt = *views.rt;
  WebView* view = co_await WebView::Create(rt);
  co_await views.second.Store(view);
  TwoViews* raw = &views;
  co_await rt.MainHandler().Post("show", [raw] { return LoadOnMain(*raw); });
  co_await view->OnAttachedToWindow();  // the view system's signal: this is a view thread
}

// aw_contents_not_created: a click on main uses a WebView whose initForReal is still queued.
Task<> ClickReload(TwoViews& views) {
  WebView* view = co_await views.second.Load();
  if (view != nullptr) co_await view->Reload();
}

Task<> PostClick(TwoViews& views) {
  TwoViews* raw = &views;
  co_await views.rt->MainHandler().Post("click", [raw] { return ClickReload(*raw); });
}

Task<> CreateAndPublish(TwoViews& views) {
  WebView* view = co_await WebView::Create(*views.rt);
  co_await views.second.Store(view);
}

Task<> CreateFirstThenOthers(TwoViews& views) {
  views.first = co_await WebView::Create(*views.rt);
  views.rt->StartLooperThread("view2", CreateAndPublish(views));
  views.rt->StartThread("input", PostClick(views));
}

// legacy_second_view_thread_posted: an old app's second view thread is served by main (A10).
Task<> UseOnSecondViewThread(App& app) {
  WebView* view = co_await WebView::Create(*app.rt);  // no check for old targets (A4)
  co_await view->LoadUrl(kNextUrl);                   // posted to main (A5, A6)
  app.url_read = co_await view->GetUrl();             // blocks until main answers (A7)
  app.view = view;
}

Task<> CreateThenStartSecondViewThread(App& app) {
  co_await WebView::Create(*app.rt);  // binds main
  app.rt->StartLooperThread("view2", UseOnSecondViewThread(app));
}

// ---- A3, A9: a static entry point while main is blocked.

Task<> TouchStatics(AndroidRuntime& rt, Promise<void> done) {
  co_await WebStorageGetInstance(rt);  // binds main, posts the start and waits untimed (A3, A9)
  done.Set();
}

Task<> BlockMainOnWorker(AndroidRuntime& rt) {
  Kernel& k = rt.kernel();
  const Promise<void> done = k.MakePromise<void>("worker_done");
  const sim::Thread worker = rt.StartThread("worker", TouchStatics(rt, done));
  done.SetProducer(worker, "the worker sets it once WebStorage.getInstance returned");
  co_await FutureGet(k, done.future());
}

// ui_thread_rebound_during_start: a worker's static call binds main and waits for the start
// while main is busy; a view thread constructing a WebView meanwhile wants its own looper.
Task<> BusyOnCreate(AndroidRuntime& rt) {
  co_await rt.kernel().Sleep(50 * kTicksPerMillisecond);  // onCreate does slow work on main
}

Task<> TouchStaticsOnly(AndroidRuntime& rt) { co_await WebStorageGetInstance(rt); }

Task<> CreateOnViewThread(AndroidRuntime& rt) { co_await WebView::Create(rt); }

// ---- A11: @JavascriptInterface methods run on the JavaBridge thread.

class TouchesWebView final : public JavascriptInterface {
 public:
  Task<std::string> Call(WebView& view, std::string, std::string) override {
    co_return co_await view.GetUrl();  // from the JavaBridge thread: A2
  }
};

struct TitleCallback final : ValueCallback {
  explicit TitleCallback(App& a) : app(&a) {}
  Task<> OnReceiveValue(WebView&, std::string value) override {
    app->url_read = std::move(value);
    ++app->handled;
    co_return;
  }
  App* app;
};

Task<> EvaluateTitle(App& app, TitleCallback* callback) {
  co_await app.view->EvaluateJavascript("document.title", callback);
}

class PostsToUi final : public JavascriptInterface {
 public:
  PostsToUi(App& app, TitleCallback& callback) : app_(&app), callback_(&callback) {}
  Task<std::string> Call(WebView&, std::string, std::string) override {
    App* app = app_;
    TitleCallback* callback = callback_;
    co_await app_->rt->MainHandler().Post(
        "evaluate title", [app, callback] { return EvaluateTitle(*app, callback); });
    co_return "";
  }

 private:
  App* app_;
  TitleCallback* callback_;
};

// The home page's script calls window.Android.onPageLoaded(url) as it loads (A13).
void ServeHomePageCallingAndroid(AndroidRuntime& rt) {
  rt.AddPage(kHomeUrl, Page{.on_load = {BridgeCall("Android", "onPageLoaded", kHomeUrl)}});
}

Task<> CreateWithInterface(App& app, JavascriptInterface* object) {
  ServeHomePageCallingAndroid(*app.rt);
  app.view = co_await WebView::Create(*app.rt);
  co_await app.view->AddJavascriptInterface(object, "Android");
  co_await app.view->LoadUrl(kHomeUrl);
}

Task<> Idle() { co_return; }

// ---- A1: a thread without a looper.

Task<> CreateOnWorker(App& app) { app.view = co_await WebView::Create(*app.rt); }

Task<> StartCreatingWorker(App& app) {
  app.rt->StartThread("worker", CreateOnWorker(app));
  co_return;
}

// ---- The registry.

sim::Scenario CallFromBackgroundThread() {
  return sim::Scenario{
      .id = "android.call_from_background_thread",
      .description = "target 18+: a worker thread calls loadUrl on main's WebView (A2 throws)",
      .expected = {WebViewVerdict::kWrongThread},
      .params = {TargetSdk(kJellyBeanMr2)},
      .setup = BackgroundCallSetup,
  };
}

sim::Scenario LegacyTargetCallPosted() {
  return sim::Scenario{
      .id = "android.legacy_target_call_posted",
      .description =
          "target 17: the worker's loadUrl logs a warning and is posted to main (A2, A6)",
      .expected = {Verdict::kClean},
      .params = {TargetSdk(17)},
      .setup = BackgroundCallSetup,
  };
}

// The setup of a scenario whose whole program is its main thread running `Main` on app state
// made for the run.
template <typename State, Task<> (*Main)(State&)>
void MainRuns(Kernel& k) {
  AndroidRuntime& rt = AndroidRuntime::Create(k);
  State& state = k.Make<State>(rt);
  rt.StartMainThread(Main(state));
}

sim::Scenario BlockingGetterWhileUiBlocked() {
  return sim::Scenario{
      .id = "android.blocking_getter_while_ui_blocked",
      .description =
          "target 17: a worker calls getUrl while main waits for that worker; after 4 "
          "virtual seconds 'Probable deadlock detected' (A7)",
      .expected = {Verdict::kException},
      .params = {TargetSdk(17)},
      .setup = MainRuns<App, CreateThenWaitForWorker>,
  };
}

sim::Scenario GetterPostedToUi() {
  return sim::Scenario{
      .id = "android.getter_posted_to_ui",
      .description =
          "the fix: main still waits for the worker, but the worker posts the getUrl "
          "call to the UI thread's Handler instead of calling it (A7)",
      .expected = {Verdict::kClean},
      .params = {TargetSdk(kJellyBeanMr2)},
      .setup =
          [](Kernel& k) {
            AndroidRuntime& rt = AndroidRuntime::Create(k);
            App& app = k.Make<App>(rt);
            rt.StartMainThread(CreateThenWaitForPostingWorker(app));
            ExpectAtEnd(
                k, "url read", [&app] { return app.handled == 1 && app.url_read == kHomeUrl; },
                "the getter posted to the UI thread did not read the loaded URL");
          },
  };
}

sim::Scenario SecondViewThread() {
  return sim::Scenario{
      .id = "android.second_view_thread",
      .description =
          "target 18+: main and a second looper thread each create a WebView; the "
          "one Chromium did not bind throws, on both threads (A4, A10)",
      .expected = {Verdict::kException},
      .params = {TargetSdk(kJellyBeanMr2)},
      .setup =
          [](Kernel& k) {
            AndroidRuntime& rt = AndroidRuntime::Create(k);
            App& main_app = k.Make<App>(rt);
            App& second_app = k.Make<App>(rt);
            rt.StartMainThread(CreateWebView(main_app));
            rt.StartLooperThread("view2", CreateWebView(second_app));
          },
  };
}

sim::Scenario LoadBeforeAttach() {
  return sim::Scenario{
      .id = "android.load_before_attach",
      .description =
          "target 17: main calls loadUrl on a view thread's WebView before it is "
          "attached: main becomes the UI thread and the attach throws (A10, A4)",
      .expected = {Verdict::kException},
      .params = {TargetSdk(17)},
      .setup =
          [](Kernel& k) {
            AndroidRuntime& rt = AndroidRuntime::Create(k);
            TwoViews& views = k.Make<TwoViews>(rt);
            rt.StartMainThread(Idle());
            rt.StartLooperThread("view2", CreateHandOverAttach(views));
          },
  };
}

sim::Scenario LegacySecondViewThreadPosted() {
  return sim::Scenario{
      .id = "android.legacy_second_view_thread_posted",
      .description =
          "target 17: a second view thread's WebView is served by main: its calls are "
          "posted and its getter blocks until main answers (A10, A6, A7)",
      .expected = {Verdict::kClean},
      .params = {TargetSdk(17)},
      .setup =
          [](Kernel& k) {
            AndroidRuntime& rt = AndroidRuntime::Create(k);
            App& app = k.Make<App>(rt);
            rt.StartMainThread(CreateThenStartSecondViewThread(app));
            ExpectAtEnd(
                k, "second view url",
                [&app] {
                  return app.url_read == kNextUrl && app.view != nullptr &&
                         app.view->pages_finished() == 1 && app.rt->warnings() == 0;
                },
                "the second view thread's posted load or blocking getter went wrong (A10)");
          },
  };
}

sim::Scenario EngineStartWhileMainBlocked() {
  return sim::Scenario{
      .id = "android.engine_start_while_main_blocked",
      .description =
          "a worker calls WebStorage.getInstance while main waits for it: the start "
          "is posted to the blocked main looper and waited for untimed (A3, A9)",
      .expected = {Verdict::kDeadlock},
      .params = {TargetSdk(kJellyBeanMr2)},
      .setup =
          [](Kernel& k) {
            AndroidRuntime& rt = AndroidRuntime::Create(k);
            rt.StartMainThread(BlockMainOnWorker(rt));
          },
  };
}

sim::Scenario JavascriptInterfaceTouchesWebView() {
  return sim::Scenario{
      .id = "android.javascript_interface_touches_webview",
      .description =
          "target 18+: a @JavascriptInterface method calls getUrl from the JavaBridge "
          "thread (A11, A2)",
      .expected = {WebViewVerdict::kWrongThread},
      .params = {TargetSdk(kJellyBeanMr2)},
      .setup =
          [](Kernel& k) {
            AndroidRuntime& rt = AndroidRuntime::Create(k);
            App& app = k.Make<App>(rt);
            auto& object = k.Make<TouchesWebView>();
            rt.StartMainThread(CreateWithInterface(app, &object));
          },
  };
}

sim::Scenario JavascriptInterfacePosts() {
  return sim::Scenario{
      .id = "android.javascript_interface_posts",
      .description =
          "the fix: the @JavascriptInterface method posts to main, which calls "
          "evaluateJavascript; its callback arrives on main (A11)",
      .expected = {Verdict::kClean},
      .params = {TargetSdk(kJellyBeanMr2)},
      .setup =
          [](Kernel& k) {
            AndroidRuntime& rt = AndroidRuntime::Create(k);
            App& app = k.Make<App>(rt);
            auto& callback = k.Make<TitleCallback>(app);
            auto& object = k.Make<PostsToUi>(app, callback);
            rt.StartMainThread(CreateWithInterface(app, &object));
            ExpectAtEnd(
                k, "title callback", [&app] { return app.handled == 1; },
                "the evaluateJavascript callback did not run exactly once");
          },
  };
}

sim::Scenario ConstructedWithoutLooper() {
  return sim::Scenario{
      .id = "android.constructed_without_looper",
      .description = "a thread without a Looper constructs a WebView (A1)",
      .expected = {Verdict::kException},
      .params = {TargetSdk(kJellyBeanMr2)},
      .setup = MainRuns<App, StartCreatingWorker>,
  };
}

sim::Scenario AwContentsNotCreated() {
  return sim::Scenario{
      .id = "android.aw_contents_not_created",
      .description =
          "target 17: a click on main reloads a view thread's WebView before its "
          "queued initForReal ran (A8, A6)",
      .expected = {Verdict::kException},
      .params = {TargetSdk(17)},
      .setup = MainRuns<TwoViews, CreateFirstThenOthers>,
  };
}

sim::Scenario UiThreadReboundDuringStart() {
  return sim::Scenario{
      .id = "android.ui_thread_rebound_during_start",
      .description =
          "target 18+: a worker's WebStorage.getInstance binds main while main is "
          "busy; a view thread's WebView then cannot bind its own looper (A3, A9)",
      .expected = {Verdict::kException},
      .params = {TargetSdk(kJellyBeanMr2)},
      .setup =
          [](Kernel& k) {
            AndroidRuntime& rt = AndroidRuntime::Create(k);
            rt.StartMainThread(BusyOnCreate(rt));
            rt.StartThread("worker", TouchStaticsOnly(rt));
            rt.StartLooperThread("view2", CreateOnViewThread(rt));
          },
  };
}

}  // namespace

void RegisterScenarios() {
  for (sim::Scenario (*make)() : {
           CallFromBackgroundThread,
           LegacyTargetCallPosted,
           BlockingGetterWhileUiBlocked,
           GetterPostedToUi,
           SecondViewThread,
           LoadBeforeAttach,
           LegacySecondViewThreadPosted,
           EngineStartWhileMainBlocked,
           JavascriptInterfaceTouchesWebView,
           JavascriptInterfacePosts,
           ConstructedWithoutLooper,
           AwContentsNotCreated,
           UiThreadReboundDuringStart,
       }) {
    sim::Scenario scenario = make();
    scenario.model_version = kAndroidModelVersion;
    sim::RegisterScenarioOrDie(std::move(scenario));
  }
  for (std::vector<sim::Scenario> (*group)() :
       {PageScenarios, RendererScenarios, PortScenarios, AppThreadScenarios, PopupScenarios}) {
    for (sim::Scenario& scenario : group()) {
      scenario.model_version = kAndroidModelVersion;
      sim::RegisterScenarioOrDie(std::move(scenario));
    }
  }
}

}  // namespace wvsim::model::android
