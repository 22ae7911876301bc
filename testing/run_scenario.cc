// ExploreScenario and RunScenario: find the scenario, replay instead when WVSIM_REPLAY asks, else
// run it through the explorer (sim/explorer.h) or once under a byte-stream schedule.
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/builtin_scenarios.h"
#include "sim/runner.h"
#include "sim/strategies/byte_stream.h"
#include "wvsim/internal/replay_env.h"
#include "wvsim/testing.h"

namespace wvsim::testing {

namespace {

// The registered scenario `id`, built-in or the binary's own; null with `error` set when none.
const sim::Scenario* FindScenario(std::string_view id, std::string& error) {
  model::RegisterBuiltinScenarios();
  const sim::Scenario* scenario = sim::ScenarioRegistry::Global().Find(id);
  if (scenario == nullptr) {
    error = absl::StrCat("unknown scenario '", std::string(id),
                         "': register it with WVSIM_REGISTER_SCENARIO in a source file of this "
                         "test binary (a registration in a static library is dropped when "
                         "nothing else in its object file is used)");
  }
  return scenario;
}

Result UnknownScenario(std::string_view id, std::string error) {
  Result result;
  result.scenario = std::string(id);
  result.error = std::move(error);
  return result;
}

}  // namespace

Result ExploreScenario(std::string_view id, const ExploreOptions& options) {
  std::string error;
  const sim::Scenario* scenario = FindScenario(id, error);
  if (scenario == nullptr) return UnknownScenario(id, std::move(error));
  return ExploreScenario(*scenario, options);
}

Result ExploreScenario(const sim::Scenario& scenario, const ExploreOptions& options) {
  if (std::optional<Result> replayed = internal::ReplayIfRequested(scenario)) return *replayed;
  Result result =
      internal::NewResult(scenario, absl::StrCat(options.strategy, ", seed ", options.seed));
  absl::StatusOr<sim::ExploreResult> explored = sim::Explore(scenario, options);
  if (!explored.ok()) {
    result.error = std::string(explored.status().message());
    return result;
  }
  result.verdict = explored->verdict;
  result.executions = explored->executions;
  result.exhausted = explored->exhausted;
  result.revisits = explored->revisits;
  result.found = std::move(explored->found);
  return result;
}

Result RunScenario(std::string_view id, const ChoiceSequence& choices, const RunOptions& options) {
  std::string error;
  const sim::Scenario* scenario = FindScenario(id, error);
  if (scenario == nullptr) return UnknownScenario(id, std::move(error));
  return RunScenario(*scenario, choices, options);
}

Result RunScenario(const sim::Scenario& scenario, const ChoiceSequence& choices,
                   const RunOptions& options) {
  if (std::optional<Result> replayed = internal::ReplayIfRequested(scenario)) return *replayed;
  Result result = internal::NewResult(
      scenario, absl::StrCat("a generated schedule of ", choices.bytes.size(), " bytes"));
  absl::StatusOr<sim::ParamValues> params = sim::ResolveParams(scenario, options.params);
  if (!params.ok()) {
    result.error = std::string(params.status().message());
    return result;
  }
  sim::KernelLimits limits;
  limits.steps_max = options.max_steps;
  sim::Runner runner(scenario, *std::move(params), limits);
  sim::ByteStreamStrategy strategy(choices.bytes);
  strategy.BeginExecution(0);
  // Traced at once: a property runs a hundred schedules, not millions, and the trace is what a
  // failure's schedule file needs (labels to check on replay, the trace hash).
  const sim::RunOutcome outcome = runner.Run(strategy, /*traced=*/true);
  result.executions = 1;
  result.verdict = outcome.violation.kind;
  if (result.verdict != Verdict::kClean) {
    sim::Found found;
    found.violation = outcome.violation;
    found.schedule = runner.LastSchedule(outcome, std::string(strategy.name()), 0, 0);
    result.found.push_back(std::move(found));
  }
  return result;
}

}  // namespace wvsim::testing
