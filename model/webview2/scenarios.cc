// The WebView2 scenarios (`wv2.*`): short app programs in the shape of the seed documents' code,
// written against the model in runtime.h. Each buggy one has a clean twin that applies the
// documented fix. Handlers are named coroutine functions; the lambdas that wrap them capture only
// references (g++ 12, see kernel.h).
#include "model/webview2/scenarios.h"

#include <stdexcept>

#include "model/verdicts.h"
#include "model/webview2/runtime.h"
#include "model/webview2/scenario_app.h"
#include "sim/scenario.h"
#include "sim/sync.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::model::webview2 {

using sim::Scenario;
using sim::Verdict;
using namespace scenario_app;  // NOLINT: the scenarios are written against the shared App

namespace {

// ---- wv2.script_result_blocks_pump / wv2.script_result_awaited (W5).

Task<> Button1Click(App& app) {
  Async<std::string> script = co_await app.webview->ExecuteScriptAsync("document.title");
  // var title = webView.CoreWebView2.ExecuteScriptAsync("document.title").Result;  (W5)
  if (app.blocking) {
    app.title = co_await app.rt->Result(script);
  } else {
    app.title = co_await script;
  }
  if (app.title != "\"Example\"") {
    co_await app.k->Abort(Verdict::kAssertion, "title", "ExecuteScript returned " + app.title);
  }
}

Task<> OnNavigationCompletedClick(App& app, NavigationEventArgs& args) {
  (void)args;
  co_await app.rt->Post(app.ui, "button1_Click", [&app] { return Button1Click(app); });
}

Task<> ScriptLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_NavigationCompleted(
      [&app](NavigationEventArgs& args) { return OnNavigationCompletedClick(app, args); });
  co_await app.webview->Navigate(kHome);
}

void ScriptSetup(Kernel& k, bool blocking) {
  App& app = MakeApp(k);
  app.blocking = blocking;
  PostLoad(app, [&app] { return ScriptLoad(app); });
}

// ---- wv2.modal_dialog_in_message_handler / wv2.modal_dialog_posted (W4).

Task<> SettingsDialogShown(App& app) {
  // The dialog hosts its own WebView on the same environment.
  Async<Controller*> op = co_await app.env->CreateCoreWebView2ControllerAsync();
  Controller* controller = co_await op;
  co_await controller->CoreWebView2().Navigate(kHome);
  co_await app.rt->CloseDialog();
}

Task<> ShowSettings(App& app) {
  co_await app.rt->ShowDialog("Settings", [&app] { return SettingsDialogShown(app); });
}

Task<> OnWebMessage(App& app, WebMessageReceivedEventArgs& args) {
  const std::string message = co_await args.TryGetWebMessageAsString();
  if (message != "open-settings") co_return;
  if (app.blocking) {
    co_await ShowSettings(app);  // new SettingsForm().ShowDialog() inside the handler (W4)
  } else {
    co_await app.rt->Post(app.ui, "ShowSettings", [&app] { return ShowSettings(app); });
  }
}

Task<> DialogLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_WebMessageReceived(
      [&app](WebMessageReceivedEventArgs& args) { return OnWebMessage(app, args); });
  co_await app.webview->Navigate(kHome);
}

void DialogSetup(Kernel& k, bool in_handler) {
  App& app = MakeApp(k);
  app.blocking = in_handler;
  app.rt->world().AddPage(kHome, Page{.title = "Example", .web_message = "open-settings"});
  PostLoad(app, [&app] { return DialogLoad(app); });
}

// ---- wv2.deferral_leaked_on_exception / wv2.deferral_scoped (W8, W9.2).

ResponseStream& BuildResponse(App& app, const std::string& uri) {
  if (uri.find("settings.json") != std::string::npos) {
    throw std::runtime_error("FileNotFoundException: Could not find file 'settings.json'");
  }
  return app.rt->CreateResponseStream(/*agile=*/true, 1, nullptr);
}

