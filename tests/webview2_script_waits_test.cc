// Tests of the page's renderer-blocking waits beyond alert (issue 15,
// model/webview2/internal/page_scripts.cc): confirm and prompt answered by ScriptDialogOpening's
// Accept and ResultText (W9.3), and window.open holding the opener's JavaScript until
// NewWindowRequested let it return (W9.1). Named after the rules of docs/webview2-rules.md.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/webview2/runtime.h"
#include "sim/strategies/random.h"
#include "test_programs.h"
#include "webview2_probe.h"

namespace wvsim::model::webview2 {
namespace {

using sim::Verdict;
using sim::testing::RunProgram;
using sim::testing::RunResult;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kHelp[] = "https://app.example/help.html";

// ---- W9.3: confirm and prompt.

// Accepts (p.mode 0: prompt's ResultText "Ada") or ignores (p.mode 1) every dialog.
Task<> AnswerDialog(Probe& p, DeferrableEventArgs& args) {
  const ScriptDialogKind kind = co_await args.dialog_kind.get();
  const std::string message = co_await args.message.get();
  p.log->push_back(std::string(kind == ScriptDialogKind::kConfirm  ? "confirm "
                               : kind == ScriptDialogKind::kPrompt ? "prompt "
                                                                   : "alert ") +
                   message);
  if (p.mode != 0) co_return;
  if (kind == ScriptDialogKind::kPrompt) {
    const std::string suggested = co_await args.default_text.get();
    p.log->push_back("default " + suggested);
    co_await args.result_text.put("Ada");
  }
  co_await args.Accept();
}

Task<> ReadAnswers(Probe& p) {
  for (const char* global : {"window.leave", "window.who"}) {
    Async<std::string> op = co_await p.webview->ExecuteScriptAsync(global);
    const std::string value = co_await op;
    p.log->push_back(std::string(global) + " = " + value);
  }
}

Task<> PostReadAnswers(Probe& p) {
  Probe* probe = &p;
  co_await p.rt->Post(p.ui, "read answers", [probe] { return ReadAnswers(*probe); });
}

Task<> DisableOnStarting(Probe& p, NavigationStartingEventArgs& args) {
  (void)args;
  co_await ProbeDisableDefaultDialogs(p);
}

// p.mode 0, 1: the default dialogs off before Navigate; 2: left on; 3: turned off only in
// NavigationStarting, once the navigation read them.
Task<> LoadAndAnswer(Probe& p) {
  co_await ProbeCreate(p);
  Probe* probe = &p;
  if (p.mode < 2) co_await ProbeDisableDefaultDialogs(p);
  if (p.mode == 3) {
    co_await p.webview->add_NavigationStarting(
        [probe](NavigationStartingEventArgs& args) { return DisableOnStarting(*probe, args); });
  }
  co_await p.webview->add_DeferrableEvent(
      DeferrableEvent::kScriptDialogOpening,
      [probe](DeferrableEventArgs& args) { return AnswerDialog(*probe, args); });
  // Sent once the document loaded: the reads wait on the page's JavaScript thread behind the
  // DOMContentLoaded script's dialogs.
  co_await p.webview->add_NavigationCompleted(
      [probe](NavigationEventArgs&) { return PostReadAnswers(*probe); });
  co_await p.webview->Navigate(kPage);
}

// The user in front of the default dialogs: OK to the confirm, "Bo" and OK to the prompt.
Task<> UserAnswersBoth(Probe& p) {
  co_await p.rt->world().AnswerScriptDialog(/*accept=*/true);
  co_await p.rt->world().AnswerScriptDialog(/*accept=*/true, "Bo");
}

std::vector<std::string> RunDialogs(int mode) {
  std::vector<std::string> log;
  const RunResult run = RunProgram([&log, mode](Kernel& k) {
    Probe& p = MakeProbe(k, &log, LoadAndAnswer);
    p.mode = mode;
    Page page{.title = "T"};
    page.scripts.push_back(Page::Script::AtDOMContentLoaded()
                               .Confirm("Leave?", "window.leave")
                               .Prompt("Name?", "anon", "window.who"));
    p.rt->world().AddPage(kPage, std::move(page));
    if (mode >= 2) k.Spawn("user", UserAnswersBoth(p));
  });
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  return log;
}

// W9.3: confirm returns true when the handler called Accept; prompt returns the ResultText the
// handler put. Each dialog holds the page's JavaScript, so the app's reads see both answers.
TEST(WebView2ScriptWaits, W9_3_ConfirmAndPromptAnswerFromAcceptAndResultText) {
  EXPECT_THAT(RunDialogs(0), ElementsAre("confirm Leave?", "prompt Name?", "default anon",
                                         "window.leave = true", "window.who = \"Ada\""));
}

// W9.3: a handler that does not call Accept: confirm returns false, prompt null.
TEST(WebView2ScriptWaits, W9_3_DialogsNotAcceptedAnswerFalseAndNull) {
  EXPECT_THAT(RunDialogs(1), ElementsAre("confirm Leave?", "prompt Name?", "window.leave = false",
                                         "window.who = null"));
}

// W9.3 (AreDefaultScriptDialogsEnabled, true by default): the default dialogs raise no
// ScriptDialogOpening, whatever handlers the app added; the page waits for its user, whose
// answers reach the page's script.
TEST(WebView2ScriptWaits, W9_3_TheDefaultDialogsWaitForTheUserNotForScriptDialogOpening) {
  EXPECT_THAT(RunDialogs(2), ElementsAre("window.leave = true", "window.who = \"Bo\""));
}

// W9.3: the setting is read when a navigation starts ("used when loading a new HTML
// document"): turned off in NavigationStarting, it applies from the next document on.
TEST(WebView2ScriptWaits, W9_3_TheSettingAppliesToTheDocumentsLoadedAfterIt) {
  EXPECT_THAT(RunDialogs(3), ElementsAre("window.leave = true", "window.who = \"Bo\""));
}

// W9.3, W5: the UI thread blocks on an ExecuteScript queued behind a default dialog, whose
// user's OK is input only that thread's pump dispatches (assumption): a deadlock whose report
// names both sides and the assumptions; awaited, it is clean.
TEST(WebView2ScriptWaits, W9_3_AScriptResultBehindADefaultDialogDeadlocks) {
  const sim::ExploreResult buggy =
      ExploreScenario("wv2.default_dialog_blocks_script_result", 20000);
  EXPECT_EQ(buggy.verdict, Verdict::kDeadlock);
  EXPECT_THAT(Report(buggy), HasSubstr("thread ui is blocked in Task.Result(ExecuteScript#1)"));
  EXPECT_THAT(Report(buggy), HasSubstr("behind the page's confirm(), which shows the browser's "
                                       "default dialog and waits for its user"));
  EXPECT_THAT(Report(buggy), HasSubstr("assumption"));
  ExpectClean("wv2.default_dialog_script_awaited");
}

// ---- W9.1: window.open holds the opener.

struct Opener {
  Probe* p = nullptr;
  Deferral deferral;
};

Task<> CompleteOpen(Opener& o) {
  o.p->log->push_back("NewWindowRequested completes");
  o.deferral.Complete();
  co_return;
}

Task<> AskWhileOpenWaits(Opener& o) {
  Async<std::string> op = co_await o.p->webview->ExecuteScriptAsync("window.after");
  Opener* kept = &o;
  co_await o.p->rt->Post(o.p->ui, "complete", [kept] { return CompleteOpen(*kept); });
  const std::string after = co_await op;
  o.p->log->push_back("window.after = " + after);
}

Task<> DeferNewWindow(Opener& o, NewWindowRequestedEventArgs& args) {
  o.deferral = args.GetDeferral();
  Opener* kept = &o;
  co_await o.p->rt->Post(o.p->ui, "ask", [kept] { return AskWhileOpenWaits(*kept); });
}

Task<> LoadAndOpen(Probe& p, Opener& o) {
  co_await ProbeCreate(p);
  Opener* kept = &o;
  co_await p.webview->add_NewWindowRequested(
      [kept](NewWindowRequestedEventArgs& args) { return DeferNewWindow(*kept, args); });
  co_await p.webview->Navigate(kPage);
}

// W9.1: the page's window.open waits for NewWindowRequested, its deferral included; an
// ExecuteScript sent meanwhile runs after it (W7), so it sees what the script set after
// window.open returned, under every random schedule tried.
TEST(WebView2ScriptWaits, W9_1_WindowOpenHoldsTheOpenerUntilNewWindowRequestedFinished) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    std::vector<std::string> log;
    sim::RandomStrategy random(seed);
    const RunResult run = RunProgram(
        [&log](Kernel& k) {
          Opener& o = k.Make<Opener>();
          Opener* kept = &o;
          Probe& p = MakeProbe(k, &log, [kept](Probe& probe) { return LoadAndOpen(probe, *kept); });
          o.p = &p;
          Page page{.title = "T"};
          page.scripts.push_back(
              Page::Script::AtLoad().OpenWindow(kHelp).SetGlobal("window.after", "1"));
          p.rt->world().AddPage(kPage, std::move(page));
          p.rt->world().AddPage(kHelp, Page{.title = "Help"});
        },
        random);
    EXPECT_EQ(run.violation.kind, Verdict::kClean) << "seed " << seed << run.violation.report;
    EXPECT_THAT(log, ElementsAre("NewWindowRequested completes", "window.after = 1"))
        << "seed " << seed;
  }
}

