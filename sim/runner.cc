#include "sim/runner.h"

#include "absl/strings/str_cat.h"
#include "sim/strategies/replay.h"

namespace wvsim::sim {

Runner::Runner(const Scenario& scenario, ParamValues params, KernelLimits limits)
    : scenario_(scenario), params_(std::move(params)), kernel_(limits) {}

RunOutcome Runner::Run(Strategy& strategy, bool traced) {
  kernel_.Reset(&strategy, traced);
  kernel_.SetParams(&params_);
  // Only a kernel program (`sim.*`) keeps its shared state behind the kernel's primitives. Any
  // other runtime runs model code between scheduling points (not every model makes a ModelPort),
  // so a partial-order reduction must take every step of it for dependent on every other.
  if (scenario_.runtime() != "sim") kernel_.NoteModelAttached();
  scenario_.setup(kernel_);
  return kernel_.Run();
}

Schedule Runner::LastSchedule(const RunOutcome& outcome, std::string strategy, uint64_t seed,
                              uint32_t depth) const {
  Schedule schedule;
  schedule.scenario = scenario_.id;
  schedule.payload = scenario_.payload;
  for (const auto& [name, value] : params_) schedule.params[name] = absl::StrCat(value);
  schedule.strategy = std::move(strategy);
  schedule.seed = seed;
  schedule.depth = depth;
  schedule.max_steps = kernel_.limits().steps_max;
  schedule.model_version = scenario_.model_version;
  schedule.verdict = outcome.violation.kind;
  schedule.trace_hash = kernel_.traced() ? kernel_.TraceHash() : 0;
  schedule.steps = outcome.steps;
  schedule.preemptions = outcome.preemptions;
  schedule.decisions = kernel_.Decisions();
  return schedule;
}

RunOutcome Runner::Replay(const std::vector<Decision>& decisions, bool lenient) {
  ReplayStrategy replay(decisions, lenient);
  replay.BeginExecution(0);
  return Run(replay, /*traced=*/true);
}

}  // namespace wvsim::sim
