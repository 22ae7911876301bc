// Generated app programs (model/programs/): the text form, its strict parser, the interpreter's
// verdicts on small programs, and a program's schedule replayed by `wvsim replay`.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "model/programs/interpreter.h"
#include "model/programs/program_text.h"
#include "model/verdicts.h"
#include "sim/atomic_file.h"
#include "sim/runner.h"
#include "sim/schedule_io.h"
#include "sim/strategies/random.h"
#include "tests/cli_runner.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::model::programs {
namespace {

using sim::Verdict;

const std::vector<std::string> kEveryOp = {
    "thread ui pump main=r0",
    "thread w1 pump",
    "thread bg nopump main=r5",
    "routine r0: post w1 r1; post_delayed ui r2 3; await w1 r3; modal r2; script await; navigate",
    "routine r1: call",
    "routine r2: script none",
    "routine r3: block ui r2",
    "routine r4: defer later; script block",
    "routine r5: block w1 r6",
    "routine r6: crash renderer; crash browser",
    "routine r7: loop r2; script race 5; script cancel",
    "handler ContextMenuRequested r4",
};

const std::vector<std::string> kEveryAndroidOp = {
    "runtime android",
    "thread main pump main=r0",
    "thread worker pump",
    "routine r0: post worker r1; script callback r2; script none; call; navigate",
    "routine r1: block main r3",
    "routine r2: script callback r3",
    "routine r3: script block",
};

absl::StatusOr<Program> Parse(std::vector<std::string> lines) { return ParseProgram(lines); }

TEST(ProgramText, FormatsWhatItParses) {
  absl::StatusOr<Program> program = Parse(kEveryOp);
  ASSERT_TRUE(program.ok()) << program.status();
  EXPECT_EQ(FormatProgram(*program), kEveryOp);
  EXPECT_EQ(program->threads.size(), 3u);
  EXPECT_EQ(program->routines[0].ops.size(), 6u);
  absl::StatusOr<Program> android = Parse(kEveryAndroidOp);
  ASSERT_TRUE(android.ok()) << android.status();
  EXPECT_EQ(FormatProgram(*android), kEveryAndroidOp);
}

TEST(ProgramText, FormatsWhatItParsesWithTheClrAndTheUser) {
  const std::vector<std::string> lines = {
      "thread ui pump main=r0",
      "thread w1 pump",
      "routine r0: result r1; post pool r3; invoke pool r3; block pool r3; await pool r3",
      "routine r1: invoke w1 r3; await w1 r3; await_pool pool r3; result r4",
      "routine r2: post w1 r3",
      "routine r3:",
      "routine r4: await_pool ui r3",
      "click r2 2",
  };
  absl::StatusOr<Program> program = Parse(lines);
  ASSERT_TRUE(program.ok()) << program.status();
  EXPECT_EQ(FormatProgram(*program), lines);
  EXPECT_EQ(program->routines[0].ops[1].thread, kPoolThread);
  EXPECT_TRUE(UsesClr(*program));
  EXPECT_TRUE(IsAsyncMethod(*program, 1));
  EXPECT_TRUE(IsClickHandler(*program, 2));
}

// Issue 15: the page's scripts, host methods, the app's web message and `defer script`.
TEST(ProgramText, FormatsWhatItParsesWithThePagesScripts) {
  const std::vector<std::string> lines = {
      "thread ui pump main=r0",
      "routine r0: navigate; message; script await",
      "routine r1: script await",
      "routine r2: post ui r4",
      "routine r3: defer script",
      "routine r4:",
      "routine r5: modal r4",
      "handler ScriptDialogOpening r3",
      "onmessage r5",
      "page load: post; host sync r1; alert; navigate",
      "page dom: host async r2",
      "page message:",
  };
  absl::StatusOr<Program> program = Parse(lines);
  ASSERT_TRUE(program.ok()) << program.status();
  EXPECT_EQ(FormatProgram(*program), lines);
  ASSERT_EQ(program->page_scripts.size(), 3u);
  EXPECT_EQ(program->page_scripts[1].when, PageScript::When::kDOMContentLoaded);
  EXPECT_TRUE(IsHostMethod(*program, 1));
  EXPECT_TRUE(IsSyncHostMethod(*program, 1));
  EXPECT_TRUE(IsHostMethod(*program, 2));
  EXPECT_FALSE(IsSyncHostMethod(*program, 2));
  EXPECT_FALSE(IsHostMethod(*program, 4));
  EXPECT_FALSE(IsPageCallback(*program, 4));
  EXPECT_TRUE(IsPageCallback(*program, 5));
  EXPECT_TRUE(PageOpensAlerts(*program));
}

// W9.1: the page's window.open and the program's NewWindowRequested handler, printed after the
// other handlers.
TEST(ProgramText, FormatsWhatItParsesWithWindowOpen) {
  const std::vector<std::string> lines = {
      "thread ui pump main=r0",         "routine r0: navigate",
      "routine r1: defer later",        "routine r2: defer now",
      "handler ScriptDialogOpening r2", "handler NewWindowRequested r1",
      "page load: open; alert; open",   "page timer: post",
  };
  absl::StatusOr<Program> program = Parse(lines);
  ASSERT_TRUE(program.ok()) << program.status();
  EXPECT_EQ(FormatProgram(*program), lines);
  EXPECT_EQ(program->new_window_handler, 1u);
  EXPECT_EQ(NewWindowHandlerIndex(*program), 1u);
  EXPECT_TRUE(IsHandler(*program, 1));
  EXPECT_TRUE(PageHasStep(*program, PageStep::Kind::kOpenWindow));
  EXPECT_FALSE(PageHasStep(*program, PageStep::Kind::kHostSync));
  EXPECT_EQ(program->page_scripts[1].when, PageScript::When::kTimer);
}

TEST(ProgramText, RejectsMalformedProgramsNamingTheLine) {
  struct Case {
    std::vector<std::string> lines;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"thread ui pump main=r0", "routine r0: jump ui r1"}, "program line 2: unknown op 'jump'"},
      {{"thread ui pump main=r0", "routine r0: post w9 r0"}, "unknown thread 'w9'"},
      {{"thread ui pump main=r0", "routine r0: post ui r1", "routine r1: post ui r0"},
       "reaches itself"},
      {{"thread ui pump main=r0", "routine r0: defer now"}, "only a page event's handler"},
      {{"thread ui pump main=r0", "thread bg nopump", "routine r0: post bg r0"},
       "has no message queue"},
      {{"thread ui pump main=r0", "routine r0: post ui r1"}, "r1 is used but not defined"},
      {{"thread ui nopump"}, "must exist and pump"},
      {{"thread ui pump main=r0", "routine r0:", "routine r1:", "handler Nope r1"},
       "unknown deferrable event"},
      {{"thread ui pump main=r0", "routine r0: script maybe"}, "script none|await|block"},
      {{"thread ui pump main=rx"}, "expected a routine 'rN'"},
      {{"thread ui pump main=r999999"}, "too large"},
      {{"frobnicate"},
       "expected 'runtime', 'thread', 'routine', 'handler', 'click', 'page' or 'onmessage'"},
      {{"thread ui pump main=r0", "thread pool pump", "routine r0:"}, "repeated thread name"},
      {{"thread ui pump main=r0", "routine r0: send pool r1", "routine r1:"},
       "the thread pool takes no such op"},
      {{"thread ui pump main=r0", "routine r0: await_pool pool r1", "routine r1:"},
       "only an async method"},
      {{"thread ui pump main=r0", "routine r0: result r1; post ui r1", "routine r1:"},
       "r1 is an async method"},
      {{"thread ui pump main=r0", "routine r0: result r1", "routine r1: script await"},
       "an async method awaits posted work"},
      {{"runtime android", "thread main pump main=r0", "routine r0: post pool r0"},
       "an Android program has no CLR"},
      {{"thread ui pump main=r0", "routine r0:", "click r0 1"}, "an async method or a click"},
      {{"thread ui pump main=r0", "routine r0:", "routine r1:", "click r1 0"}, "1 to 8 clicks"},
      {{"runtime android", "thread main pump main=r0", "routine r0: modal r0"},
       "an Android program has no such op"},
      {{"thread ui pump main=r0", "runtime android", "routine r0:"}, "must be the first line"},
      {{"thread ui pump main=r0", "routine r0: crash gpu"}, "crash browser|renderer"},
      {{"runtime android", "thread main pump main=r0", "routine r0: crash browser"},
       "an Android program has no such op"},
      {{"thread ui pump main=r0", "routine r0: script callback r1", "routine r1:"},
       "a WebView2 program awaits its script instead"},
      {{"runtime android", "thread main pump main=r0", "routine r0: script callback"},
       "'script' takes 2 argument(s)"},
      {{"runtime android", "thread main pump main=r0", "routine r0: script callback r0"},
       "reaches itself"},
      {{"thread ui pump main=r0", "routine r0:", "page load: jump"}, "unknown page step 'jump'"},
      {{"thread ui pump main=r0", "routine r0:", "page load: host sync"},
       "expected 'host sync rN' or 'host async rN'"},
      {{"thread ui pump main=r0", "routine r0:", "page load: host maybe r0"},
       "expected 'host sync rN' or 'host async rN'"},
      {{"thread ui pump main=r0", "routine r0:", "page unload: post"},
       "expected 'page load|dom|message|timer: ...'"},
      {{"thread ui pump main=r0", "routine r0:", "page load post"},
       "expected 'page load|dom|message|timer: step; ...'"},
      {{"thread ui pump main=r0", "routine r0:", "page load: host sync r1"},
       "r1 is used but not defined"},
      {{"thread ui pump main=r0", "routine r0:", "page load: host sync r0"},
       "r0 is a host method or message handler, which only the page runs"},
      {{"thread ui pump main=r0", "routine r0: post ui r1",
        "routine r1:", "page load: host sync r1"},
       "r1 is a host method or message handler, which only the page runs"},
      {{"thread ui pump main=r0", "routine r0:", "routine r1: await ui r2", "routine r2: navigate",
        "page load: host async r1"},
       "navigates or messages the page"},
      {{"thread ui pump main=r0", "routine r0:", "routine r1: defer now",
        "page load: host sync r1"},
       "only a page event's handler"},
      {{"thread ui pump main=r0", "routine r0:", "routine r1:", "handler DownloadStarting r1",
        "page load: host sync r1"},
       "also a handler"},
      {{"runtime android", "thread main pump main=r0", "routine r0:", "page load: post"},
       "an Android program has no page scripts"},
      {{"thread ui pump main=r0", "routine r0:", "routine r1: message", "onmessage r1"},
       "navigates or messages the page"},
      {{"thread ui pump main=r0", "routine r0:", "routine r1:", "onmessage r1", "onmessage r1"},
       "a second 'onmessage'"},
      {{"thread ui pump main=r0", "routine r0:", "routine r1:", "onmessage r1",
        "page load: host sync r1"},
       "both a host method and the message handler"},
      {{"runtime android", "thread main pump main=r0", "routine r0: message"},
       "an Android program has no such op"},
      {{"thread ui pump main=r0", "routine r0: message now"}, "'message' takes 0 argument(s)"},
      {{"thread ui pump main=r0", "routine r0:", "routine r1: defer later; defer soon",
        "handler ScriptDialogOpening r1"},
       "defer now|scoped|later|other|never|twice|script"},
      {{"thread ui pump main=r0", "routine r0:", "page load: opens"},
       "unknown page step 'opens' (post, host sync rN, host async rN, alert, open, navigate)"},
      {{"thread ui pump main=r0", "routine r0:", "routine r1:", "handler NewWindowRequested r1",
        "handler NewWindowRequested r1"},
       "program line 5: a second handler for NewWindowRequested"},
      {{"thread ui pump main=r0", "routine r0:", "routine r1:", "handler NewWindowRequested r1",
        "handler DownloadStarting r1"},
       "routine r1 handles two events"},
      {{"thread ui pump main=r0", "routine r0:", "handler NewWindowRequested r1"},
       "r1 is used but not defined"},
      {{"thread ui pump main=r0", "routine r0: post ui r1", "routine r1: defer now",
        "handler NewWindowRequested r1"},
       "r1 is a page event's handler, which only the page runs"},
      {{"runtime android", "thread main pump main=r0",
        "routine r0:", "routine r1:", "handler NewWindowRequested r1"},
       "an Android program has no page event handlers"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Program> program = Parse(c.lines);
    ASSERT_FALSE(program.ok()) << c.lines.back();
    EXPECT_NE(std::string(program.status().message()).find(c.message), std::string::npos)
        << program.status();
  }
}

