// The wv2.* scenarios about processes and lifetimes: a hung renderer that the app ignores, reloads
// at once or waits out (W12), GPU and utility exits and hangs (W12), a frame's renderer dying
// under a frame script (W12, W15), the last controller reference released (W14), and the
// runtime's own int 3 on reentrancy (W4).
#include <string>

#include "model/webview2/frames.h"
#include "model/webview2/scenario_app.h"

namespace wvsim::model::webview2::scenario_app {

using sim::Scenario;
using sim::Verdict;

namespace {

constexpr char kWidget[] = "https://widgets.example/chat";

// ---- wv2.renderer_hang_ignored / wv2.renderer_hang_reloaded (W12).

// The page says "ready" through postMessage once loaded; the form waits for it.
Task<> OnReadyMessage(App& app, WebMessageReceivedEventArgs& args) {
  const std::string message = co_await args.TryGetWebMessageAsString();
  if (message == "ready" && !app.ready.done()) app.ready.Set();
  co_return;
}

Task<> ReloadHungPage(App& app) {
  ++app.reloads;
  // Navigates to the form's page rather than Reload(): when the renderer hung before the first
  // document committed, Reload would reload about:blank. Either way the browser terminates the
  // hung renderer and loads in a new one (W12).
  co_await app.webview->Navigate(kHome);
}

Task<> OnHangProcessFailed(App& app, ProcessFailedEventArgs& args) {
  const ProcessFailedKind kind = co_await args.kind.get();
  if (kind == ProcessFailedKind::kRenderProcessUnresponsive) {
    ++app.events;
    // The ignoring app treats Unresponsive as transient and waits for ever; the patient one sits
    // out `patience` reports, as Chromium's "Wait" button does (the hang may end by itself, and
    // then the page goes on, W12), and reloads after that; the fix reloads at once.
    if (app.blocking || app.events <= app.patience) co_return;
  } else if (kind != ProcessFailedKind::kRenderProcessExited) {
    co_return;
  }
  co_await app.rt->Post(app.ui, "ReloadWebView", [&app] { return ReloadHungPage(app); });
}

Task<> HangLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  FaultKinds hangs;
  hangs.browser_crash = false;
  hangs.renderer_crash = false;
  hangs.renderer_hang = true;
  app.rt->world().EnableFaults(hangs);
  co_await app.webview->add_WebMessageReceived(
      [&app](WebMessageReceivedEventArgs& args) { return OnReadyMessage(app, args); });
  co_await app.webview->add_ProcessFailed(
      [&app](ProcessFailedEventArgs& args) { return OnHangProcessFailed(app, args); });
  co_await app.webview->Navigate(kHome);
  const Future<void> ready = app.ready.future();
  co_await ready;  // await: the pump goes on (W2)
}

void HangSetup(Kernel& k, bool ignores_hang, int patience = 0) {
  App& app = MakeApp(k);
  app.blocking = ignores_hang;
  app.patience = patience;
  app.ready = k.MakePromise<void>(
      "page_ready (the page's \"ready\" web message; W12: a hung renderer never sends it)");
  app.rt->world().AddPage(kHome, Page{.title = "Example", .web_message = "ready"});
  PostLoad(app, [&app] { return HangLoad(app); });
}

// ---- wv2.gpu_crash_recovers and wv2.gpu_hang_during_load (W12).

Task<> CheckTitle(App& app) {
  Async<std::string> op = co_await app.webview->ExecuteScriptAsync("document.title");
  const std::string title = co_await op;
  if (title != "\"Example\"") {
    co_await app.k->Abort(Verdict::kAssertion, "title",
                          "W12: after a GPU or utility exit ExecuteScript returned " + title);
  }
}

Task<> OnAuxiliaryProcessFailed(App& app, ProcessFailedEventArgs& args) {
  ++app.events;
  const ProcessFailedKind kind = co_await args.kind.get();
  if (kind != ProcessFailedKind::kGpuProcessExited &&
      kind != ProcessFailedKind::kUtilityProcessExited) {
    co_await app.k->Abort(
        Verdict::kAssertion, "ProcessFailed",
        std::string("unexpected ProcessFailed kind ") + ProcessFailedKindName(kind));
    co_return;
  }
  // Nothing to recover (W12): the WebView keeps working, as the next script shows (once the page
  // loaded: before that a script runs in about:blank).
  if (app.loads == 0) co_return;
  co_await app.rt->Post(app.ui, "CheckTitle", [&app] { return CheckTitle(app); });
}

Task<> OnGpuNavigationCompleted(App& app, NavigationEventArgs& args) {
  (void)args;
  ++app.loads;
  co_await app.rt->Post(app.ui, "CheckTitle", [&app] { return CheckTitle(app); });
}

// app.blocking: the buggy twin, wv2.gpu_hang_during_load, where the processes hang instead. Its
// app waits for NavigationCompleted to go on; a hang before the fetch or the composite means it
// never comes, and no ProcessFailed kind tells the app why.
Task<> AuxiliaryLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  FaultKinds auxiliary;
  auxiliary.browser_crash = false;
  auxiliary.renderer_crash = false;
  auxiliary.gpu_crash = !app.blocking;
  auxiliary.utility_crash = !app.blocking;
  auxiliary.gpu_hang = app.blocking;
  auxiliary.utility_hang = app.blocking;
  app.rt->world().EnableFaults(auxiliary);
  co_await app.webview->add_ProcessFailed(
      [&app](ProcessFailedEventArgs& args) { return OnAuxiliaryProcessFailed(app, args); });
  co_await app.webview->add_NavigationCompleted(
      [&app](NavigationEventArgs& args) { return OnGpuNavigationCompleted(app, args); });
  co_await app.webview->Navigate(kHome);
}

