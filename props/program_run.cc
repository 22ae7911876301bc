#include "props/program_run.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "sim/runner.h"
#include "sim/schedule_io.h"
#include "sim/strategies/byte_stream.h"

namespace wvsim::props {

namespace {

constexpr uint64_t kStepsMax = 20'000;

}  // namespace

ProgramRun RunProgram(const Program& program, const ScheduleBytes& bytes) {
  ProgramRun run;
  const sim::Scenario scenario = model::programs::ProgramScenario(program, &run.observations);
  sim::Runner runner(scenario, {}, {.steps_max = kStepsMax});
  sim::ByteStreamStrategy strategy(bytes);
  strategy.BeginExecution(0);
  run.outcome = runner.Run(strategy, /*traced=*/true);
  run.trace_hash = runner.kernel().TraceHash();
  run.schedule = runner.LastSchedule(run.outcome, "bytes", 0, 0);
  return run;
}

std::string ReplayHint(const ProgramRun& run) {
  const char* dir = std::getenv("WVSIM_PROPS_OUT");
  const std::string path = absl::StrFormat("%s/program-%016x.schedule",
                                           dir != nullptr ? dir : "props-failures", run.trace_hash);
  absl::Status written = sim::WriteScheduleFile(path, run.schedule);
  if (!written.ok()) return absl::StrCat("(could not write the schedule: ", written.message(), ")");
  return absl::StrCat("verdict ", sim::VerdictName(run.outcome.violation.kind), ": ",
                      run.outcome.violation.report, "\nreproduce: wvsim replay ", path);
}

}  // namespace wvsim::props