sim::RunOutcome RunOnce(const std::vector<std::string>& lines, uint64_t seed = 1) {
  absl::StatusOr<Program> program = Parse(lines);
  EXPECT_TRUE(program.ok()) << program.status();
  const sim::Scenario scenario = ProgramScenario(*program);
  sim::Runner runner(scenario, {});
  sim::RandomStrategy random(seed);
  random.BeginExecution(0);
  return runner.Run(random, /*traced=*/true);
}

TEST(ProgramInterpreter, ScriptResultOnTheUiThreadDeadlocks) {
  const sim::RunOutcome outcome = RunOnce({"thread ui pump main=r0", "routine r0: script block"});
  EXPECT_EQ(outcome.violation.kind, Verdict::kDeadlock);
  EXPECT_NE(outcome.violation.report.find("Task.Result"), std::string::npos);
}

// F2, F4: .Result on the UI thread of an async method whose await captured the UI context.
TEST(ProgramInterpreter, ResultOfAnAsyncMethodThatResumesOnTheUiDeadlocks) {
  const sim::RunOutcome outcome =
      RunOnce({"thread ui pump main=r0", "thread w1 pump", "routine r0: result r1",
               "routine r1: await w1 r2; post w1 r2", "routine r2:"});
  EXPECT_EQ(outcome.violation.kind, Verdict::kDeadlock);
  EXPECT_NE(outcome.violation.report.find("Task.Result"), std::string::npos);
}