void AuxiliarySetup(Kernel& k, bool hangs) {
  App& app = MakeApp(k);
  app.blocking = hangs;
  PostLoad(app, [&app] { return AuxiliaryLoad(app); });
}

// ---- wv2.browser_hang_during_script (W12: any process can crash or hang).

Task<> HangClick(App& app) {
  Async<std::string> op = co_await app.webview->ExecuteScriptAsync("document.title");
  app.title = co_await op;  // never completes once the browser hangs: nothing reports it
}

Task<> OnHangClickNavigationCompleted(App& app, NavigationEventArgs& args) {
  (void)args;
  co_await app.rt->Post(app.ui, "button1_Click", [&app] { return HangClick(app); });
}

Task<> BrowserHangLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  FaultKinds hang;
  hang.browser_crash = false;
  hang.renderer_crash = false;
  hang.browser_hang = true;
  app.rt->world().EnableFaults(hang);
  co_await app.webview->add_NavigationCompleted(
      [&app](NavigationEventArgs& args) { return OnHangClickNavigationCompleted(app, args); });
  co_await app.webview->Navigate(kHome);
}

void BrowserHangSetup(Kernel& k) {
  App& app = MakeApp(k);
  PostLoad(app, [&app] { return BrowserHangLoad(app); });
}

// ---- wv2.frame_crash_during_script (W12, W15; FB#3124).

Task<> AskWidget(App& app) {
  if (app.frame == nullptr) co_return;
  try {
    Async<std::string> op = co_await app.frame->ExecuteScriptAsync("document.title");
    app.title = co_await op;
  } catch (const ComException&) {
    // The careful app handles the failure HRESULT; it cannot handle a call that never ends.
  }
}

Task<> OnFrameCreated(App& app, FrameCreatedEventArgs& args) {
  app.frame = co_await args.frame.get();
}

Task<> OnFrameNavigationCompleted(App& app, NavigationEventArgs& args) {
  (void)args;
  co_await app.rt->Post(app.ui, "AskWidget", [&app] { return AskWidget(app); });
}

Task<> FrameLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  FaultKinds frame_exits;
  frame_exits.browser_crash = false;
  frame_exits.renderer_crash = false;
  frame_exits.frame_renderer_crash = true;
  app.rt->world().EnableFaults(frame_exits);
  co_await app.webview->add_FrameCreated(
      [&app](FrameCreatedEventArgs& args) { return OnFrameCreated(app, args); });
  co_await app.webview->add_NavigationCompleted(
      [&app](NavigationEventArgs& args) { return OnFrameNavigationCompleted(app, args); });
  co_await app.webview->Navigate(kHome);
}

void FrameSetup(Kernel& k) {
  App& app = MakeApp(k);
  app.rt->world().AddPage(kHome,
                          Page{.title = "Example", .frames = {{.name = "chat", .uri = kWidget}}});
  app.rt->world().AddPage(kWidget, Page{.title = "Chat"});
  PostLoad(app, [&app] { return FrameLoad(app); });
}

// ---- wv2.controller_reference_dropped / wv2.controller_reference_kept (W14).

Task<> Refresh(App& app) {
  // Throws HRESULT_FROM_WIN32(ERROR_INVALID_STATE) once the controller closed (W14).
  Async<std::string> op = co_await app.webview->ExecuteScriptAsync("document.title");
  app.title = co_await op;
}

