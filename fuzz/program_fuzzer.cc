// Generated app programs under fuzzer-chosen schedules: the first byte picks a program shape
// (props/program_shapes.h), the next bytes build the program, the rest drive every scheduler
// decision. The model's verdict must agree with the reference predictor (props/reference.h) on
// every input, and the model's own self-check (serial_callbacks) must never fire; a
// disagreement is a crash whose `.schedule` (program included) `wvsim replay` reproduces.
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "fuzz/fuzz_support.h"
#include "model/programs/interpreter.h"
#include "model/verdicts.h"
#include "props/program_shapes.h"
#include "props/reference.h"
#include "sim/runner.h"
#include "sim/strategies/byte_stream.h"

using ::wvsim::model::WebViewVerdict;

namespace {

using wvsim::props::ProgramProfile;
using wvsim::sim::Verdict;

// Whether `verdict` is what the reference predictor allows for `program`; `crashed`: a `crash` op
// crashed a process in the run.
bool AgreesWithReference(ProgramProfile profile, const wvsim::props::Program& program,
                         Verdict verdict, bool crashed) {
  switch (profile) {
    case ProgramProfile::kDeadlock:
    case ProgramProfile::kFrameworkWaits:
    case ProgramProfile::kFrameworkAsync:
      return (verdict == Verdict::kDeadlock) == wvsim::props::PredictsDeadlock(program) &&
             (verdict == Verdict::kClean || verdict == Verdict::kDeadlock ||
              verdict == Verdict::kStall);
    case ProgramProfile::kHandler:
    case ProgramProfile::kPageCallbacks:
      return verdict == wvsim::props::PredictHandlerVerdict(program);
    case ProgramProfile::kAffinity:
      return verdict == wvsim::props::PredictAffinityVerdict(program);
    case ProgramProfile::kCrashingHandler:
      return verdict == wvsim::props::PredictHandlerVerdict(program) ||
             (crashed && wvsim::props::CrashMayEndWith(program, verdict));
    case ProgramProfile::kValueCallback:
    case ProgramProfile::kAbandoning:
      return verdict == Verdict::kClean;
    case ProgramProfile::kPageWaits:
      if (wvsim::props::PredictsDeadlock(program)) return verdict == Verdict::kDeadlock;
      return verdict ==
             (wvsim::props::PredictsPageStall(program) ? Verdict::kStall : Verdict::kClean);
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto profile = static_cast<ProgramProfile>(data[0] % wvsim::props::kProgramProfileCount);
  wvsim::props::ByteChoices choices(data + 1, size - 1);
  const wvsim::props::Program program = wvsim::props::MakeProgram(profile, choices);
  wvsim::model::programs::ProgramObservations observations;
  const wvsim::sim::Scenario scenario =
      wvsim::model::programs::ProgramScenario(program, &observations);
  wvsim::sim::KernelLimits limits;
  limits.steps_max = wvsim::fuzz::kFuzzStepsMax;
  wvsim::sim::Runner runner(scenario, {}, limits);
  wvsim::fuzz::UseFeatureCounters(runner);
  const size_t schedule_at = 1 + choices.used();
  wvsim::sim::ByteStreamStrategy bytes(absl::MakeConstSpan(data + schedule_at, size - schedule_at));
  bytes.BeginExecution(0);
  const wvsim::sim::RunOutcome outcome = runner.Run(bytes, /*traced=*/false);
  const Verdict verdict = outcome.violation.kind;
  const bool crashed = observations.Has(wvsim::model::programs::Observation::Kind::kProcessCrashed);
  if (verdict == WebViewVerdict::kSerialCallbacks ||
      !AgreesWithReference(profile, program, verdict, crashed)) {
    wvsim::fuzz::CrashWithSchedule(runner, outcome, "model and reference predictor disagree");
  }
  return 0;
}