TEST(ProgramInterpreter, ConfigureAwaitFalseOrNoContextLetsTheResultEnd) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    EXPECT_EQ(RunOnce({"thread ui pump main=r0", "routine r0: result r1",
                       "routine r1: await_pool pool r2; await pool r2", "routine r2:"},
                      seed)
                  .violation.kind,
              Verdict::kClean);
    // On a worker (no SynchronizationContext) a plain await resumes on the pool.
    EXPECT_EQ(RunOnce({"thread ui pump main=r0", "thread w1 pump", "routine r0: post w1 r1",
                       "routine r1: result r2", "routine r2: await ui r3", "routine r3:"},
                      seed)
                  .violation.kind,
              Verdict::kClean);
  }
}

// F10: the deadlock comes with the user's click, whenever the scheduler makes it arrive.
TEST(ProgramInterpreter, AClickWhoseHandlerWaitsOnItsOwnContextDeadlocks) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const sim::RunOutcome outcome =
        RunOnce({"thread ui pump main=r0", "routine r0: post pool r2", "routine r1: result r3",
                 "routine r2:", "routine r3: await pool r2", "click r1 1"},
                seed);
    EXPECT_EQ(outcome.violation.kind, Verdict::kDeadlock);
  }
}

TEST(ProgramInterpreter, AwaitingTheScriptIsClean) {
  EXPECT_EQ(RunOnce({"thread ui pump main=r0", "routine r0: script await"}).violation.kind,
            Verdict::kClean);
}

