// The wv2.* scenarios about host objects (issue 15, docs/webview2-rules.md W17): a page's
// synchronous host-object call while the UI thread blocks on that page's ExecuteScript (each side
// waits for the other: the UI thread for the renderer's JavaScript, the page's JavaScript for the
// UI thread), and its clean twin that awaits the script.
#include <string>

#include "model/verdicts.h"
#include "model/webview2/scenario_app.h"

namespace wvsim::model::webview2::scenario_app {

using sim::Scenario;
using sim::Verdict;

namespace {

// ---- wv2.sync_host_call_while_ui_waits_on_script / wv2.sync_host_call_while_script_awaited.

constexpr char kSave[] = "save";
constexpr char kDraft[] = "\"unsaved\"";

Page SavingPage() {
  Page page{.title = "Example"};
  page.scripts.push_back(Page::Script::AtLoad().SetGlobal("window.draft", kDraft));
  // On the app's "save": const ok = chrome.webview.hostObjects.sync.bridge.confirmSave();
  page.scripts.push_back(
      Page::Script::OnWebMessage(kSave).CallHostSync("bridge", "confirmSave", "window.saved"));
  return page;
}

Task<std::string> ConfirmSave(App& app) {
  ++app.events;  // the app's method, on the UI thread
  co_return std::string("true");
}

Task<> SaveButtonClick(App& app) {
  co_await app.webview->PostWebMessageAsString(kSave);
  Async<std::string> draft = co_await app.webview->ExecuteScriptAsync("window.draft");
  if (app.blocking) {
    // The bug: a non-pumping wait on the page's script (Task.Result; W5, W17). The page's
    // synchronous call into the app holds its JavaScript thread, and the script waits behind it.
    app.title = co_await app.rt->Result(draft);
  } else {
    app.title = co_await draft;
  }
}

Task<> OnLoadedClickSave(App& app, NavigationEventArgs& args) {
  (void)args;
  co_await app.rt->Post(app.ui, "saveButton_Click", [&app] { return SaveButtonClick(app); });
}

Task<> SavingLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  HostObject& bridge = app.k->Make<HostObject>();
  bridge.AddMethod("confirmSave", [&app] { return ConfirmSave(app); });
  co_await app.webview->AddHostObjectToScript("bridge", bridge);
  co_await app.webview->add_NavigationCompleted(
      [&app](NavigationEventArgs& args) { return OnLoadedClickSave(app, args); });
  co_await app.webview->Navigate(kHome);
}

void SavingSetup(Kernel& k, bool waits) {
  App& app = MakeApp(k);
  app.blocking = waits;
  app.rt->world().AddPage(kHome, SavingPage());
  PostLoad(app, [&app] { return SavingLoad(app); });
  k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&app]() -> std::optional<sim::Violation> {
    const std::string* saved =
        app.webview != nullptr ? app.rt->world().Global(*app.webview, "window.saved") : nullptr;
    if (app.events == 1 && app.title == kDraft && saved != nullptr && *saved == "true") {
      return std::nullopt;
    }
    return sim::Violation{Verdict::kAssertion, "save",
                          "the host object's confirmSave ran " + std::to_string(app.events) +
                              " times (expected once), ExecuteScript read the draft as '" +
                              app.title + "', and the page " +
                              (saved != nullptr ? "got its answer" : "never got its answer")};
  });
}

}  // namespace

std::vector<Scenario> HostObjectScenarios() {
  return {
      Make("wv2.sync_host_call_while_ui_waits_on_script",
           "W5, W17: the page calls a host object synchronously while the UI thread blocks in "
           "Task.Result on the same page's ExecuteScript",
           {Verdict::kDeadlock}, [](Kernel& k) { SavingSetup(k, true); }),
      Make("wv2.sync_host_call_while_script_awaited",
           "W17: the same app awaits the script; the UI thread's pump runs the host call",
           {Verdict::kClean}, [](Kernel& k) { SavingSetup(k, false); }),
  };
}

}  // namespace wvsim::model::webview2::scenario_app