Task<> OnResourceManual(App& app, WebResourceRequestedEventArgs& args) {
  Deferral deferral = args.GetDeferral();
  const std::string uri = co_await args.uri.get();
  ResponseStream& response = BuildResponse(app, uri);  // throws: Complete below never runs
  co_await args.response.put(&response);
  deferral.Complete();
}

Task<> OnResourceScoped(App& app, WebResourceRequestedEventArgs& args) {
  ScopedDeferral deferral(args.GetDeferral());  // using (args.GetDeferral()) { ... }
  const std::string uri = co_await args.uri.get();
  ResponseStream& response = BuildResponse(app, uri);
  co_await args.response.put(&response);
}

Task<> DeferralLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_WebResourceRequested([&app](WebResourceRequestedEventArgs& args) {
    return app.blocking ? OnResourceManual(app, args) : OnResourceScoped(app, args);
  });
  co_await app.webview->Navigate(kHome);
}

void DeferralSetup(Kernel& k, bool manual) {
  App& app = MakeApp(k);
  app.blocking = manual;
  app.rt->world().AddPage(
      kHome, Page{.title = "Example", .subresource = "https://app.example/settings.json"});
  PostLoad(app, [&app] { return DeferralLoad(app); });
}

// ---- wv2.new_window_deferred / wv2.new_window_deferral_forgotten (W8, W9.1).

Task<> OnNewWindow(App& app, NewWindowRequestedEventArgs& args) {
  // The forgotten variant keeps the deferral "for later" and never completes it.
  Deferral* kept = app.blocking ? &app.k->Make<Deferral>(args.GetDeferral()) : nullptr;
  Deferral deferral = app.blocking ? Deferral() : args.GetDeferral();
  Async<Controller*> op = co_await app.env->CreateCoreWebView2ControllerAsync();
  Controller* controller = co_await op;
  co_await args.SetNewWindow(&controller->CoreWebView2());
  co_await args.handled.put(true);
  if (kept == nullptr) deferral.Complete();
}

Task<> NewWindowLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_NewWindowRequested(
      [&app](NewWindowRequestedEventArgs& args) { return OnNewWindow(app, args); });
  co_await app.webview->Navigate(kHome);
}

void NewWindowSetup(Kernel& k, bool forgotten) {
  App& app = MakeApp(k);
  app.blocking = forgotten;
  app.rt->world().AddPage(kHome,
                          Page{.title = "Example", .window_open = "https://app.example/popup"});
  PostLoad(app, [&app] { return NewWindowLoad(app); });
}

// ---- wv2.call_from_worker_thread / wv2.call_marshalled_to_ui (W3).

Task<> RefreshOnUi(App& app) {
  Async<std::string> op = co_await app.webview->ExecuteScriptAsync("refresh()");
  co_await op;
}

Task<> RefreshWorker(App& app) {
  if (app.blocking) {
    // Task.Run(() => webView.CoreWebView2.ExecuteScriptAsync("refresh()"));  (W3)
    Async<std::string> op = co_await app.webview->ExecuteScriptAsync("refresh()");
    co_await op;
  } else {
    // SynchronizationContext.Post(_ => webView.CoreWebView2.ExecuteScriptAsync(...))
    co_await app.rt->Post(app.ui, "Refresh", [&app] { return RefreshOnUi(app); });
  }
}

Task<> WorkerLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->Navigate(kHome);
  app.k->Spawn("worker", RefreshWorker(app));
}

void WorkerSetup(Kernel& k, bool direct) {
  App& app = MakeApp(k);
  app.blocking = direct;
  PostLoad(app, [&app] { return WorkerLoad(app); });
}

// ---- wv2.cookie_properties_off_thread / wv2.cookie_properties_on_ui (W3a).

