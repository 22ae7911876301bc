// The framework scenarios (docs/framework-rules.md): each buggy app has a clean twin with the
// usual fix. The app is a WinForms form with one WebView2 (scenario_app.h), its UI thread an STA
// with a WindowsFormsSynchronizationContext; the C++ pair uses Win32 directly.
#include "model/framework/scenarios.h"

#include <string>
#include <utility>

#include "model/framework/clr.h"
#include "model/framework/exceptions.h"
#include "model/framework/form.h"
#include "model/framework/user.h"
#include "model/framework/webview2_control.h"
#include "model/framework/win32.h"
#include "model/webview2/scenario_app.h"
#include "sim/model_port.h"
#include "sim/scenario.h"

namespace wvsim::model::framework {

namespace {

using sim::Kernel;
using sim::Scenario;
using sim::Task;
using sim::Verdict;
using webview2::scenario_app::App;
using webview2::scenario_app::kHome;

// The app: the WebView2 form of scenario_app with the framework around its UI thread.
struct Desk {
  App* app = nullptr;
  Win32* win32 = nullptr;
  Clr* clr = nullptr;
  SynchronizationContext* ui_context = nullptr;
  User* user = nullptr;
  WebView2Control* control = nullptr;
  CancellationTokenSource* closing = nullptr;
  bool buggy = false;
};

Desk& MakeDesk(Kernel& k, bool buggy) {
  Desk& desk = k.Make<Desk>();
  desk.app = &webview2::scenario_app::MakeApp(k);
  desk.win32 = &Win32::Create(k);
  desk.clr = &Clr::Create(k, *desk.win32);
  desk.ui_context = &desk.clr->InstallContext(desk.app->ui, UiFramework::kWinForms);
  desk.buggy = buggy;
  return desk;
}

// Form1_Load for the pairs whose race is not with the user: initialise, navigate, then the
// click the scenario is about.
Task<> LoadThenClick(Desk& desk, absl::AnyInvocable<Task<>()> click) {
  co_await webview2::scenario_app::EnsureCoreWebView2(*desk.app);
  co_await desk.app->webview->Navigate(kHome);
  co_await desk.app->k->Post(desk.app->ui, "click button1", std::move(click));
}

void PostLoadThenClick(Desk& desk, absl::AnyInvocable<Task<>()> click) {
  webview2::scenario_app::PostLoad(*desk.app, [&desk, click = std::move(click)]() mutable {
    return LoadThenClick(desk, std::move(click));
  });
}

// ---- wv2.wait_on_captured_context / wv2.configure_await_false_wait (F2, F4).

Task<std::string> ReadSettingsFile(Kernel& k) {
  co_await k.Yield({"read settings.json", nullptr});
  co_return std::string("{\"theme\":\"dark\"}");
}

// async Task<string> LoadSettingsAsync() {
//   var json = await Task.Run(ReadSettingsFile)[.ConfigureAwait(false)];
//   return "settings " + json; }
Task<NetTask<std::string>> LoadSettingsAsync(Desk& desk) {
  absl::AnyInvocable<Task<std::string>()> read_file = [&desk] {
    return ReadSettingsFile(*desk.app->k);
  };
  const NetTask<std::string> read =
      co_await desk.clr->Run<std::string>("ReadSettingsFile", std::move(read_file));
  absl::AnyInvocable<Task<std::string>()> rest = [read]() -> Task<std::string> {
    co_return "settings " + read.Get();
  };
  const ConfiguredTask<std::string> awaited = read.ConfigureAwait(desk.buggy);
  co_return co_await desk.clr->Await(awaited, "LoadSettingsAsync", std::move(rest));
}

// button1_Click: var settings = LoadSettingsAsync().Result; then hands them to the page.
Task<> ApplySettingsClick(Desk& desk) {
  const NetTask<std::string> settings = co_await LoadSettingsAsync(desk);
  const std::string text = co_await desk.clr->Result(settings);
  co_await desk.app->webview->PostWebMessageAsString(text);
}

void CapturedContextSetup(Kernel& k, bool captures) {
  Desk& desk = MakeDesk(k, captures);
  PostLoadThenClick(desk, [&desk] { return ApplySettingsClick(desk); });
}

// ---- wv2.invoke_while_ui_waits / wv2.begin_invoke_while_ui_waits (F4, F5).

Task<> ShowProgress(Desk& desk) {
  co_await desk.app->webview->PostWebMessageAsString("progress 100%");
}

// The worker: downloads, then shows the progress on the UI thread.
Task<> RefreshFeed(Desk& desk) {
  co_await desk.app->k->Yield({"download the feed", nullptr});
  absl::AnyInvocable<Task<>()> show = [&desk] { return ShowProgress(desk); };
  if (desk.buggy) {
    co_await desk.clr->Invoke(*desk.ui_context, "show progress", std::move(show));
  } else {
    co_await desk.clr->BeginInvoke(*desk.ui_context, "show progress", std::move(show));
  }
}

// button1_Click: Task.Run(RefreshFeed).Wait() on the UI thread.
Task<> RefreshClick(Desk& desk) {
  absl::AnyInvocable<Task<>()> work = [&desk] { return RefreshFeed(desk); };
  const NetTask<void> refresh = co_await desk.clr->Run<void>("RefreshFeed", std::move(work));
  co_await desk.clr->Wait(refresh);
}

void InvokeSetup(Kernel& k, bool invokes) {
  Desk& desk = MakeDesk(k, invokes);
  PostLoadThenClick(desk, [&desk] { return RefreshClick(desk); });
}

// ---- wv2.send_message_to_waiting_thread / wv2.post_message_to_waiting_thread (F7, F8).

// A C++ app's export thread: writes the file, reports progress to the window, ends.
Task<> ExportThread(Desk& desk, sim::Promise<void> finished) {
  co_await desk.app->k->Yield({"write export.csv", nullptr});
  absl::AnyInvocable<Task<>()> progress = [&desk] { return ShowProgress(desk); };
  if (desk.buggy) {
    co_await desk.win32->SendMessage(desk.app->ui, "WM_APP_PROGRESS", std::move(progress));
  } else {
    co_await desk.win32->PostMessage(desk.app->ui, "WM_APP_PROGRESS", std::move(progress));
  }
  finished.Set();
}

// The Export command: CreateThread, then WaitForSingleObject(thread, INFINITE) on the UI thread.
Task<> ExportClick(Desk& desk) {
  Kernel& k = *desk.app->k;
  const sim::Promise<void> finished = k.MakePromise<void>("export thread");
  const sim::Thread exporter = k.Spawn("export", ExportThread(desk, finished));
  finished.SetProducer(exporter, "thread export signals it when it ends");
  co_await desk.win32->WaitForSingleObject(finished.future());
}

void SendMessageSetup(Kernel& k, bool sends) {
  Desk& desk = MakeDesk(k, sends);
  PostLoadThenClick(desk, [&desk] { return ExportClick(desk); });
}

// ---- wv2.click_before_init / wv2.click_awaits_init (F10, F11).

// async void Form1_Load: await webView21.EnsureCoreWebView2Async(); then navigate, unless the
// form was closed meanwhile.
Task<> BrowserFormLoad(Desk& desk) {
  const NetTask<void> init = co_await desk.control->EnsureCoreWebView2Async();
  co_await init;
  if (desk.control->IsDisposed()) co_return;
  co_await Deref(desk.control->CoreWebView2()).Navigate(kHome);
}

// button1_Click: webView21.CoreWebView2.ExecuteScriptAsync("refreshFeed()"); the fix awaits
// EnsureCoreWebView2Async first (it returns the initialisation already under way).
Task<> RefreshPageClick(Desk& desk) {
  if (!desk.buggy) {
    const NetTask<void> init = co_await desk.control->EnsureCoreWebView2Async();
    co_await init;
  }
  webview2::CoreWebView2& webview = Deref(desk.control->CoreWebView2());
  webview2::Async<std::string> refreshed = co_await webview.ExecuteScriptAsync("refreshFeed()");
  co_await refreshed;
}

Task<> FormShown(Desk& desk) {
  desk.user->Start();  // the window is on screen: the user may act
  co_return;
}

void ClickSetup(Kernel& k, bool early) {
  Desk& desk = MakeDesk(k, early);
  desk.control = &k.Make<WebView2Control>(*desk.app->rt, desk.app->ui, "webView21");
  desk.user = &User::Create(k, desk.app->ui);
  desk.user->Click("button1", 1, [&desk] { return RefreshPageClick(desk); });
  webview2::scenario_app::PostLoad(*desk.app, [&desk] { return BrowserFormLoad(desk); });
  sim::ModelPort(k).Send(desk.app->ui, "Form1_Shown", [&desk] { return FormShown(desk); });
}

// ---- wv2.close_during_script / wv2.close_checked (F10, F11, W14).

// button1_Click: var title = await webView21.CoreWebView2.ExecuteScriptAsync("document.title");
// then shows it in the page. The fix races the script against the form's closing token and
// checks it: once the form closes, the WebView is gone.
Task<> ShowTitleClick(Desk& desk) {
  const NetTask<void> init = co_await desk.control->EnsureCoreWebView2Async();
  co_await init;
  if (!desk.buggy && desk.control->IsDisposed()) co_return;
  webview2::CoreWebView2& webview = Deref(desk.control->CoreWebView2());
  const NetTask<std::string> script = co_await desk.control->ExecuteScriptAsync("document.title");
  if (desk.buggy) {
    co_await script;
  } else {
    const NetTask<size_t> first = desk.clr->WhenAny(script, desk.closing->TokenAsTask());
    co_await first;
    if (desk.closing->IsCancellationRequested()) co_return;
  }
  const std::string title = script.Get();
  co_await webview.PostWebMessageAsString(title);  // after Close: ERROR_INVALID_STATE (W14)
}

// FormClosing: the fix cancels its token there, so that a pending click gives up.
Task<> OnFormClosing(Desk& desk, FormClosingEventArgs&) {
  if (!desk.buggy) desk.closing->Cancel();
  co_return;
}

void CloseSetup(Kernel& k, bool unchecked) {
  Desk& desk = MakeDesk(k, unchecked);
  desk.control = &k.Make<WebView2Control>(*desk.app->rt, desk.app->ui, "webView21");
  desk.closing = &k.Make<CancellationTokenSource>(k, "FormClosing token");
  Form& form = k.Make<Form>("Form1");
  form.AddControl(*desk.control);
  form.add_FormClosing([&desk](FormClosingEventArgs& e) { return OnFormClosing(desk, e); });
  desk.user = &User::Create(k, desk.app->ui);
  desk.user->Click("button1", 1, [&desk] { return ShowTitleClick(desk); });
  desk.user->CloseWindow("Form1", [&form] { return form.Close(); });
  webview2::scenario_app::PostLoad(*desk.app, [&desk] { return BrowserFormLoad(desk); });
  sim::ModelPort(k).Send(desk.app->ui, "Form1_Shown", [&desk] { return FormShown(desk); });
}

Scenario Make(std::string id, std::string description, std::vector<Verdict> expected,
              std::function<void(Kernel&)> setup) {
  return webview2::scenario_app::Make(std::move(id), std::move(description), std::move(expected),
                                      std::move(setup));
}

}  // namespace

void RegisterScenarios() {
  const Verdict clean = Verdict::kClean;
  for (Scenario& scenario : std::vector<Scenario>{
           Make("wv2.wait_on_captured_context",
                "F2, F4: a click handler reads LoadSettingsAsync().Result; the async method's "
                "await captured the UI context, so its continuation is posted to the blocked UI "
                "thread",
                {Verdict::kDeadlock}, [](Kernel& k) { CapturedContextSetup(k, true); }),
           Make("wv2.configure_await_false_wait",
                "F2, F4: the same with ConfigureAwait(false): the continuation runs on a "
                "thread-pool thread and the UI thread's wait ends",
                {clean}, [](Kernel& k) { CapturedContextSetup(k, false); }),
           Make("wv2.invoke_while_ui_waits",
                "F4, F5: the UI thread Waits for a Task.Run worker that calls Control.Invoke",
                {Verdict::kDeadlock}, [](Kernel& k) { InvokeSetup(k, true); }),
           Make("wv2.begin_invoke_while_ui_waits",
                "F4, F5: the worker calls Control.BeginInvoke instead and finishes", {clean},
                [](Kernel& k) { InvokeSetup(k, false); }),
           Make("wv2.send_message_to_waiting_thread",
                "F7, F8: a worker thread SendMessages to the UI thread, which waits for it in "
                "WaitForSingleObject",
                {Verdict::kDeadlock}, [](Kernel& k) { SendMessageSetup(k, true); }),
           Make("wv2.post_message_to_waiting_thread",
                "F7, F8: the worker PostMessages instead; the UI thread handles it after the wait",
                {clean}, [](Kernel& k) { SendMessageSetup(k, false); }),
           Make("wv2.click_before_init",
                "F10, F11: the user clicks a button whose handler uses webView21.CoreWebView2, "
                "which is null until EnsureCoreWebView2Async completed",
                {Verdict::kException}, [](Kernel& k) { ClickSetup(k, true); }),
           Make("wv2.click_awaits_init",
                "F10, F11: the click handler awaits EnsureCoreWebView2Async first", {clean},
                [](Kernel& k) { ClickSetup(k, false); }),
           Make("wv2.close_during_script",
                "F10, F11, W14: the user closes the window while the click's awaited "
                "ExecuteScript is pending; the continuation uses the closed WebView, or, when the "
                "completion never arrives after Close, waits for ever",
                {Verdict::kException, Verdict::kStall}, [](Kernel& k) { CloseSetup(k, true); }),
           Make("wv2.close_checked",
                "F10, F11, W14: the click races the script against the FormClosing token and "
                "checks it before it touches the WebView",
                {clean}, [](Kernel& k) { CloseSetup(k, false); }),
       }) {
    sim::RegisterScenarioOrDie(std::move(scenario));
  }
}

}  // namespace wvsim::model::framework
