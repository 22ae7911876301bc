// The wv2.* scenarios about calls the runtime refuses: a deferral completed twice (W8), a second
// environment on a user data folder with other options (W11, ERROR_INVALID_STATE) and a second
// print while one runs (W7, E_ABORT). Each buggy one has a clean twin with the usual fix.
#include <string>

#include "model/verdicts.h"
#include "model/webview2/runtime.h"
#include "model/webview2/scenario_app.h"
#include "sim/scenario.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::model::webview2::scenario_app {

using sim::Scenario;
using sim::Verdict;

namespace {

// ---- wv2.deferral_completed_twice / wv2.deferral_completed_once (W8, W9.3).

// An alert() answered with the app's own dialog: the answer comes from an async lookup.
Task<> OnScriptDialog(App& app, DeferrableEventArgs& args) {
  Deferral deferral = args.GetDeferral();
  // try { ...; deferral.Complete(); } finally { deferral.Complete(); }: the success path and the
  // cleanup both complete it (W8: a second Complete is reported; behaviour unconfirmed).
  Async<std::string> answer = co_await app.webview->ExecuteScriptAsync("document.title");
  std::string text = co_await answer;
  co_await args.result_text.put(std::move(text));
  co_await args.Accept();
  if (app.blocking) deferral.Complete();
  deferral.Complete();  // the finally block: the one Complete the fix keeps
}

Task<> DialogAnswerLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_DeferrableEvent(
      DeferrableEvent::kScriptDialogOpening,
      [&app](DeferrableEventArgs& args) { return OnScriptDialog(app, args); });
  co_await app.webview->Navigate(kHome);
}

void DialogAnswerSetup(Kernel& k, bool twice) {
  App& app = MakeApp(k);
  app.blocking = twice;
  app.rt->world().AddPage(
      kHome, Page{.title = "Example", .events = {DeferrableEvent::kScriptDialogOpening}});
  PostLoad(app, [&app] { return DialogAnswerLoad(app); });
}

// ---- wv2.second_environment_other_options / wv2.second_environment_own_folder (W11).

Task<> SecondEnvironmentLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  // A tools window wants its own browser flags.
  EnvironmentOptions options;
  options.additional_browser_arguments = "--disable-gpu";
  // The fix: another user data folder, so another browser process that may have other options.
  if (!app.blocking) options.user_data_folder = "EBWebView-Tools";
  Async<Environment*> op = co_await app.rt->CreateCoreWebView2EnvironmentAsync(std::move(options));
  // CHECK_FAILURE(result): the same folder with other options fails (W11, ERROR_INVALID_STATE).
  Environment* tools = co_await op;
  Async<Controller*> controller_op = co_await tools->CreateCoreWebView2ControllerAsync();
  Controller* controller = co_await controller_op;
  co_await controller->CoreWebView2().Navigate(kHome);
}

void SecondEnvironmentSetup(Kernel& k, bool same_folder) {
  App& app = MakeApp(k);
  app.blocking = same_folder;
  PostLoad(app, [&app] { return SecondEnvironmentLoad(app); });
}

// ---- wv2.print_while_printing / wv2.print_serialized (W7).

Task<> PrintClick(App& app) {
  // The fix: the button does nothing while a print runs (printButton.Enabled = false).
  if (!app.blocking && app.events > 0) co_return;
  ++app.events;
  Async<bool> job = co_await app.webview->PrintToPdfAsync("C:\\reports\\report.pdf");
  // CHECK_FAILURE(result): a second print while one runs completes with E_ABORT (W7).
  const bool printed = co_await job;
  (void)printed;
  --app.events;
}

// The user double-clicks Print once the page is there.
Task<> OnPrintPageLoaded(App& app, NavigationEventArgs& args) {
  (void)args;
  co_await app.rt->Post(app.ui, "printButton_Click", [&app] { return PrintClick(app); });
  co_await app.rt->Post(app.ui, "printButton_Click", [&app] { return PrintClick(app); });
}

Task<> PrintLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_NavigationCompleted(
      [&app](NavigationEventArgs& args) { return OnPrintPageLoaded(app, args); });
  co_await app.webview->Navigate(kHome);
}

void PrintSetup(Kernel& k, bool concurrent) {
  App& app = MakeApp(k);
  app.blocking = concurrent;
  PostLoad(app, [&app] { return PrintLoad(app); });
}

}  // namespace

std::vector<Scenario> ApiErrorScenarios() {
  const Verdict clean = Verdict::kClean;
  return {
      Make("wv2.deferral_completed_twice",
           "W8: ScriptDialogOpening's deferral is completed in the success path and again in "
           "the finally block",
           {WebViewVerdict::kDeferralDoubleComplete},
           [](Kernel& k) { DialogAnswerSetup(k, true); }),
      Make("wv2.deferral_completed_once", "W8: the same handler completes only in the finally",
           {clean}, [](Kernel& k) { DialogAnswerSetup(k, false); }),
      Make("wv2.second_environment_other_options",
           "W11: a second environment on the same user data folder with other browser arguments "
           "fails with ERROR_INVALID_STATE; the app asserts success",
           {Verdict::kException}, [](Kernel& k) { SecondEnvironmentSetup(k, true); }),
      Make("wv2.second_environment_own_folder",
           "W11: the same environment on a user data folder of its own: a second browser", {clean},
           [](Kernel& k) { SecondEnvironmentSetup(k, false); }),
      Make("wv2.print_while_printing",
           "W7: a double click starts a second PrintToPdf while the first runs; its E_ABORT is "
           "asserted away",
           {Verdict::kException}, [](Kernel& k) { PrintSetup(k, true); }),
      Make("wv2.print_serialized", "W7: the Print button ignores clicks while a print runs",
           {clean}, [](Kernel& k) { PrintSetup(k, false); }),
  };
}

}  // namespace wvsim::model::webview2::scenario_app
