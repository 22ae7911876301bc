// The wv2.* scenarios about ProcessFailed's kinds (W11, W12, W16): a handler that treats every
// kind as a browser crash, against one that switches on Kind. A sandbox helper, PPAPI plugin or
// broker, or unknown process exit recovers by itself and leaves the browser running; recreating
// the WebView "after the crash" with other browser arguments then fails with ERROR_INVALID_STATE
// (W11), which the app asserts away, as real apps do with CHECK_FAILURE.
#include <string>
#include <utility>

#include "model/webview2/scenario_app.h"

namespace wvsim::model::webview2::scenario_app {

using sim::Scenario;
using sim::Verdict;

namespace {

// The app's recovery from a browser crash (W16): close what is left, then a new environment in
// "safe mode" (no GPU acceleration, a common fallback after a crash) and a new WebView.
Task<> RecreateWebView(App& app) {
  if (app.recreated) co_return;
  app.recreated = true;
  // The form drops the closed controller first: its resize handler no longer lays it out.
  Controller* closing = std::exchange(app.controller, nullptr);
  co_await closing->Close();
  EnvironmentOptions safe_mode;
  safe_mode.additional_browser_arguments = "--disable-gpu";
  // CHECK_FAILURE(result) in the environment's completion: it fails with ERROR_INVALID_STATE
  // while the folder's browser still runs with other options (W11), as it does after any exit
  // but the browser's own.
  co_await EnsureCoreWebView2With(app, std::move(safe_mode));
  co_await app.webview->Navigate(kHome);
}

Task<> OnKindProcessFailed(App& app, ProcessFailedEventArgs& args) {
  ++app.events;
  // The fix switches on Kind: only BrowserProcessExited closes the WebViews; every other kind
  // recovers by itself (W12). The buggy handler treats every failure as a browser crash.
  const ProcessFailedKind kind = co_await args.kind.get();
  if (!app.blocking && kind != ProcessFailedKind::kBrowserProcessExited) co_return;
  co_await app.rt->Post(app.ui, "RecreateWebView", [&app] { return RecreateWebView(app); });
}

Task<> KindLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_ProcessFailed(
      [&app](ProcessFailedEventArgs& args) { return OnKindProcessFailed(app, args); });
  co_await app.webview->Navigate(kHome);
  // From here on (a crash before Navigate would make it throw the .NET text, W12).
  FaultKinds exits;
  exits.renderer_crash = false;
  exits.other_process_exit = true;  // and the browser's crash, the default
  app.rt->world().EnableFaults(exits);
}

void KindSetup(Kernel& k, bool any_kind) {
  App& app = MakeApp(k);
  app.blocking = any_kind;
  PostLoad(app, [&app] { return KindLoad(app); });
}

}  // namespace

std::vector<Scenario> ProcessKindScenarios() {
  return {
      MakeFaulty("wv2.other_process_exit_recreates",
                 "W11, W12: ProcessFailed treats every kind as a browser crash; a sandbox helper "
                 "or plugin exit makes it recreate with --disable-gpu while the browser runs: "
                 "ERROR_INVALID_STATE",
                 {Verdict::kException}, [](Kernel& k) { KindSetup(k, true); }),
      MakeFaulty("wv2.other_process_exit_by_kind",
                 "W12, W16: the same handler switches on Kind: only BrowserProcessExited "
                 "recreates; the other exits recover by themselves",
                 {Verdict::kClean}, [](Kernel& k) { KindSetup(k, false); }),
  };
}

}  // namespace wvsim::model::webview2::scenario_app
