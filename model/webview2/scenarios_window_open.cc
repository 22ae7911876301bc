// The wv2.* scenarios about a page's window.open (W9.1, W5): the page opens a popup at load, and
// its JavaScript waits in window.open until NewWindowRequested, an event on the UI thread, has
// let it return. An ExecuteScript the app sends meanwhile waits behind it on the page's one
// JavaScript thread (W7). The buggy app reads that script's Task.Result on the UI thread, which
// then cannot dispatch NewWindowRequested; its clean twin awaits it.
#include <string>

#include "model/webview2/runtime.h"
#include "model/webview2/scenario_app.h"
#include "sim/scenario.h"

namespace wvsim::model::webview2::scenario_app {

using sim::Scenario;
using sim::Verdict;

namespace {

constexpr char kHelp[] = "https://app.example/help.html";

Task<> OnStateLoaded(App& app, NavigationEventArgs& args) {
  (void)args;
  co_await app.rt->Post(app.ui, "ReadState", [&app] { return ReadIntoTitle(app, "window.state"); });
}

// The app lets the runtime open the help popup itself: it only counts the request.
Task<> OnNewWindow(App& app, NewWindowRequestedEventArgs& args) {
  (void)args;
  ++app.events;
  co_return;
}

Task<> OpenerLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_NewWindowRequested(
      [&app](NewWindowRequestedEventArgs& args) { return OnNewWindow(app, args); });
  co_await app.webview->add_NavigationCompleted(
      [&app](NavigationEventArgs& args) { return OnStateLoaded(app, args); });
  co_await app.webview->Navigate(kHome);
}

void OpenerSetup(Kernel& k, bool blocks) {
  App& app = MakeApp(k);
  app.blocking = blocks;
  Page home{.title = "Example"};
  home.scripts.push_back(
      Page::Script::AtLoad().OpenWindow(kHelp).SetGlobal("window.state", "\"help open\""));
  app.rt->world().AddPage(kHome, std::move(home));
  app.rt->world().AddPage(kHelp, Page{.title = "Help"});
  PostLoad(app, [&app] { return OpenerLoad(app); });
}

}  // namespace

std::vector<Scenario> WindowOpenScenarios() {
  return {
      Make("wv2.script_result_while_window_open_waits",
           "W5, W9.1: the page's window.open waits for NewWindowRequested on the UI thread while "
           "that thread reads ExecuteScript(...).Result, queued behind window.open",
           {Verdict::kDeadlock}, [](Kernel& k) { OpenerSetup(k, true); }),
      Make("wv2.script_awaited_while_window_open_waits",
           "W9.1: the same script awaited: NewWindowRequested runs, window.open returns, then "
           "the script",
           {Verdict::kClean}, [](Kernel& k) { OpenerSetup(k, false); }),
  };
}

}  // namespace wvsim::model::webview2::scenario_app