Task<> ReadCookieDomains(App& app, CookieManager& cookies) {
  Async<std::vector<Cookie*>> op = co_await cookies.GetCookiesAsync(kHome);
  const std::vector<Cookie*> list = co_await op;  // succeeds on any thread (W3a)
  for (Cookie* cookie : list) app.title += cookie->Domain();
}

Task<> CookieLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  CookieManager* cookies = co_await app.webview->GetCookieManager();
  if (app.blocking) {
    app.k->Spawn("worker", ReadCookieDomains(app, *cookies));
  } else {
    co_await ReadCookieDomains(app, *cookies);
  }
}

void CookieSetup(Kernel& k, bool off_thread) {
  App& app = MakeApp(k);
  app.blocking = off_thread;
  PostLoad(app, [&app] { return CookieLoad(app); });
}

// ---- wv2.permission_deferral_completed_off_thread / _on_ui (W3, FB#376; W9.4).

Task<> CompleteOnUi(Deferral* deferral) {
  deferral->Complete();
  co_return;
}

// A background policy check decides, then completes the deferral.
Task<> DecidePermission(App& app, Deferral* deferral) {
  co_await app.k->Yield({"ask_policy_service", nullptr});
  if (app.blocking) {
    deferral->Complete();  // Deferral.Complete is bound to the UI thread too (W3)
  } else {
    co_await app.k->Post(app.ui, "CompletePermission",
                         [deferral] { return CompleteOnUi(deferral); });
  }
}

Task<> OnPermissionRequested(App& app, DeferrableEventArgs& args) {
  Deferral* deferral = &app.k->Make<Deferral>(args.GetDeferral());
  app.k->Spawn("policy", DecidePermission(app, deferral));
  co_return;
}

Task<> PermissionLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_DeferrableEvent(
      DeferrableEvent::kPermissionRequested,
      [&app](DeferrableEventArgs& args) { return OnPermissionRequested(app, args); });
  co_await app.webview->Navigate(kHome);
}

void PermissionSetup(Kernel& k, bool off_thread) {
  App& app = MakeApp(k);
  app.blocking = off_thread;
  app.rt->world().AddPage(
      kHome, Page{.title = "Example", .events = {DeferrableEvent::kPermissionRequested}});
  PostLoad(app, [&app] { return PermissionLoad(app); });
}

// ---- wv2.document_script_not_awaited / wv2.document_script_awaited (W7).

Task<> CheckBridge(App& app) {
  Async<std::string> op = co_await app.webview->ExecuteScriptAsync("window.bridgeReady");
  const std::string ready = co_await op;
  if (ready != "true") {
    co_await app.k->Abort(Verdict::kAssertion, "bridgeReady",
                          "W7: the page loaded without the document-created script "
                          "(window.bridgeReady is " +
                              ready +
                              "): it was navigated before "
                              "AddScriptToExecuteOnDocumentCreated completed");
  }
}

Task<> OnBridgeNavigationCompleted(App& app, NavigationEventArgs& args) {
  (void)args;
  co_await app.rt->Post(app.ui, "CheckBridge", [&app] { return CheckBridge(app); });
}

Task<> BridgeLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_NavigationCompleted(
      [&app](NavigationEventArgs& args) { return OnBridgeNavigationCompleted(app, args); });
  Async<std::string> added =
      co_await app.webview->AddScriptToExecuteOnDocumentCreatedAsync("window.bridgeReady = true");
  if (!app.blocking) co_await added;  // the fix: navigate once the script is active
  co_await app.webview->Navigate(kHome);
}

void BridgeSetup(Kernel& k, bool not_awaited) {
  App& app = MakeApp(k);
  app.blocking = not_awaited;
  PostLoad(app, [&app] { return BridgeLoad(app); });
}

// ---- wv2.resource_stream_non_agile / wv2.resource_stream_agile (W10).

// A background sync holds the settings lock until the page's settings were served.
Task<> SyncSettings(App& app) {
  co_await app.settings_lock->Lock();
  co_await app.served->Wait();
  co_await app.settings_lock->Unlock();
}

