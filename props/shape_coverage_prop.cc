// The program shapes reach what their properties rely on. The properties pass just as well on
// shapes that lost a feature (a crash that never happens proves nothing about crashes), so these
// tests count, over a fixed set of generated programs, that the features are really there:
// every profile is well formed, crash programs crash processes and some runs end as the crash
// leaves them (W12, W15), Android programs nest ValueCallbacks (A11), abandoning programs
// leave scripts pending that nobody awaits any longer, and page programs call host methods both
// ways, open alerts and windows and end in every verdict their properties tell apart (W9.1, W9.3,
// W17).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "model/programs/interpreter.h"
#include "model/verdicts.h"
#include "model/webview2/planted_defects.h"
#include "props/program_run.h"
#include "props/program_shapes.h"
#include "props/reference.h"
#include "sim/prng.h"

namespace wvsim::props {
namespace {

using model::programs::Observation;
using model::programs::OpKind;
using model::programs::PageHasStep;
using model::programs::ScriptWait;

constexpr int kProgramsPerProfile = 300;
constexpr uint64_t kSeed = 20261201;
constexpr size_t kScheduleBytes = 64;

// Choices from the project's own PRNG, so that the counts below are the same on every build.
class PrngChoices final : public ChoiceSource {
 public:
  explicit PrngChoices(uint64_t seed) : prng_(seed) {}
  uint32_t Below(uint32_t count) override { return prng_.Below(count); }
  ScheduleBytes Bytes(size_t size) {
    ScheduleBytes bytes(size);
    for (uint8_t& byte : bytes) byte = static_cast<uint8_t>(prng_.Below(256));
    return bytes;
  }

