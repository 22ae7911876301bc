// The wv2.* scenarios about the browser's default script dialogs (W9.3, W5, W7): with
// AreDefaultScriptDialogsEnabled left true (the default) a page's confirm shows the browser's own
// dialog and its JavaScript waits for the user. The user's click is input to the app's window,
// which only the UI thread's pump dispatches (an assumption), and an app's ExecuteScript waits
// behind the open dialog (an assumption: kScriptDuringAlertParam). The buggy app reads such a
// script's Task.Result on the UI thread, so the answer never reaches the page; its twin awaits.
#include <string>

#include "model/webview2/runtime.h"
#include "model/webview2/scenario_app.h"
#include "sim/scenario.h"

namespace wvsim::model::webview2::scenario_app {

using sim::Scenario;
using sim::Verdict;

namespace {

constexpr char kKeep[] = "window.keepDraft";

Task<> OnKeepLoaded(App& app, NavigationEventArgs& args) {
  (void)args;
  co_await app.rt->Post(app.ui, "ReadKeep", [&app] { return ReadIntoTitle(app, kKeep); });
}

Task<> DraftLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_NavigationCompleted(
      [&app](NavigationEventArgs& args) { return OnKeepLoaded(app, args); });
  co_await app.webview->Navigate(kHome);
}

void DraftSetup(Kernel& k, bool blocks) {
  App& app = MakeApp(k);
  app.blocking = blocks;
  app.dialogs_to_answer = 1;  // the user clicks OK in the page's confirm
  Page home{.title = "Example"};
  // window.onload: the page asks its user whether to keep the draft (the default dialog).
  home.scripts.push_back(Page::Script::AtLoad().Confirm("Keep the draft?", kKeep));
  app.rt->world().AddPage(kHome, std::move(home));
  PostLoad(app, [&app] { return DraftLoad(app); });
  k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&app]() -> std::optional<sim::Violation> {
    const std::string* keep =
        app.webview != nullptr ? app.rt->world().Global(*app.webview, kKeep) : nullptr;
    if (!app.title.empty() && keep != nullptr && *keep == "true") return std::nullopt;
    return sim::Violation{Verdict::kAssertion, "draft",
                          "W9.3: the app's ExecuteScript returned '" + app.title +
                              "' and the page's confirm returned " +
                              (keep != nullptr ? *keep : std::string("nothing")) +
                              " (expected the user's OK, true)"};
  });
}

}  // namespace

std::vector<Scenario> DefaultDialogScenarios() {
  return {
      WithScriptDuringAlertParam(
          Make("wv2.default_dialog_blocks_script_result",
               "W5, W9.3: the page's confirm shows the default dialog while the UI thread reads "
               "ExecuteScript(...).Result, queued behind it; the user's OK is input the blocked UI "
               "thread must dispatch (assumption)",
               {Verdict::kDeadlock}, [](Kernel& k) { DraftSetup(k, true); })),
      WithScriptDuringAlertParam(
          Make("wv2.default_dialog_script_awaited",
               "W9.3: the same script awaited: the pump dispatches the user's OK, the confirm "
               "returns, then the script runs",
               {Verdict::kClean}, [](Kernel& k) { DraftSetup(k, false); })),
  };
}

}  // namespace wvsim::model::webview2::scenario_app