Task<> ReferenceLoad(App& app) {
  EnvironmentOptions options;
  Async<Environment*> env_op =
      co_await app.rt->CreateCoreWebView2EnvironmentAsync(std::move(options));
  app.env = co_await env_op;
  Async<Controller*> op = co_await app.env->CreateCoreWebView2ControllerAsync();
  // wil::com_ptr<ICoreWebView2Controller> controller: a local in the buggy form, so the last
  // reference goes when Form1_Load returns; the fix keeps it in a member (app.controller).
  ControllerPtr controller(co_await op);
  app.webview = &controller->CoreWebView2();
  if (!app.blocking) app.controller = controller.get();
  if (!app.blocking) controller->AddRef();  // the member's reference
  co_await app.webview->Navigate(kHome);
  co_await app.rt->Post(app.ui, "Refresh", [&app] { return Refresh(app); });
}

void ReferenceSetup(Kernel& k, bool dropped) {
  App& app = MakeApp(k);
  app.blocking = dropped;
  PostLoad(app, [&app] { return ReferenceLoad(app); });
}

// ---- wv2.modal_dialog_runtime_break (W4).

Task<> BreakDialogShown(App& app) {
  Async<Controller*> op = co_await app.env->CreateCoreWebView2ControllerAsync();
  co_await op;  // never completes: WebView2 will not dispatch into this loop (W4)
  co_await app.rt->CloseDialog();
}

Task<> OnOpenSettings(App& app, WebMessageReceivedEventArgs& args) {
  const std::string message = co_await args.TryGetWebMessageAsString();
  if (message != "open-settings") co_return;
  co_await app.rt->ShowDialog("Settings", [&app] { return BreakDialogShown(app); });
}

Task<> BreakLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_WebMessageReceived(
      [&app](WebMessageReceivedEventArgs& args) { return OnOpenSettings(app, args); });
  co_await app.webview->Navigate(kHome);
}

void BreakSetup(Kernel& k) {
  App& app = MakeApp(k);
  app.rt->world().AddPage(kHome, Page{.title = "Example", .web_message = "open-settings"});
  PostLoad(app, [&app] { return BreakLoad(app); });
}

}  // namespace

std::vector<Scenario> ProcessScenarios() {
  const Verdict clean = Verdict::kClean;
  Scenario runtime_break =
      Make("wv2.modal_dialog_runtime_break",
           "W4: a modal dialog in WebMessageReceived, without the oracle: the runtime logs, then "
           "breaks (int 3) 5 s later",
           {Verdict::kException}, [](Kernel& k) { BreakSetup(k); });
  runtime_break.params = {{std::string(kReentrancyBreakParam), 5000,
                           "ms before the runtime's int 3 (unconfirmed)", 0, 3'600'000}};
  return {
      MakeFaulty("wv2.renderer_hang_ignored",
                 "W12: the renderer hangs; the app waits for the page through every "
                 "RenderProcessUnresponsive report",
                 {Verdict::kStall}, [](Kernel& k) { HangSetup(k, true); }),
      MakeFaulty("wv2.renderer_hang_reloaded",
                 "W12: the same app reloads on RenderProcessUnresponsive; the page comes back",
                 {clean}, [](Kernel& k) { HangSetup(k, false); }),
      MakeFaulty("wv2.renderer_hang_waited_out",
                 "W12: the same app sits out two RenderProcessUnresponsive reports, reloads at "
                 "the third; a hang that ends by itself lets the page go on",
                 {clean}, [](Kernel& k) { HangSetup(k, false, 2); }),
      MakeFaulty(
          "wv2.gpu_crash_recovers",
          "W12: GPU and utility processes exit; ProcessFailed fires, scripts keep working", {clean},
          [](Kernel& k) { AuxiliarySetup(k, false); }, 2),
      MakeFaulty("wv2.gpu_hang_during_load",
                 "W12: the GPU or the utility process hangs while the page loads; "
                 "NavigationCompleted never comes and nothing reports the hang",
                 {Verdict::kStall}, [](Kernel& k) { AuxiliarySetup(k, true); }),
      MakeFaulty("wv2.browser_hang_during_script",
                 "W12: the browser process hangs while the app awaits ExecuteScript; no event "
                 "reports it and the call never completes",
                 {Verdict::kStall}, [](Kernel& k) { BrowserHangSetup(k); }),
      MakeFaulty("wv2.frame_crash_during_script",
                 "W12, W15: an iframe's renderer dies while the app awaits a frame script "
                 "(FB#3124); the app handles the failure HRESULT",
                 {Verdict::kStall}, [](Kernel& k) { FrameSetup(k); }),
      Make("wv2.controller_reference_dropped",
           "W14: the controller is a local com_ptr; its release closes the WebView, a later "
           "call throws",
           {Verdict::kException}, [](Kernel& k) { ReferenceSetup(k, true); }),
      Make("wv2.controller_reference_kept", "W14: the form keeps the controller reference", {clean},
           [](Kernel& k) { ReferenceSetup(k, false); }),
      std::move(runtime_break),
  };
}

}  // namespace wvsim::model::webview2::scenario_app