TEST(ProgramInterpreter, AForgottenDeferralLeaksAndNamesItsEvent) {
  const sim::RunOutcome outcome =
      RunOnce({"thread ui pump main=r0", "routine r0: navigate", "routine r1: defer never",
               "handler DownloadStarting r1"});
  EXPECT_EQ(outcome.violation.kind, WebViewVerdict::kDeferralLeak);
  EXPECT_NE(outcome.violation.report.find("DownloadStarting"), std::string::npos);
}

TEST(ProgramInterpreter, ACallFromAWorkerIsWrongThread) {
  EXPECT_EQ(RunOnce({"thread ui pump main=r0", "thread w1 pump", "routine r0: post w1 r1",
                     "routine r1: call"})
                .violation.kind,
            WebViewVerdict::kWrongThread);
}

TEST(ProgramInterpreter, AndroidFutureGetOnTheMainLooperDeadlocks) {
  const sim::RunOutcome outcome = RunOnce(
      {"runtime android", "thread main pump main=r0", "routine r0: block main r1", "routine r1:"});
  EXPECT_EQ(outcome.violation.kind, Verdict::kDeadlock);
}

TEST(ProgramInterpreter, AndroidLoadUrlFromAHandlerThreadIsWrongThread) {
  const sim::RunOutcome outcome =
      RunOnce({"runtime android", "thread main pump main=r0", "thread worker pump",
               "routine r0: post worker r1", "routine r1: call"});
  EXPECT_EQ(outcome.violation.kind, WebViewVerdict::kWrongThread);
  EXPECT_NE(outcome.violation.report.find("A WebView method was called on thread 'worker'"),
            std::string::npos)
      << outcome.violation.report;
}