Task<> OnResourceStream(App& app, WebResourceRequestedEventArgs& args) {
  // The response stream is created here, on the UI thread (non-agile unless made agile).
  ResponseStream& response = app.rt->CreateResponseStream(app.agile, 2, app.served);
  co_await args.response.put(&response);
  app.k->Spawn("sync", SyncSettings(app));
  co_await app.requested->Set();
}

Task<> SaveClick(App& app) {
  // EnterCriticalSection(&settingsLock) on the UI thread: a native lock blocks the pump and COM
  // calls alike. (A C# lock would not deadlock here: a contended CLR lock on an STA services COM
  // calls, docs/framework-rules.md, "wv2.resource_stream_non_agile against F4".)
  co_await app.settings_lock->Lock();
  co_await app.settings_lock->Unlock();
}

Task<> StreamLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_WebResourceRequested(
      [&app](WebResourceRequestedEventArgs& args) { return OnResourceStream(app, args); });
  co_await app.webview->Navigate(kHome);
}

Task<> UserClicksSave(App& app) {
  co_await app.requested->Wait();
  co_await app.k->Post(app.ui, "SaveButton_Click", [&app] { return SaveClick(app); });
}

void StreamSetup(Kernel& k, bool agile) {
  App& app = MakeApp(k);
  app.agile = agile;
  app.requested = &k.Make<sim::Event>("page_requested", sim::Event::Reset::kManual);
  app.served = &k.Make<sim::Event>("settings_served", sim::Event::Reset::kManual);
  app.settings_lock = &k.Make<sim::Mutex>(k, "settings_lock");
  app.rt->world().AddPage(
      kHome, Page{.title = "Example", .subresource = "https://app.example/settings.css"});
  PostLoad(app, [&app] { return StreamLoad(app); });
  k.Spawn("input", UserClicksSave(app));
}

// ---- wv2.created_without_pump (W2) / wv2.created_on_mta (W1).

Task<> CreateOnThreadWithoutPump(App& app, Apartment apartment) {
  // kNone: the thread never called CoInitializeEx; the call itself throws CO_E_NOTINITIALIZED,
  // which the app does not catch (W1).
  if (apartment != Apartment::kNone) app.rt->CoInitializeEx(apartment);
  EnvironmentOptions options;
  Async<Environment*> op = co_await app.rt->CreateCoreWebView2EnvironmentAsync(std::move(options));
  // MTA: the completion receives RPC_E_CHANGED_MODE and CHECK_FAILURE(result) throws (W1).
  // STA without a loop: the completion is queued for a thread that never pumps (W2).
  app.env = co_await op;
}

void NoPumpSetup(Kernel& k, Apartment apartment) {
  App& app = k.Make<App>();
  app.k = &k;
  app.rt = &Runtime::Create(k);
  k.Spawn("main", CreateOnThreadWithoutPump(app, apartment),
          {.message_queue = apartment == Apartment::kSta});
}

// ---- wv2.browser_crash_during_script / wv2.browser_crash_recovered (W12, W15, W16).

Task<> CrashClick(App& app) {
  // Ignores ProcessFailed: the call throws after a crash (W12), or its Task fails or never
  // completes when the crash comes while it is pending (W15).
  Async<std::string> op = co_await app.webview->ExecuteScriptAsync("document.title");
  app.title = co_await op;
}

Task<> OnCrashNavigationCompleted(App& app, NavigationEventArgs& args) {
  (void)args;
  ++app.loads;
  if (app.recreated) ++app.loads_after_recreate;
  if (!app.blocking) co_return;
  co_await app.rt->Post(app.ui, "button1_Click", [&app] { return CrashClick(app); });
}

Task<> CreateAndNavigate(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_NavigationCompleted(
      [&app](NavigationEventArgs& args) { return OnCrashNavigationCompleted(app, args); });
  co_await app.webview->Navigate(kHome);
}

