#include "props/properties.h"

#include <map>
#include <optional>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "model/programs/interpreter.h"
#include "model/programs/program_text.h"
#include "model/verdicts.h"
#include "model/webview2/hresult.h"
#include "props/program_run.h"
#include "props/reference.h"
#include "sim/runner.h"
#include "sim/schedule_io.h"

using ::wvsim::model::WebViewVerdict;

// RC_ASSERT with a message built only on failure (rapidcheck's own takes none).
#define PROP_ASSERT(condition, message)                                 \
  do {                                                                  \
    if (!(condition)) RC_FAIL(absl::StrCat(#condition, "\n", message)); \
  } while (false)

namespace wvsim::props {

namespace {

using model::programs::Observation;
using Kind = Observation::Kind;
using sim::Verdict;

const std::string& UiThreadName(const Program& program) { return program.threads[0].name; }

// The position in the run's observations of the first entry of `kind` for `handler`, if any.
std::optional<size_t> FirstOf(const ProgramRun& run, Kind kind, uint32_t handler) {
  const std::vector<Observation>& entries = run.observations.entries;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].kind == kind && entries[i].handler == handler) return i;
  }
  return std::nullopt;
}

size_t CountOf(const ProgramRun& run, Kind kind, uint32_t handler) {
  size_t count = 0;
  for (const Observation& entry : run.observations.entries) {
    count += entry.kind == kind && entry.handler == handler ? 1 : 0;
  }
  return count;
}

const char* EventName(const Program& program, uint32_t handler) {
  return model::webview2::InfoOf(program.handlers[handler].event).name;
}

}  // namespace

void CheckSerialCallbacks(const Program& program, const ScheduleBytes& schedule) {
  const ProgramRun run = RunProgram(program, schedule);
  PROP_ASSERT(run.outcome.violation.kind != WebViewVerdict::kSerialCallbacks, ReplayHint(run));
  std::map<std::string, uint32_t> on_stack;  // thread -> the callback it is in
  std::set<uint32_t> left;                   // callbacks that already left the stack once
  for (const Observation& entry : run.observations.entries) {
    if (entry.kind == Kind::kHandlerEnter) {
      PROP_ASSERT(
          entry.thread == UiThreadName(program),
          absl::StrCat("handler ", entry.handler, " ran on ", entry.thread, "\n", ReplayHint(run)));
      PROP_ASSERT(on_stack.count(entry.thread) == 0,
                  absl::StrCat("handler ", entry.handler, " started inside handler ",
                               on_stack[entry.thread], "\n", ReplayHint(run)));
      on_stack[entry.thread] = entry.handler;
    } else if (entry.kind == Kind::kHandlerLeave && left.insert(entry.handler).second) {
      on_stack.erase(entry.thread);
    }
  }
}

void CheckNoReentrancy(const Program& program, const ScheduleBytes& schedule) {
  const ProgramRun run = RunProgram(program, schedule);
  const bool predicted = PredictHandlerVerdict(program) == WebViewVerdict::kReentrancy;
  const bool reported = run.outcome.violation.kind == WebViewVerdict::kReentrancy;
  PROP_ASSERT(reported == predicted,
              absl::StrCat("predicted reentrancy: ", predicted, "\n", ReplayHint(run)));
  if (reported) {
    PROP_ASSERT(absl::StrContains(run.outcome.violation.report, "handler"), ReplayHint(run));
  }
}

void CheckDeferralCompletion(const Program& program, const ScheduleBytes& schedule) {
  const ProgramRun run = RunProgram(program, schedule);
  const Verdict verdict = run.outcome.violation.kind;
  const bool crashed = run.observations.Has(Kind::kProcessCrashed);  // W12, W15
  PROP_ASSERT(
      verdict == PredictHandlerVerdict(program) || (crashed && CrashMayEndWith(program, verdict)),
      absl::StrCat("predicted ", sim::VerdictName(PredictHandlerVerdict(program)),
                   crashed ? " (or what a crash leaves)" : "", "\n", ReplayHint(run)));
  const bool cut_short = crashed && (verdict == Verdict::kException || verdict == Verdict::kStall);
  for (uint32_t h = 0; h < program.handlers.size(); ++h) {
    if (!FirstOf(run, Kind::kDeferralTaken, h).has_value()) continue;
    const size_t completions = CountOf(run, Kind::kDeferralComplete, h);
    if (verdict == Verdict::kClean) {
      PROP_ASSERT(completions == 1u, absl::StrCat(EventName(program, h), " completed ", completions,
                                                  " times\n", ReplayHint(run)));
    } else if (cut_short) {
      // The crash cut the run short: a deferral may still be open, but none completes twice.
      PROP_ASSERT(completions <= 1u, absl::StrCat(EventName(program, h), " completed ", completions,
                                                  " times\n", ReplayHint(run)));
    } else if (completions != 1) {
      // The deferral at fault: the report must say which event it belongs to.
      PROP_ASSERT(absl::StrContains(run.outcome.violation.report, EventName(program, h)),
                  ReplayHint(run));
    }
    // What it holds up: the page's next event may start only after Complete (W9).
    if (h + 1 == program.handlers.size()) continue;
    const std::optional<size_t> next = FirstOf(run, Kind::kHandlerEnter, h + 1);
    if (!next.has_value()) continue;
    const std::optional<size_t> completed = FirstOf(run, Kind::kDeferralComplete, h);
    PROP_ASSERT(completed.has_value() && *completed < *next,
                absl::StrCat(EventName(program, h + 1), " started before the deferral of ",
                             EventName(program, h), " completed\n", ReplayHint(run)));
  }
}

