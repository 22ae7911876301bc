// The wv2.* scenarios about frames that live (W15): the main page navigates its chat iframe at
// load while the app awaits a script it sent to the chat's first document. That document is
// destroyed by the navigation, and the script fails or never completes (a recorded choice;
// FB#3124 observed "never"). The buggy app awaits it with nothing else; its clean twin races it
// against a timer and handles the failure, as wv2.script_raced_against_timeout does for a crash.
#include <string>

#include "model/webview2/frames.h"
#include "model/webview2/runtime.h"
#include "model/webview2/scenario_app.h"
#include "sim/scenario.h"

namespace wvsim::model::webview2::scenario_app {

using sim::Scenario;
using sim::Verdict;

namespace {

constexpr char kChat[] = "https://chat.example/room";
constexpr char kChatLobby[] = "https://chat.example/lobby";

// The chat frame's title for the window's status bar: asked of whatever document the frame holds.
Task<> AskChat(App& app) {
  Async<std::string> script = co_await app.frame->ExecuteScriptAsync("document.title");
  if (app.blocking) {
    // Waits for as long as the call takes: for ever when it never completes, and the failure
    // escapes when it fails (W15).
    app.title = co_await script;
    co_return;
  }
  co_await AwaitOrGiveUp(app, script, "(chat not responding)", "(chat navigated)");
}

Task<> OnChatNavigationCompleted(App& app, NavigationEventArgs& args) {
  (void)args;
  ++app.events;
  // The frame's new document: ask it again.
  co_await app.rt->Post(app.ui, "AskChat", [&app] { return AskChat(app); });
}

Task<> OnChatCreated(App& app, FrameCreatedEventArgs& args) {
  app.frame = co_await args.frame.get();
  co_await app.frame->add_NavigationCompleted(
      [&app](NavigationEventArgs& done) { return OnChatNavigationCompleted(app, done); });
  co_await app.rt->Post(app.ui, "AskChat", [&app] { return AskChat(app); });
}

Task<> ChatLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_FrameCreated(
      [&app](FrameCreatedEventArgs& args) { return OnChatCreated(app, args); });
  co_await app.webview->Navigate(kHome);
}

void ChatSetup(Kernel& k, bool awaits_for_ever) {
  App& app = MakeApp(k);
  app.blocking = awaits_for_ever;
  // The page's own script sends its chat frame to the lobby once the page loaded.
  Page home{.title = "Example", .frames = {{.name = "chat", .uri = kChat}}};
  home.scripts.push_back(Page::Script::AtLoad().NavigateFrame("chat", kChatLobby));
  app.rt->world().AddPage(kHome, std::move(home));
  app.rt->world().AddPage(kChat, Page{.title = "Room"});
  app.rt->world().AddPage(kChatLobby, Page{.title = "Lobby"});
  PostLoad(app, [&app] { return ChatLoad(app); });
}

}  // namespace

std::vector<Scenario> FrameScenarios() {
  return {
      Make("wv2.frame_script_awaited_across_navigation",
           "W15: the page navigates its chat frame at load while the app awaits a script sent to "
           "the frame's first document; the script fails or never completes",
           {Verdict::kStall, Verdict::kException}, [](Kernel& k) { ChatSetup(k, true); }),
      Make("wv2.frame_script_raced_against_timer",
           "W15: the same script raced against Task.Delay(2000), its failure handled: the app "
           "gives up on it and asks the frame's new document",
           {Verdict::kClean}, [](Kernel& k) { ChatSetup(k, false); }),
  };
}

}  // namespace wvsim::model::webview2::scenario_app