TEST(ProgramInterpreter, AndroidWorkerPostingBackToMainIsClean) {
  EXPECT_EQ(RunOnce({"runtime android", "thread main pump main=r0", "thread worker pump",
                     "routine r0: post worker r1", "routine r1: block main r2",
                     "routine r2: call; script none"})
                .violation.kind,
            Verdict::kClean);
}

// W12: calls on a WebView whose browser crashed throw InvalidOperationException, which escapes
// Form1_Load; W15: a script pending on a crashed process fails or never completes.
TEST(ProgramInterpreter, ACallAfterABrowserCrashThrows) {
  const sim::RunOutcome outcome =
      RunOnce({"thread ui pump main=r0", "routine r0: navigate; crash browser; call"});
  EXPECT_EQ(outcome.violation.kind, Verdict::kException);
  EXPECT_NE(outcome.violation.report.find("browser process crashed"), std::string::npos)
      << outcome.violation.report;
}

TEST(ProgramInterpreter, AScriptAwaitedAcrossARendererCrashFailsOrNeverCompletes) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const sim::RunOutcome outcome =
        RunOnce({"thread ui pump main=r0", "routine r0: navigate; post ui r1; script await",
                 "routine r1: crash renderer"},
                seed);
    const Verdict verdict = outcome.violation.kind;
    EXPECT_TRUE(verdict == Verdict::kClean || verdict == Verdict::kException ||
                verdict == Verdict::kStall)
        << sim::VerdictName(verdict) << ": " << outcome.violation.report;
  }
}

// Abandoned calls (docs/design.md): the same script raced against a timer, or cancelled by the
// user's click, is given up when the renderer's crash leaves it pending (W15): never a stall.
TEST(ProgramInterpreter, AScriptRacedOrCancelledAcrossARendererCrashIsAbandonedNotAStall) {
  int abandoned = 0;
  for (const char* wait : {"race 50", "cancel"}) {
    absl::StatusOr<Program> program = Parse(
        {"thread ui pump main=r0", absl::StrCat("routine r0: navigate; post ui r1; script ", wait),
         "routine r1: crash renderer"});
    ASSERT_TRUE(program.ok()) << program.status();
    const sim::Scenario scenario = ProgramScenario(*program);
    sim::Runner runner(scenario, {});
    for (uint64_t seed = 1; seed <= 40; ++seed) {
      sim::RandomStrategy random(seed);
      random.BeginExecution(0);
      const sim::RunOutcome outcome = runner.Run(random, /*traced=*/true);
      EXPECT_EQ(outcome.violation.kind, Verdict::kClean)
          << wait << ", seed " << seed << ": " << outcome.violation.report;
      if (runner.kernel().TraceText().find("ExecuteScript#1 was abandoned") != std::string::npos) {
        ++abandoned;
      }
    }
  }
  EXPECT_GT(abandoned, 0);  // the crash did leave the script pending in some runs
}

