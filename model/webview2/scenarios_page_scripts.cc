// The wv2.* scenarios about the page as an actor (issue 15): a page script that posts at
// DOMContentLoaded before the app subscribed (W2), a script run by ExecuteScript that posts a
// web message whose handler opens a modal dialog (W2, W4), and a page script's alert held by a
// deferred ScriptDialogOpening whose handler waits for an ExecuteScript queued behind that alert
// on the page's JavaScript thread (W7, W9.3). Each buggy scenario has a clean twin.
#include <string>

#include "model/verdicts.h"
#include "model/webview2/scenario_app.h"

namespace wvsim::model::webview2::scenario_app {

using sim::Scenario;
using sim::Verdict;

namespace {

// ---- wv2.script_message_dialog_in_handler / wv2.script_message_dialog_posted (W2, W4): the
// seed's reentrancy example, triggered by the app's own script.

constexpr char kOpenSettings[] = "open-settings";

Task<> SettingsShown(App& app) {
  // The dialog hosts its own WebView on the same environment: it never initialises inside a
  // WebView2 handler's nested loop (W4).
  Async<Controller*> op = co_await app.env->CreateCoreWebView2ControllerAsync();
  Controller* controller = co_await op;
  co_await controller->CoreWebView2().Navigate(kHome);
  ++app.events;
  co_await app.rt->CloseDialog();
}

Task<> ShowSettingsDialog(App& app) {
  co_await app.rt->ShowDialog("Settings", [&app] { return SettingsShown(app); });
}

Task<> OnSettingsMessage(App& app, WebMessageReceivedEventArgs& args) {
  const std::string message = co_await args.TryGetWebMessageAsString();
  if (message != kOpenSettings) co_return;
  if (app.blocking) {
    co_await ShowSettingsDialog(app);  // new SettingsForm().ShowDialog() in the handler (W4)
  } else {
    co_await app.rt->Post(app.ui, "ShowSettings", [&app] { return ShowSettingsDialog(app); });
  }
}

Task<> SettingsButtonClick(App& app) {
  // await webView.CoreWebView2.ExecuteScriptAsync("chrome.webview.postMessage('open-settings')")
  Async<std::string> script =
      co_await app.webview->ExecuteScriptAsync("chrome.webview.postMessage('open-settings')");
  app.title = co_await script;
}

Task<> OnLoadedClickSettings(App& app, NavigationEventArgs& args) {
  (void)args;
  co_await app.rt->Post(app.ui, "settingsButton_Click",
                        [&app] { return SettingsButtonClick(app); });
}

Task<> ScriptMessageLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_WebMessageReceived(
      [&app](WebMessageReceivedEventArgs& args) { return OnSettingsMessage(app, args); });
  co_await app.webview->add_NavigationCompleted(
      [&app](NavigationEventArgs& args) { return OnLoadedClickSettings(app, args); });
  co_await app.webview->Navigate(kHome);
}

void ScriptMessageSetup(Kernel& k, bool in_handler) {
  App& app = MakeApp(k);
  app.blocking = in_handler;
  PostLoad(app, [&app] { return ScriptMessageLoad(app); });
  k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&app]() -> std::optional<sim::Violation> {
    if (app.events == 1 && app.title == "null") return std::nullopt;
    return sim::Violation{Verdict::kAssertion, "settings dialog",
                          "the settings dialog was shown " + std::to_string(app.events) +
                              " times (expected once); the script returned '" + app.title + "'"};
  });
}

// ---- wv2.alert_deferral_awaits_script / wv2.alert_deferral_completed_first (W7, W9.3).

constexpr char kDraft[] = "\"unsaved\"";

Page AlertingPage() {
  Page page{.title = "Example"};
  // window.onload: the page keeps a draft, asks the user with alert(), then records that it
  // went on.
  page.scripts.push_back(Page::Script::AtLoad()
                             .SetGlobal("window.draft", kDraft)
                             .Alert("Discard the draft?")
                             .SetGlobal("window.discarded", "true"));
  return page;
}

Task<> ReadDraft(App& app) {
  Async<std::string> draft = co_await app.webview->ExecuteScriptAsync("window.draft");
  app.title = co_await draft;
}

Task<> OnScriptDialog(App& app, DeferrableEventArgs& args) {
  Deferral deferral = args.GetDeferral();
  if (app.blocking) {
    // The bug: the answer needs the page's draft first, but the script that reads it queues on
    // the page's JavaScript thread behind the very alert this deferral holds (W7, W9.3).
    co_await ReadDraft(app);
    co_await args.Accept();
    deferral.Complete();
  } else {
    co_await args.Accept();
    deferral.Complete();  // the alert returns; the script below runs after the page's script
    co_await ReadDraft(app);
  }
}