Task<> Recreate(App& app) {
  app.recreated = true;  // W16: a new environment and controller; a new browser process
  co_await CreateAndNavigate(app);
}

Task<> ReloadAfterRendererCrash(App& app) {
  app.recreated = true;
  co_await app.webview->Reload();
}

Task<> OnProcessFailed(App& app, ProcessFailedEventArgs& args) {
  app.crashed = true;
  const ProcessFailedKind kind = co_await args.kind.get();
  if (kind == ProcessFailedKind::kRenderProcessExited) {
    // W12: the WebView shows an error page until Reload.
    co_await app.rt->Post(app.ui, "ReloadWebView",
                          [&app] { return ReloadAfterRendererCrash(app); });
  } else if (kind == ProcessFailedKind::kBrowserProcessExited) {
    co_await app.rt->Post(app.ui, "RecreateWebView", [&app] { return Recreate(app); });
  }
}

Task<> CrashLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  if (!app.blocking) {
    co_await app.webview->add_ProcessFailed(
        [&app](ProcessFailedEventArgs& args) { return OnProcessFailed(app, args); });
  }
  co_await app.webview->add_NavigationCompleted(
      [&app](NavigationEventArgs& args) { return OnCrashNavigationCompleted(app, args); });
  // Faults from here on: the scenario is about the crash its handlers see (a crash before the
  // app subscribed is raised to nobody, W12, and the app only finds a dead WebView).
  app.rt->world().EnableFaults();
  if (app.blocking) {
    co_await app.webview->Navigate(kHome);
    co_return;
  }
  try {
    co_await app.webview->Navigate(kHome);
  } catch (const InvalidOperationException&) {
    // The browser already crashed (W12); the ProcessFailed handler recreates the WebView.
  }
}

void CrashSetup(Kernel& k, bool ignores_crash) {
  App& app = MakeApp(k);
  app.blocking = ignores_crash;
  PostLoad(app, [&app] { return CrashLoad(app); });
  if (ignores_crash) return;
  k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&app]() -> std::optional<sim::Violation> {
    if (!app.crashed || app.loads_after_recreate == 1) return std::nullopt;
    return sim::Violation{Verdict::kAssertion, "recreate",
                          "a process crashed but the recovered WebView loaded " +
                              std::to_string(app.loads_after_recreate) + " times (W16)"};
  });
}

// ---- wv2.shared_user_data_folder (W11, W13, W14).

Task<> OnExited(App& app, BrowserProcessExitedEventArgs& args) {
  ++app.exited;
  const BrowserProcessExitKind kind = co_await args.kind.get();
  if (app.closed < 2 || kind != BrowserProcessExitKind::kNormal) ++app.exited_early;
}

Task<> OnSharedLoaded(App& app, NavigationEventArgs& args) {
  (void)args;
  if (!app.ready.done()) app.ready.Set();
  co_return;
}