// W5, W17: the UI thread blocks on the page's script while the page calls the app synchronously:
// each side waits for the other. Awaited, the UI thread's pump runs the call.
TEST(ProgramInterpreter, ASyncHostCallWhileTheUiBlocksOnThePagesScriptDeadlocks) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const sim::RunOutcome blocked =
        RunOnce({"thread ui pump main=r0", "routine r0: navigate; script block",
                 "routine r1:", "page load: host sync r1"},
                seed);
    EXPECT_EQ(blocked.violation.kind, Verdict::kDeadlock) << blocked.violation.report;
    const sim::RunOutcome awaited =
        RunOnce({"thread ui pump main=r0", "routine r0: navigate; script await",
                 "routine r1:", "page load: host sync r1"},
                seed);
    EXPECT_EQ(awaited.violation.kind, Verdict::kClean) << awaited.violation.report;
  }
}

// W7, W17: a host method that a synchronous call runs awaits a script, which waits behind that
// very call on the page's JavaScript thread: it never completes. Called asynchronously, it does.
TEST(ProgramInterpreter, AHostMethodAwaitingTheScriptOfItsOwnSyncCallStalls) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const sim::RunOutcome sync = RunOnce({"thread ui pump main=r0", "routine r0: navigate",
                                          "routine r1: script await", "page dom: host sync r1"},
                                         seed);
    EXPECT_EQ(sync.violation.kind, Verdict::kStall) << sync.violation.report;
    const sim::RunOutcome async = RunOnce({"thread ui pump main=r0", "routine r0: navigate",
                                           "routine r1: script await", "page dom: host async r1"},
                                          seed);
    EXPECT_EQ(async.violation.kind, Verdict::kClean) << async.violation.report;
  }
}

// W9.3: the alert's ScriptDialogOpening handler completes its deferral only after a script, which
// waits behind the alert: it never completes. Completed at once, the alert returns.
TEST(ProgramInterpreter, AnAlertWhoseHandlerAwaitsAScriptBeforeCompletingStalls) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const sim::RunOutcome after_script =
        RunOnce({"thread ui pump main=r0", "routine r0: navigate", "routine r1: defer script",
                 "handler ScriptDialogOpening r1", "page load: alert"},
                seed);
    EXPECT_EQ(after_script.violation.kind, Verdict::kStall) << after_script.violation.report;
    const sim::RunOutcome now =
        RunOnce({"thread ui pump main=r0", "routine r0: navigate", "routine r1: defer now",
                 "handler ScriptDialogOpening r1", "page load: alert; post"},
                seed);
    EXPECT_EQ(now.violation.kind, Verdict::kClean) << now.violation.report;
  }
}

// W9.1: window.open waits for NewWindowRequested, deferral included: a handler that completes its
// deferral only after a script (which waits behind window.open) stalls, naming the wait; one that
// completes it after other work, or no handler at all, lets window.open return.
TEST(ProgramInterpreter, AWindowOpenWhoseHandlerAwaitsAScriptBeforeCompletingStalls) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const sim::RunOutcome after_script =
        RunOnce({"thread ui pump main=r0", "routine r0: navigate", "routine r1: defer script",
                 "handler NewWindowRequested r1", "page load: post; open"},
                seed);
    EXPECT_EQ(after_script.violation.kind, Verdict::kStall) << after_script.violation.report;
    EXPECT_NE(after_script.violation.report.find("window.open()"), std::string::npos)
        << after_script.violation.report;
    EXPECT_NE(after_script.violation.report.find("W9.1"), std::string::npos)
        << after_script.violation.report;
    const sim::RunOutcome later =
        RunOnce({"thread ui pump main=r0", "routine r0: navigate; script await",
                 "routine r1: defer later", "handler NewWindowRequested r1", "page load: open"},
                seed);
    EXPECT_EQ(later.violation.kind, Verdict::kClean) << later.violation.report;
    const sim::RunOutcome unhandled = RunOnce(
        {"thread ui pump main=r0", "routine r0: navigate; script await", "page load: open; post"},
        seed);
    EXPECT_EQ(unhandled.violation.kind, Verdict::kClean) << unhandled.violation.report;
  }
}

