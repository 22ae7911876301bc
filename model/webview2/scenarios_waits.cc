// The wv2.* scenarios about nested loops the app builds itself and W2's pump (W4, W2): a
// WebMessageReceived handler that pumps with the kernel until a worker is done
// (Application.DoEvents in a loop), a C++ completion handler that runs a message box's loop inside
// the completion's delivery, and an STA thread with no message queue that creates the environment.
// Each buggy one has a clean twin with the usual fix.
#include <string>

#include "model/verdicts.h"
#include "model/webview2/runtime.h"
#include "model/webview2/scenario_app.h"
#include "sim/scenario.h"
#include "sim/sync.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::model::webview2::scenario_app {

using sim::Scenario;
using sim::Verdict;

namespace {

// ---- wv2.pump_loop_in_message_handler / wv2.worker_result_awaited (W4).

// The worker: loads the settings the page asked for, then signals the UI.
Task<> LoadSettings(App& app) {
  co_await app.k->Yield({"read settings.json", nullptr});
  app.ready.Set();
}

Task<> OnSettingsRequested(App& app, WebMessageReceivedEventArgs& args) {
  const std::string message = co_await args.TryGetWebMessageAsString();
  if (message != "get-settings") co_return;
  app.ready = app.k->MakePromise<void>("settings loaded");
  app.k->Spawn("worker", LoadSettings(app));
  if (app.blocking) {
    // while (!loaded) Application.DoEvents(): a nested loop built from the kernel's pump (W4).
    co_await app.k->PumpUntil(app.ready.future());
  } else {
    co_await app.rt->AsAsync(app.ready.future());  // await: the handler leaves the stack
  }
  co_await app.webview->PostWebMessageAsString("settings");
}

Task<> SettingsLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_WebMessageReceived(
      [&app](WebMessageReceivedEventArgs& args) { return OnSettingsRequested(app, args); });
  co_await app.webview->Navigate(kHome);
}

void SettingsSetup(Kernel& k, bool pumps) {
  App& app = MakeApp(k);
  app.blocking = pumps;
  app.rt->world().AddPage(kHome, Page{.title = "Example", .web_message = "get-settings"});
  PostLoad(app, [&app] { return SettingsLoad(app); });
}

// ---- wv2.message_box_in_completion_handler / wv2.message_box_posted (W4).

// MessageBox: a modal loop until the user closes it.
Task<> UserClosesMessageBox(App& app) {
  co_await app.k->PostQuit(app.ui);
  co_return;
}

Task<> ShowMessageBox(App& app, std::string text) {
  app.title = std::move(text);
  co_await app.k->Post(app.ui, "user closes the message box",
                       [&app] { return UserClosesMessageBox(app); });
  co_await app.k->RunMessageLoop();  // the message box's own loop
}

// The Callback<ICoreWebView2ExecuteScriptCompletedHandler> lambda: runs inside the delivery.
Task<> OnTitle(App& app, Async<std::string> op) {
  std::string title = co_await op;  // done: the result, or the failure's ComException
  if (app.blocking) {
    co_await ShowMessageBox(app, title);  // MessageBox inside the completion handler (W4)
  } else {
    // Named first: g++ 12 miscompiles a closure holding a string passed to a co_awaited call.
    absl::AnyInvocable<Task<>()> show = [&app, title] { return ShowMessageBox(app, title); };
    co_await app.rt->Post(app.ui, "show the title", std::move(show));
  }
}

Task<> TitleLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->Navigate(kHome);
  Async<std::string> op = co_await app.webview->ExecuteScriptAsync("document.title");
  op.OnCompleted([&app](Async<std::string> done) { return OnTitle(app, done); });
}

void TitleSetup(Kernel& k, bool in_handler) {
  App& app = MakeApp(k);
  app.blocking = in_handler;
  PostLoad(app, [&app] { return TitleLoad(app); });
}

// ---- wv2.created_on_sta_without_queue (W2).

Task<> CreateOnQueuelessSta(App& app) {
  app.rt->CoInitializeEx(Apartment::kSta);  // an STA thread, but it never made a message queue
  EnvironmentOptions options;
  Async<Environment*> op = co_await app.rt->CreateCoreWebView2EnvironmentAsync(std::move(options));
  app.env = co_await op;  // W2: the completion comes only through this thread's pump
}

void QueuelessStaSetup(Kernel& k) {
  App& app = k.Make<App>();
  app.k = &k;
  app.rt = &Runtime::Create(k);
  k.Spawn("main", CreateOnQueuelessSta(app));
}

// ---- wv2.script_awaited_through_renderer_crash / wv2.script_raced_against_timeout (W15).

// The page's title for the window caption: the renderer may die while the script is pending, and
// then the call fails or never completes (W15).
Task<> CaptionLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->Navigate(kHome);
  FaultKinds renderer_crashes;
  renderer_crashes.browser_crash = false;
  app.rt->world().EnableFaults(renderer_crashes);
  Async<std::string> script = co_await app.webview->ExecuteScriptAsync("document.title");
  if (!app.blocking) {
    co_await AwaitOrGiveUp(app, script, "(page not responding)", "(page failed)");
    co_return;
  }
  try {
    app.title = co_await script;  // waits for as long as the call takes: for ever, if never
  } catch (const ComException&) {
    app.title = "(page failed)";  // W15: E_FAIL in the completion
  }
}

void CaptionSetup(Kernel& k, bool awaits_for_ever) {
  App& app = MakeApp(k);
  app.blocking = awaits_for_ever;
  PostLoad(app, [&app] { return CaptionLoad(app); });
}

}  // namespace

std::vector<Scenario> WaitScenarios() {
  const Verdict clean = Verdict::kClean;
  return {
      Make("wv2.pump_loop_in_message_handler",
           "W4: WebMessageReceived pumps with the kernel (a DoEvents loop) until a worker loaded "
           "the settings",
           {WebViewVerdict::kReentrancy}, [](Kernel& k) { SettingsSetup(k, true); }),
      Make("wv2.worker_result_awaited",
           "W4: the same handler awaits the worker's Task: it leaves the stack, no nested loop",
           {clean}, [](Kernel& k) { SettingsSetup(k, false); }),
      Make("wv2.message_box_in_completion_handler",
           "W4: the C++ completion handler of ExecuteScript shows a message box (a modal loop) "
           "inside the completion's delivery",
           {WebViewVerdict::kReentrancy}, [](Kernel& k) { TitleSetup(k, true); }),
      Make("wv2.message_box_posted",
           "W4: the completion handler posts the message box to run after it returns", {clean},
           [](Kernel& k) { TitleSetup(k, false); }),
      Make("wv2.created_on_sta_without_queue",
           "W2: an STA thread that never made a message queue creates the environment; its "
           "completion can only come through that thread's pump",
           {Verdict::kStall}, [](Kernel& k) { QueuelessStaSetup(k); }),
      MakeFaulty("wv2.script_awaited_through_renderer_crash",
                 "W15: the renderer may die while the app awaits ExecuteScript for the caption; "
                 "the call fails or never completes, and the app waits for ever",
                 {Verdict::kStall}, [](Kernel& k) { CaptionSetup(k, true); }),
      MakeFaulty("wv2.script_raced_against_timeout",
                 "W15: the same call raced against Task.Delay(2000): the app gives up on it and "
                 "moves on; the abandoned call is not outstanding work",
                 {clean}, [](Kernel& k) { CaptionSetup(k, false); }),
  };
}

}  // namespace wvsim::model::webview2::scenario_app