Task<> SharedLoad(App& app) {
  EnvironmentOptions first_options;
  first_options.user_data_folder = "Shared";
  Async<Environment*> first_op =
      co_await app.rt->CreateCoreWebView2EnvironmentAsync(std::move(first_options));
  Environment* first = co_await first_op;
  EnvironmentOptions second_options;
  second_options.user_data_folder = "Shared";
  Async<Environment*> second_op =
      co_await app.rt->CreateCoreWebView2EnvironmentAsync(std::move(second_options));
  Environment* second = co_await second_op;  // the same browser process (W11)
  for (Environment* env : {first, second}) {
    co_await env->add_BrowserProcessExited(
        [&app](BrowserProcessExitedEventArgs& args) { return OnExited(app, args); });
  }
  Async<Controller*> a_op = co_await first->CreateCoreWebView2ControllerAsync();
  Controller* a = co_await a_op;
  Async<Controller*> b_op = co_await second->CreateCoreWebView2ControllerAsync();
  Controller* b = co_await b_op;
  co_await b->CoreWebView2().add_NavigationCompleted(
      [&app](NavigationEventArgs& args) { return OnSharedLoaded(app, args); });
  co_await b->CoreWebView2().Navigate(kHome);
  co_await a->Close();  // W14: the browser stays, the other WebView still uses it
  ++app.closed;
  bool refused = false;
  try {
    Async<std::string> late = co_await a->CoreWebView2().ExecuteScriptAsync("1");
    co_await late;
  } catch (const ComException& error) {
    refused = error.hr() == kErrorInvalidState;
  }
  if (!refused)
    co_await app.k->Abort(Verdict::kAssertion, "closed", "a call after Close succeeded");
  // The script waits for the document (W2): sent before the load commits, it would run in
  // about:blank and return "null".
  const Future<void> loaded = app.ready.future();
  co_await loaded;
  Async<std::string> script = co_await b->CoreWebView2().ExecuteScriptAsync("document.title");
  app.title = co_await script;
  if (app.title != "\"Example\"") {
    co_await app.k->Abort(Verdict::kAssertion, "title", "ExecuteScript returned " + app.title);
  }
  co_await b->Close();
  ++app.closed;
}

void SharedSetup(Kernel& k) {
  App& app = MakeApp(k);
  app.ready = k.MakePromise<void>("NavigationCompleted of the second WebView");
  PostLoad(app, [&app] { return SharedLoad(app); });
  k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&app]() -> std::optional<sim::Violation> {
    if (app.exited == 2 && app.exited_early == 0) return std::nullopt;
    return sim::Violation{Verdict::kAssertion, "BrowserProcessExited",
                          "W13: BrowserProcessExited fired " + std::to_string(app.exited) +
                              " times, " + std::to_string(app.exited_early) +
                              " of them before both WebViews were closed"};
  });
}

}  // namespace