void CheckDeadlockExactlyWhenPredicted(const Program& program, const ScheduleBytes& schedule) {
  const ProgramRun run = RunProgram(program, schedule);
  const Verdict verdict = run.outcome.violation.kind;
  const bool predicted = PredictsDeadlock(program);
  PROP_ASSERT(
      verdict == Verdict::kClean || verdict == Verdict::kDeadlock || verdict == Verdict::kStall,
      ReplayHint(run));
  PROP_ASSERT((verdict == Verdict::kDeadlock) == predicted,
              absl::StrCat("predicted deadlock: ", predicted, "\n", ReplayHint(run)));
}

void CheckPageWaitsEndAsPredicted(const Program& program, const ScheduleBytes& schedule) {
  const ProgramRun run = RunProgram(program, schedule);
  const Verdict verdict = run.outcome.violation.kind;
  const Verdict predicted = PredictsDeadlock(program)    ? Verdict::kDeadlock
                            : PredictsPageStall(program) ? Verdict::kStall
                                                         : Verdict::kClean;
  RC_TAG(std::string(sim::VerdictName(predicted)));  // how often each verdict is at stake
  PROP_ASSERT(verdict == predicted,
              absl::StrCat("predicted ", sim::VerdictName(predicted), "\n", ReplayHint(run)));
}

void CheckThreadAffinity(const Program& program, const ScheduleBytes& schedule) {
  const ProgramRun run = RunProgram(program, schedule);
  const Verdict predicted = PredictAffinityVerdict(program);
  PROP_ASSERT(run.outcome.violation.kind == predicted,
              absl::StrCat("predicted ", sim::VerdictName(predicted), "\n", ReplayHint(run)));
  bool rejected = false;
  for (const Observation& entry : run.observations.entries) {
    const bool on_owner = entry.thread == UiThreadName(program);
    if (entry.kind == Kind::kCallSucceeded) PROP_ASSERT(on_owner, ReplayHint(run));
    if (entry.kind != Kind::kCallRejected) continue;
    rejected = true;
    PROP_ASSERT(!on_owner, ReplayHint(run));
    if (program.runtime == model::programs::ProgramRuntime::kAndroid) {
      PROP_ASSERT(absl::StrContains(entry.error, "A WebView method was called on thread"),
                  absl::StrCat(entry.error, "\n", ReplayHint(run)));  // A2
    } else {
      PROP_ASSERT(entry.hresult == model::webview2::kUiEWrongThread, ReplayHint(run));  // W3
    }
    PROP_ASSERT(entry.document != model::programs::CallTargetPage(entry.thread), ReplayHint(run));
  }
  PROP_ASSERT(rejected == (predicted == WebViewVerdict::kWrongThread), ReplayHint(run));
}

void CheckAbandonedCallsEndClean(const Program& program, const ScheduleBytes& schedule) {
  const ProgramRun run = RunProgram(program, schedule);
  PROP_ASSERT(run.outcome.violation.kind == Verdict::kClean, ReplayHint(run));
  size_t calls = 0;
  for (const model::programs::Op& op : program.routines[0].ops) {
    calls +=
        op.kind == model::programs::OpKind::kScript || op.kind == model::programs::OpKind::kNavigate
            ? 1
            : 0;
  }
  size_t returned = 0;
  for (const Observation& entry : run.observations.entries) {
    returned += entry.kind == Kind::kCallSucceeded ? 1 : 0;
  }
  PROP_ASSERT(returned >= calls, absl::StrCat(returned, " of Form_Load's ", calls,
                                              " calls returned\n", ReplayHint(run)));
}

void CheckDeterminism(const Program& program, const ScheduleBytes& schedule) {
  const ProgramRun first = RunProgram(program, schedule);
  const ProgramRun second = RunProgram(program, schedule);
  PROP_ASSERT(first.trace_hash == second.trace_hash, ReplayHint(first));
  // The schedule file round trip, program included, then a strict replay of it.
  absl::StatusOr<sim::Schedule> reread =
      sim::ParseSchedule(sim::FormatSchedule(first.schedule), "generated");
  PROP_ASSERT(reread.ok(), reread.status().ToString());
  absl::StatusOr<Program> program_again = model::programs::ParseProgram(reread->payload);
  PROP_ASSERT(program_again.ok(), program_again.status().ToString());
  PROP_ASSERT(*program_again == program, "");
  const sim::Scenario scenario = model::programs::ProgramScenario(*program_again);
  sim::Runner runner(scenario, {}, {.steps_max = reread->max_steps});
  const sim::RunOutcome replayed = runner.Replay(reread->decisions, /*lenient=*/false);
  PROP_ASSERT(!replayed.diverged, ReplayHint(first));
  PROP_ASSERT(replayed.violation.kind == first.outcome.violation.kind, ReplayHint(first));
  PROP_ASSERT(runner.kernel().TraceHash() == first.trace_hash, ReplayHint(first));
}

}  // namespace wvsim::props