 private:
  sim::Prng prng_;
};

std::vector<Program> ProgramsOf(ProgramProfile profile, PrngChoices& choices) {
  std::vector<Program> programs;
  for (int i = 0; i < kProgramsPerProfile; ++i) programs.push_back(MakeProgram(profile, choices));
  return programs;
}

// Whether a routine that a ValueCallback runs makes a ValueCallback itself.
// A ValueCallback (A11) or a setCookie callback (A21): an op that runs its routine as a callback.
bool IsCallback(const model::programs::Op& op) {
  return (op.kind == OpKind::kScript || op.kind == OpKind::kCookie) &&
         op.script == ScriptWait::kCallback;
}

bool NestsCallbacks(const Program& program) {
  for (const model::programs::Routine& routine : program.routines) {
    for (const model::programs::Op& op : routine.ops) {
      if (!IsCallback(op)) continue;
      for (const model::programs::Op& inner : program.routines[op.routine].ops) {
        if (IsCallback(inner)) return true;
      }
    }
  }
  return false;
}

// `defer script`: a handler that completes its deferral after awaiting a script.
bool DefersAfterAScript(const model::programs::Op& op) {
  return op.kind == OpKind::kDefer && op.deferral == model::programs::DeferralMode::kAfterScript;
}

// Whether some routine of `program` has an op of `kind` with wait `wait`.
bool HasOp(const Program& program, OpKind kind, ScriptWait wait) {
  for (const model::programs::Routine& routine : program.routines) {
    for (const model::programs::Op& op : routine.ops) {
      if (op.kind == kind && op.script == wait) return true;
    }
  }
  return false;
}

TEST(ProgramShapes, EveryProfileMakesWellFormedPrograms) {
  PrngChoices choices(kSeed);
  for (int profile = 0; profile < kProgramProfileCount; ++profile) {
    for (const Program& program : ProgramsOf(static_cast<ProgramProfile>(profile), choices)) {
      ASSERT_TRUE(model::programs::ValidateProgram(program).ok()) << "profile " << profile;
    }
  }
}

TEST(ProgramShapes, CrashingHandlerRunsCrashAndSomeEndAsTheCrashLeavesThem) {
  PrngChoices choices(kSeed);
  int crashed = 0;
  int ended_by_crash = 0;
  for (const Program& program : ProgramsOf(ProgramProfile::kCrashingHandler, choices)) {
    const ProgramRun run = RunProgram(program, choices.Bytes(kScheduleBytes));
    if (!run.observations.Has(Observation::Kind::kProcessCrashed)) continue;
    ++crashed;
    const sim::Verdict verdict = run.outcome.violation.kind;
    const bool cut_short = verdict == sim::Verdict::kException || verdict == sim::Verdict::kStall;
    if (verdict != PredictHandlerVerdict(program) && cut_short) ++ended_by_crash;
  }
  // Measured: 93 and 43 of 300.
  EXPECT_GE(crashed, kProgramsPerProfile / 5);
  EXPECT_GE(ended_by_crash, kProgramsPerProfile / 15);
}

TEST(ProgramShapes, ValueCallbackProgramsNestCallbacksThatRun) {
  PrngChoices choices(kSeed);
  int nested = 0;
  int ran_two = 0;
  for (const Program& program : ProgramsOf(ProgramProfile::kValueCallback, choices)) {
    nested += NestsCallbacks(program) ? 1 : 0;
    const ProgramRun run = RunProgram(program, choices.Bytes(kScheduleBytes));
    int entered = 0;
    for (const Observation& entry : run.observations.entries) {
      entered += entry.kind == Observation::Kind::kHandlerEnter ? 1 : 0;
    }
    ran_two += entered >= 2 ? 1 : 0;
  }
  // Measured: 96 and 161 of 300.
  EXPECT_GE(nested, kProgramsPerProfile / 5);
  EXPECT_GE(ran_two, kProgramsPerProfile / 3);
}

TEST(ProgramShapes, AndroidProgramsWaitForAndRunCookieCallbacks) {
  PrngChoices choices(kSeed);
  int blocks = 0;
  for (const Program& program : ProgramsOf(ProgramProfile::kDeadlock, choices)) {
    blocks += HasOp(program, OpKind::kCookie, ScriptWait::kBlock) ? 1 : 0;
  }
  int callbacks = 0;
  for (const Program& program : ProgramsOf(ProgramProfile::kValueCallback, choices)) {
    callbacks += HasOp(program, OpKind::kCookie, ScriptWait::kCallback) ? 1 : 0;
  }
  // A21's new wait and its callback both occur often enough for the properties to test them
  // (measured: 14 of 300 deadlock programs wait for a cookie callback).
  EXPECT_GE(blocks, kProgramsPerProfile / 30);
  EXPECT_GE(callbacks, kProgramsPerProfile / 10);
}

// Whether some routine of `program` has an op of `kind` (on the pool when `pool`).
bool HasOpOf(const Program& program, OpKind kind, bool pool) {
  for (const model::programs::Routine& routine : program.routines) {
    for (const model::programs::Op& op : routine.ops) {
      if (op.kind == kind && (!pool || op.thread == model::programs::kPoolThread)) return true;
    }
  }
  return false;
}

TEST(ProgramShapes, FrameworkAsyncProgramsUseThePoolAsyncMethodsAndTheUser) {
  PrngChoices choices(kSeed);
  int results = 0;
  int configure_await_false = 0;
  int pool_waits = 0;
  int chains_in_clicks = 0;
  int deadlocks = 0;
  for (const Program& program : ProgramsOf(ProgramProfile::kFrameworkAsync, choices)) {
    results += HasOpOf(program, OpKind::kResult, false) ? 1 : 0;
    configure_await_false += HasOpOf(program, OpKind::kAwaitPool, false) ? 1 : 0;
    pool_waits +=
        HasOpOf(program, OpKind::kInvoke, true) || HasOpOf(program, OpKind::kBlock, true) ? 1 : 0;
    chains_in_clicks += !program.clicks.empty() && program.routines[0].ops.size() < 3 ? 1 : 0;
    deadlocks += PredictsDeadlock(program) ? 1 : 0;
  }
  EXPECT_GE(results, kProgramsPerProfile / 5);
  EXPECT_GE(configure_await_false, kProgramsPerProfile / 10);
  EXPECT_GE(pool_waits, kProgramsPerProfile / 10);
  EXPECT_GE(chains_in_clicks, kProgramsPerProfile / 10);
  // Both outcomes are common, so that the property tests each side.
  EXPECT_GE(deadlocks, kProgramsPerProfile / 10);
  EXPECT_LE(deadlocks, kProgramsPerProfile * 9 / 10);
}

TEST(ProgramShapes, AbandoningProgramsCrashAndLeaveScriptsNobodyAwaits) {
  PrngChoices choices(kSeed);
  int crashed = 0;
  int abandoned = 0;
  int cancels = 0;
  int races = 0;
  // With the defect planted, a run that left an abandoned call behind ends `stall` instead of
  // `clean`: the count of such runs is the count of runs the property's point rests on.
  const model::webview2::PlantedDefectScope reveal(
      &model::webview2::PlantedDefects::abandoned_calls_outstanding);
  for (const Program& program : ProgramsOf(ProgramProfile::kAbandoning, choices)) {
    races += HasOp(program, OpKind::kScript, ScriptWait::kRace) ? 1 : 0;
    cancels += HasOp(program, OpKind::kScript, ScriptWait::kCancel) ? 1 : 0;
    const ProgramRun run = RunProgram(program, choices.Bytes(kScheduleBytes));
    crashed += run.observations.Has(Observation::Kind::kProcessCrashed) ? 1 : 0;
    abandoned += run.outcome.violation.kind == sim::Verdict::kStall ? 1 : 0;
  }
  // Measured: 159, 135, 143 and 14 of 300.
  EXPECT_GE(races, kProgramsPerProfile / 4);
  EXPECT_GE(cancels, kProgramsPerProfile / 4);
  EXPECT_GE(crashed, kProgramsPerProfile / 5);
  EXPECT_GE(abandoned, kProgramsPerProfile / 30);
}

TEST(ProgramShapes, PageWaitProgramsCallHostMethodsOpenAlertsAndWindowsAndEndEachWay) {
  using Step = model::programs::PageStep::Kind;
  PrngChoices choices(kSeed);
  int sync_calls = 0;
  int async_calls = 0;
  int alerts = 0;
  int window_opens = 0;
  int window_stalls = 0;  // the NewWindowRequested handler completes after a script (W9.1)
  int navigations = 0;
  int on_message = 0;
  int on_timer = 0;
  int deadlocks = 0;
  int stalls = 0;
  for (const Program& program : ProgramsOf(ProgramProfile::kPageWaits, choices)) {
    sync_calls += PageHasStep(program, Step::kHostSync) ? 1 : 0;
    async_calls += PageHasStep(program, Step::kHostAsync) ? 1 : 0;
    alerts += PageHasStep(program, Step::kAlert) ? 1 : 0;
    const bool opens = PageHasStep(program, Step::kOpenWindow);
    window_opens += opens ? 1 : 0;
    if (opens && program.new_window_handler.has_value()) {
      const std::vector<model::programs::Op>& ops =
          program.routines[*program.new_window_handler].ops;
      window_stalls += std::any_of(ops.begin(), ops.end(), DefersAfterAScript) ? 1 : 0;
    }
    navigations += PageHasStep(program, Step::kNavigate) ? 1 : 0;
    using When = model::programs::PageScript::When;
    const auto has_script_at = [&program](When when) {
      return std::any_of(program.page_scripts.begin(), program.page_scripts.end(),
                         [when](const model::programs::PageScript& s) { return s.when == when; });
    };
    on_message += has_script_at(When::kWebMessage) ? 1 : 0;
    on_timer += has_script_at(When::kTimer) ? 1 : 0;
    deadlocks += PredictsDeadlock(program) ? 1 : 0;
    stalls += PredictsPageStall(program) ? 1 : 0;
  }
  // Measured: 177, 200, 77, 77, 11, 48, 36, 40, 167 and 19 of 300.
  EXPECT_GE(sync_calls, kProgramsPerProfile / 4);
  EXPECT_GE(async_calls, kProgramsPerProfile / 4);
  EXPECT_GE(alerts, kProgramsPerProfile / 10);
  EXPECT_GE(window_opens, kProgramsPerProfile / 10);
  EXPECT_GE(window_stalls, kProgramsPerProfile / 60);
  EXPECT_GE(navigations, kProgramsPerProfile / 10);
  EXPECT_GE(on_message, kProgramsPerProfile / 20);
  EXPECT_GE(on_timer, kProgramsPerProfile / 20);
  // Every outcome is common enough that the property tests each side.
  EXPECT_GE(deadlocks, kProgramsPerProfile / 10);
  EXPECT_GE(stalls, kProgramsPerProfile / 60);
  EXPECT_LE(deadlocks + stalls, kProgramsPerProfile * 9 / 10);
}

TEST(ProgramShapes, PageCallbackProgramsCallHostMethodsBothWaysHandleMessagesAndSomeReenter) {
  using Step = model::programs::PageStep::Kind;
  PrngChoices choices(kSeed);
  int sync_calls = 0;
  int async_calls = 0;
  int reentrant = 0;
  int message_handlers = 0;  // that the page's posts run
  for (const Program& program : ProgramsOf(ProgramProfile::kPageCallbacks, choices)) {
    message_handlers +=
        program.message_handler.has_value() && PageHasStep(program, Step::kPost) ? 1 : 0;
    sync_calls += PageHasStep(program, Step::kHostSync) ? 1 : 0;
    async_calls += PageHasStep(program, Step::kHostAsync) ? 1 : 0;
    reentrant += PredictHandlerVerdict(program) == model::WebViewVerdict::kReentrancy ? 1 : 0;
  }
  // Measured: 218, 212, 68 and 91 of 300.
  EXPECT_GE(sync_calls, kProgramsPerProfile / 4);
  EXPECT_GE(async_calls, kProgramsPerProfile / 4);
  EXPECT_GE(reentrant, kProgramsPerProfile / 10);
  EXPECT_LE(reentrant, kProgramsPerProfile * 9 / 10);
  EXPECT_GE(message_handlers, kProgramsPerProfile / 6);
}

}  // namespace
}  // namespace wvsim::props