void RegisterScenarios() {
  const Verdict clean = Verdict::kClean;
  for (Scenario& scenario : std::vector<Scenario>{
           Make("wv2.script_result_blocks_pump",
                "W5: a click handler reads ExecuteScriptAsync(...).Result on the UI thread",
                {Verdict::kDeadlock}, [](Kernel& k) { ScriptSetup(k, true); }),
           Make("wv2.script_result_awaited", "W5: the same click handler awaits the script",
                {clean}, [](Kernel& k) { ScriptSetup(k, false); }),
           Make("wv2.modal_dialog_in_message_handler",
                "W4: WebMessageReceived opens a modal dialog whose WebView never initialises",
                {WebViewVerdict::kReentrancy}, [](Kernel& k) { DialogSetup(k, true); }),
           Make("wv2.modal_dialog_posted",
                "W4: the handler posts the dialog to run after it returns", {clean},
                [](Kernel& k) { DialogSetup(k, false); }),
           Make("wv2.deferral_leaked_on_exception",
                "W8: WebResourceRequested takes a deferral; the response builder throws first",
                {WebViewVerdict::kDeferralLeak}, [](Kernel& k) { DeferralSetup(k, true); }),
           Make("wv2.deferral_scoped", "W8: the same with a scoped deferral", {clean},
                [](Kernel& k) { DeferralSetup(k, false); }),
           Make("wv2.new_window_deferred",
                "W9: NewWindowRequested defers, creates the WebView, sets NewWindow, completes",
                {clean}, [](Kernel& k) { NewWindowSetup(k, false); }),
           Make("wv2.new_window_deferral_forgotten",
                "W9: NewWindowRequested keeps its deferral and never completes it",
                {WebViewVerdict::kDeferralLeak}, [](Kernel& k) { NewWindowSetup(k, true); }),
           Make("wv2.call_from_worker_thread", "W3: a background thread calls ExecuteScriptAsync",
                {WebViewVerdict::kWrongThread}, [](Kernel& k) { WorkerSetup(k, true); }),
           Make("wv2.call_marshalled_to_ui", "W3: the same call posted to the UI thread", {clean},
                [](Kernel& k) { WorkerSetup(k, false); }),
           Make("wv2.cookie_properties_off_thread",
                "W3a: cookies fetched on a worker, then Cookie.Domain read there",
                {WebViewVerdict::kWrongThread}, [](Kernel& k) { CookieSetup(k, true); }),
           Make("wv2.cookie_properties_on_ui", "W3a: the same cookies read on the UI thread",
                {clean}, [](Kernel& k) { CookieSetup(k, false); }),
           Make("wv2.permission_deferral_completed_off_thread",
                "W3, W9: a background policy check completes PermissionRequested's deferral",
                {WebViewVerdict::kWrongThread}, [](Kernel& k) { PermissionSetup(k, true); }),
           Make("wv2.permission_deferral_completed_on_ui",
                "W3, W9: the policy check posts Complete to the UI thread", {clean},
                [](Kernel& k) { PermissionSetup(k, false); }),
           Make("wv2.document_script_not_awaited",
                "W7: AddScriptToExecuteOnDocumentCreated is not awaited before Navigate",
                {Verdict::kAssertion}, [](Kernel& k) { BridgeSetup(k, true); }),
           Make("wv2.document_script_awaited",
                "W7: the script's completion is awaited before Navigate", {clean},
                [](Kernel& k) { BridgeSetup(k, false); }),
           Make("wv2.resource_stream_non_agile",
                "W10: a UI-created non-agile response stream is read while the UI thread blocks",
                {Verdict::kDeadlock}, [](Kernel& k) { StreamSetup(k, false); }),
           Make("wv2.resource_stream_agile", "W10: the same with an agile stream", {clean},
                [](Kernel& k) { StreamSetup(k, true); }),
           Make("wv2.created_without_pump",
                "W2: the environment is created on an STA thread that never pumps",
                {Verdict::kStall}, [](Kernel& k) { NoPumpSetup(k, Apartment::kSta); }),
           Make("wv2.created_on_mta",
                "W1: RPC_E_CHANGED_MODE reaches the completion, which asserts success",
                {Verdict::kException}, [](Kernel& k) { NoPumpSetup(k, Apartment::kMta); }),
           Make("wv2.created_without_com",
                "W1: a thread that never called CoInitializeEx creates the environment; "
                "CO_E_NOTINITIALIZED is asserted away",
                {Verdict::kException}, [](Kernel& k) { NoPumpSetup(k, Apartment::kNone); }),
           MakeFaulty("wv2.browser_crash_during_script",
                      "W12, W15: the browser crashes while the app awaits ExecuteScript; the app "
                      "ignores ProcessFailed",
                      {Verdict::kStall, Verdict::kException},
                      [](Kernel& k) { CrashSetup(k, true); }),
           MakeFaulty(
               "wv2.browser_crash_recovered",
               "W12, W16: the app handles ProcessFailed: reloads after a renderer crash, recreates "
               "after a browser crash",
               {clean}, [](Kernel& k) { CrashSetup(k, false); }),
           Make("wv2.shared_user_data_folder",
                "W11, W13, W14: two environments share a folder; one closes, the other works",
                {clean}, [](Kernel& k) { SharedSetup(k); }),
       }) {
    sim::RegisterScenarioOrDie(std::move(scenario));
  }
  for (std::vector<Scenario> (*more)() :
       {ProcessScenarios, ProcessKindScenarios, MessagingScenarios, NavigationScenarios,
        ApiErrorScenarios, WaitScenarios, PageScriptScenarios, AffinityScenarios,
        HostObjectScenarios, FrameScenarios, WindowOpenScenarios, DefaultDialogScenarios,
        PageTitleScenarios, PagePermissionScenarios}) {
    for (Scenario& scenario : more()) sim::RegisterScenarioOrDie(std::move(scenario));
  }
}

}  // namespace wvsim::model::webview2