// W9.1, W5: Form_Load reads its script's .Result while the page's window.open waits for
// NewWindowRequested, which the blocked UI thread would have to dispatch. A .Result on the UI
// thread deadlocks without the page too (W5: the completion is a message to that thread); this
// checks that a handled window.open keeps it a deadlock, not a stall or a clean end.
TEST(ProgramInterpreter, AScriptResultWhileWindowOpenWaitsDeadlocks) {
  const sim::RunOutcome outcome =
      RunOnce({"thread ui pump main=r0", "routine r0: navigate; script block",
               "routine r1: defer now", "handler NewWindowRequested r1", "page dom: open"});
  EXPECT_EQ(outcome.violation.kind, Verdict::kDeadlock) << outcome.violation.report;
}

// W2, F10: the user's click posts a web message; once the page loaded, its message script runs and
// calls the host method, whose call is seen; a message posted before the page loaded is dropped.
TEST(ProgramInterpreter, AWebMessageFromTheAppRunsThePagesMessageScriptOnceItLoaded) {
  absl::StatusOr<Program> program =
      Parse({"thread ui pump main=r0", "routine r0: navigate", "routine r1: message",
             "routine r2: call", "click r1 1", "page message: host async r2"});
  ASSERT_TRUE(program.ok()) << program.status();
  int ran = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    ProgramObservations seen;
    const sim::Scenario scenario = ProgramScenario(*program, &seen);
    sim::Runner runner(scenario, {});
    sim::RandomStrategy random(seed);
    random.BeginExecution(0);
    EXPECT_EQ(runner.Run(random, /*traced=*/false).violation.kind, Verdict::kClean);
    size_t calls = 0;  // Form1_Load's Navigate, the click's PostWebMessage, the method's call
    for (const Observation& entry : seen.entries) {
      calls += entry.kind == Observation::Kind::kCallSucceeded ? 1 : 0;
    }
    ran += calls == 3 ? 1 : 0;
  }
  EXPECT_GT(ran, 0);
  EXPECT_LT(ran, 40);
}

// W2, W4: the page posts a message; a modal dialog in the WebMessageReceived handler is
// reentrancy; posted to the UI thread from the handler, it is not.
TEST(ProgramInterpreter, AModalDialogInTheHandlerOfAPagesMessageIsReentrancy) {
  const sim::RunOutcome modal =
      RunOnce({"thread ui pump main=r0", "routine r0: navigate", "routine r1: modal r2",
               "routine r2:", "onmessage r1", "page load: post"});
  EXPECT_EQ(modal.violation.kind, WebViewVerdict::kReentrancy) << modal.violation.report;
  const sim::RunOutcome posted =
      RunOnce({"thread ui pump main=r0", "routine r0: navigate", "routine r1: post ui r2",
               "routine r2: modal r3", "routine r3:", "onmessage r1", "page load: post"});
  EXPECT_EQ(posted.violation.kind, Verdict::kClean) << posted.violation.report;
}

// W4, W17: a host method is a WebView2 callback: a modal dialog in it is reentrancy.
TEST(ProgramInterpreter, AModalDialogInAHostMethodIsReentrancy) {
  const sim::RunOutcome outcome =
      RunOnce({"thread ui pump main=r0", "routine r0: navigate", "routine r1: modal r2",
               "routine r2:", "page load: host async r1"});
  EXPECT_EQ(outcome.violation.kind, WebViewVerdict::kReentrancy) << outcome.violation.report;
}