Task<> AlertLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  // W9.3: ScriptDialogOpening is raised only with the default dialogs off.
  CoreWebView2Settings* settings = co_await app.webview->get_Settings();
  co_await settings->put_AreDefaultScriptDialogsEnabled(false);
  co_await app.webview->add_DeferrableEvent(
      DeferrableEvent::kScriptDialogOpening,
      [&app](DeferrableEventArgs& args) { return OnScriptDialog(app, args); });
  co_await app.webview->Navigate(kHome);
}

void AlertSetup(Kernel& k, bool awaits_script) {
  App& app = MakeApp(k);
  app.blocking = awaits_script;
  app.rt->world().AddPage(kHome, AlertingPage());
  PostLoad(app, [&app] { return AlertLoad(app); });
  k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&app]() -> std::optional<sim::Violation> {
    const std::string* discarded =
        app.webview != nullptr ? app.rt->world().Global(*app.webview, "window.discarded") : nullptr;
    if (app.title == kDraft && discarded != nullptr) return std::nullopt;
    return sim::Violation{Verdict::kAssertion, "draft",
                          "ExecuteScript read the draft as '" + app.title +
                              "', and the page's script after its alert " +
                              (discarded != nullptr ? "ran" : "never ran")};
  });
}

// ---- wv2.page_message_before_subscribed / wv2.page_message_subscribed_first (W2): the page
// posts at DOMContentLoaded; an app that subscribes only once the page loaded may be too late.

constexpr char kReady[] = "ready";

Task<> OnReady(App& app, WebMessageReceivedEventArgs& args) {
  const std::string message = co_await args.TryGetWebMessageAsString();
  if (message == kReady) ++app.events;
}

Task<> SubscribeToReady(App& app) {
  co_await app.webview->add_WebMessageReceived(
      [&app](WebMessageReceivedEventArgs& args) { return OnReady(app, args); });
}

Task<> SubscribeOnLoaded(App& app, NavigationEventArgs& args) {
  (void)args;
  co_await SubscribeToReady(app);  // the bug: the page's script may have posted already
}

Task<> ReadyLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  if (app.blocking) {
    co_await app.webview->add_NavigationCompleted(
        [&app](NavigationEventArgs& args) { return SubscribeOnLoaded(app, args); });
  } else {
    co_await SubscribeToReady(app);  // the fix: subscribed before Navigate
  }
  co_await app.webview->Navigate(kHome);
}

void ReadySetup(Kernel& k, bool late) {
  App& app = MakeApp(k);
  app.blocking = late;
  Page page{.title = "Example"};
  page.scripts.push_back(Page::Script::AtDOMContentLoaded().PostMessage(kReady));
  app.rt->world().AddPage(kHome, std::move(page));
  PostLoad(app, [&app] { return ReadyLoad(app); });
  k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&app]() -> std::optional<sim::Violation> {
    if (app.events == 1) return std::nullopt;
    return sim::Violation{Verdict::kAssertion, "ready message",
                          "W2: the page's 'ready' web message reached the app " +
                              std::to_string(app.events) +
                              " times (expected once): the page posted it at DOMContentLoaded, "
                              "before the app subscribed to WebMessageReceived"};
  });
}

}  // namespace

std::vector<Scenario> PageScriptScenarios() {
  const Verdict clean = Verdict::kClean;
  return {
      Make("wv2.page_message_before_subscribed",
           "W2: the page posts at DOMContentLoaded; the app subscribes to WebMessageReceived "
           "only in NavigationCompleted",
           {Verdict::kAssertion}, [](Kernel& k) { ReadySetup(k, true); }),
      Make("wv2.page_message_subscribed_first", "W2: the same app subscribes before Navigate",
           {clean}, [](Kernel& k) { ReadySetup(k, false); }),
      Make("wv2.script_message_dialog_in_handler",
           "W2, W4: ExecuteScript runs chrome.webview.postMessage; WebMessageReceived opens a "
           "modal dialog",
           {WebViewVerdict::kReentrancy}, [](Kernel& k) { ScriptMessageSetup(k, true); }),
      Make("wv2.script_message_dialog_posted",
           "W2, W4: the same handler posts the dialog to run after it returns", {clean},
           [](Kernel& k) { ScriptMessageSetup(k, false); }),
      WithScriptDuringAlertParam(
          Make("wv2.alert_deferral_awaits_script",
               "W7, W9.3: ScriptDialogOpening defers and awaits an ExecuteScript that queues "
               "behind the held alert",
               {Verdict::kStall}, [](Kernel& k) { AlertSetup(k, true); })),
      WithScriptDuringAlertParam(
          Make("wv2.alert_deferral_completed_first",
               "W7, W9.3: the handler completes the deferral first, then runs the script", {clean},
               [](Kernel& k) { AlertSetup(k, false); })),
  };
}

}  // namespace wvsim::model::webview2::scenario_app