// ---- W9: a page script's navigation is not user initiated.

Task<> LogStarting(Probe& p, NavigationStartingEventArgs& args) {
  const std::string uri = co_await args.uri.get();
  const bool user = co_await args.is_user_initiated.get();
  p.log->push_back(uri + (user ? " user" : " script"));
}

Task<> LoadAndWatchStarting(Probe& p) {
  co_await ProbeCreate(p);
  Probe* probe = &p;
  co_await p.webview->add_NavigationStarting(
      [probe](NavigationStartingEventArgs& args) { return LogStarting(*probe, args); });
  co_await p.webview->Navigate(kPage);
}

// WR (NavigationStarting's IsUserInitiated): the app's Navigate counts as user initiated; the
// page's own `location` change (Page::Script::Navigate) does not.
TEST(WebView2ScriptWaits, W9_PageScriptNavigationIsNotUserInitiated) {
  std::vector<std::string> log;
  const RunResult run = RunProgram([&log](Kernel& k) {
    Probe& p = MakeProbe(k, &log, LoadAndWatchStarting);
    Page page{.title = "T"};
    page.scripts.push_back(Page::Script::AtLoad().Navigate(kHelp));
    p.rt->world().AddPage(kPage, std::move(page));
    p.rt->world().AddPage(kHelp, Page{.title = "Help"});
  });
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  EXPECT_THAT(log, ElementsAre("https://app.example/index.html user",
                               "https://app.example/help.html script"));
}

}  // namespace
}  // namespace wvsim::model::webview2