// W4: a nested loop built with the kernel's RunMessageLoop is seen like a modal dialog's: inside a
// WebView2 handler it is reentrancy; in Form1_Load, outside any handler, it is fine.
TEST(ProgramInterpreter, AKernelMessageLoopInAHandlerIsReentrancy) {
  const sim::RunOutcome in_handler =
      RunOnce({"thread ui pump main=r0", "routine r0: navigate", "routine r1: loop r2",
               "routine r2: script none", "handler ScriptDialogOpening r1"});
  EXPECT_EQ(in_handler.violation.kind, WebViewVerdict::kReentrancy) << in_handler.violation.report;
  const sim::RunOutcome outside = RunOnce(
      {"thread ui pump main=r0", "routine r0: loop r1; navigate", "routine r1: script none"});
  EXPECT_EQ(outside.violation.kind, Verdict::kClean) << outside.violation.report;
}

// A11: each ValueCallback runs on the main thread, after the call that made it returned, and the
// interpreter records it as a callback, so nested ones enter and leave one after the other.
TEST(ProgramInterpreter, AndroidValueCallbacksRunOneAfterTheOtherOnMain) {
  absl::StatusOr<Program> program =
      Parse({"runtime android", "thread main pump main=r0", "routine r0: script callback r1",
             "routine r1: script callback r2; script callback r2", "routine r2:"});
  ASSERT_TRUE(program.ok()) << program.status();
  ProgramObservations seen;
  const sim::Scenario scenario = ProgramScenario(*program, &seen);
  sim::Runner runner(scenario, {});
  sim::RandomStrategy random(7);
  random.BeginExecution(0);
  EXPECT_EQ(runner.Run(random, /*traced=*/true).violation.kind, Verdict::kClean);
  std::vector<std::string> order;
  for (const Observation& entry : seen.entries) {
    EXPECT_EQ(entry.thread, "main");
    const bool enter = entry.kind == Observation::Kind::kHandlerEnter;
    if (!enter && entry.kind != Observation::Kind::kHandlerLeave) continue;  // the calls
    order.push_back(absl::StrCat(enter ? "enter " : "leave ", entry.handler));
  }
  EXPECT_EQ(order, (std::vector<std::string>{"enter 0", "leave 0", "enter 1", "leave 1", "enter 2",
                                             "leave 2"}));
}

// The schedule of a program run carries the program: `wvsim replay` reproduces it, and a
// damaged program line is exit 2 naming the file's line and the program's.
TEST(ProgramSchedule, ReplaysInTheCliAndRejectsADamagedProgram) {
  absl::StatusOr<Program> program =
      Parse({"thread ui pump main=r0", "thread w1 pump", "routine r0: block w1 r1",
             "routine r1: block ui r2", "routine r2:"});
  ASSERT_TRUE(program.ok());
  const sim::Scenario scenario = ProgramScenario(*program);
  sim::Runner runner(scenario, {});
  sim::RandomStrategy random(7);
  random.BeginExecution(0);
  const sim::RunOutcome outcome = runner.Run(random, /*traced=*/true);
  ASSERT_EQ(outcome.violation.kind, Verdict::kDeadlock);
  const std::string dir = testing::MakeTempDir("program_schedule");
  const std::string path = dir + "/deadlock.schedule";
  ASSERT_TRUE(sim::WriteScheduleFile(path, runner.LastSchedule(outcome, "random", 7, 0)).ok());

  const testing::CommandResult replayed = testing::RunWvsim({"replay", path});
  EXPECT_EQ(replayed.exit_code, 1) << replayed.err;
  EXPECT_NE(replayed.out.find("verdict: deadlock"), std::string::npos) << replayed.out;

  std::string text = testing::ReadFile(path);
  const size_t at = text.find("block ui r2");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 5, "blokk");
  const std::string damaged = dir + "/damaged.schedule";
  ASSERT_TRUE(sim::WriteFileAtomically(damaged, text).ok());
  const testing::CommandResult rejected = testing::RunWvsim({"replay", damaged});
  EXPECT_EQ(rejected.exit_code, 2);
  EXPECT_NE(rejected.err.find("program line 4: unknown op 'blokk'"), std::string::npos)
      << rejected.err;
}

}  // namespace
}  // namespace wvsim::model::programs
