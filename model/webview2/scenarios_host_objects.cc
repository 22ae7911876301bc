// The wv2.* scenarios about host objects (issue 15, docs/webview2-rules.md W17): a page's
// synchronous host-object call while the UI thread blocks on that page's ExecuteScript (each side
// waits for the other: the UI thread for the renderer's JavaScript, the page's JavaScript for the
// UI thread), and its clean twin that awaits the script; and the same with an editor iframe of
// another site, whose host object the app added for the frame's origin
// (CoreWebView2Frame.AddHostObjectToScriptWithOrigins), calling while the UI thread blocks on that
// frame's ExecuteScript.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/verdicts.h"
#include "model/webview2/frames.h"
#include "model/webview2/scenario_app.h"

namespace wvsim::model::webview2::scenario_app {

using sim::Scenario;
using sim::Verdict;

namespace {

// ---- wv2.sync_host_call_while_ui_waits_on_script / wv2.sync_host_call_while_script_awaited,
// and wv2.frame_sync_host_call_while_ui_waits_on_frame_script /
// wv2.frame_sync_host_call_while_frame_script_awaited: the same page in the editor frame.

constexpr char kEditor[] = "https://editor.example/draft";
constexpr char kEditorOrigin[] = "https://editor.example";

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

// `target`: the WebView (its top-level document) or the editor frame.
template <typename Target>
Task<> SaveButtonClick(App& app, Target& target) {
  co_await target.PostWebMessageAsString(kSave);
  Async<std::string> draft = co_await target.ExecuteScriptAsync("window.draft");
  if (app.blocking) {
    // The bug: a non-pumping wait on the page's script (Task.Result; W5, W17). The page's
    // synchronous call into the app holds its renderer's JavaScript thread, and the script waits
    // behind it.
    app.title = co_await app.rt->Result(draft);
  } else {
    app.title = co_await draft;
  }
}

Task<> OnLoadedClickSave(App& app, NavigationEventArgs& args) {
  (void)args;
  co_await app.rt->Post(app.ui, "saveButton_Click",
                        [&app] { return SaveButtonClick(app, *app.webview); });
}

// FrameCreated: the editor gets its bridge, for its own origin only, then the user clicks Save.
Task<> OnEditorCreated(App& app, FrameCreatedEventArgs& args) {
  app.frame = co_await args.frame.get();
  HostObject& bridge = app.k->Make<HostObject>();
  bridge.AddMethod("confirmSave", [&app] { return ConfirmSave(app); });
  std::vector<std::string> origins = {kEditorOrigin};
  co_await app.frame->AddHostObjectToScriptWithOrigins("bridge", bridge, std::move(origins));
  co_await app.rt->Post(app.ui, "saveButton_Click",
                        [&app] { return SaveButtonClick(app, *app.frame); });
}

Task<> EditorLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_FrameCreated(
      [&app](FrameCreatedEventArgs& args) { return OnEditorCreated(app, args); });
  co_await app.webview->Navigate(kHome);
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

// `in_frame`: the saving page is the editor frame's document, and the app's bridge the frame's.
void SavingSetup(Kernel& k, bool waits, bool in_frame = false) {
  App& app = MakeApp(k);
  app.blocking = waits;
  if (in_frame) {
    app.rt->world().AddPage(
        kHome, Page{.title = "Example", .frames = {{.name = "editor", .uri = kEditor}}});
    app.rt->world().AddPage(kEditor, SavingPage());
    PostLoad(app, [&app] { return EditorLoad(app); });
  } else {
    app.rt->world().AddPage(kHome, SavingPage());
    PostLoad(app, [&app] { return SavingLoad(app); });
  }
  k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&app]() -> std::optional<sim::Violation> {
    const std::string* saved =
        app.frame != nullptr     ? app.rt->world().Global(*app.frame, "window.saved")
        : app.webview != nullptr ? app.rt->world().Global(*app.webview, "window.saved")
                                 : nullptr;
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
      Make("wv2.frame_sync_host_call_while_ui_waits_on_frame_script",
           "W5, W17: an iframe calls its host object (AddHostObjectToScriptWithOrigins) "
           "synchronously while the UI thread blocks in Task.Result on the same frame's "
           "ExecuteScript",
           {Verdict::kDeadlock}, [](Kernel& k) { SavingSetup(k, true, /*in_frame=*/true); }),
      Make("wv2.frame_sync_host_call_while_frame_script_awaited",
           "W17: the same app awaits the frame's script; the UI thread's pump runs the host call",
           {Verdict::kClean}, [](Kernel& k) { SavingSetup(k, false, /*in_frame=*/true); }),
  };
}

}  // namespace wvsim::model::webview2::scenario_app
