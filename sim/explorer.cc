#include "sim/explorer.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/assert.h"
#include "sim/runner.h"
#include "sim/strategies/factory.h"

namespace wvsim::sim {

namespace {

// Polling hooks costs a std::function call; runs take about a microsecond, so poll every so often.
constexpr uint64_t kHookPollRuns = 64;

Found Reproduce(Runner& runner, const RunOutcome& fast, const ExploreConfig& config,
                uint64_t execution) {
  const std::vector<Decision> decisions = runner.kernel().Decisions();
  Found found;
  found.execution = execution;
  const RunOutcome traced = runner.Replay(decisions, /*lenient=*/false);
  found.violation = traced.violation;
  found.schedule =
      runner.LastSchedule(traced, config.strategy, config.seed, config.depth.value_or(0));
  if (traced.diverged || traced.violation.kind != fast.violation.kind) {
    found.nondeterminism =
        absl::StrCat("the traced re-run of execution ", execution, " did not reproduce it (",
                     traced.diverged ? traced.divergence : "a different verdict",
                     "): the scenario or the model is nondeterministic");
    found.violation = fast.violation;
    found.schedule.verdict = fast.violation.kind;
  }
  return found;
}

}  // namespace

namespace {

absl::StatusOr<std::unique_ptr<Strategy>> StrategyFor(const ExploreConfig& config) {
  if (config.shard_count == 0 || config.shard_index >= config.shard_count) {
    return absl::InvalidArgumentError("shard index must be below the shard count");
  }
  StrategyOptions options;
  options.seed = config.seed;
  options.depth = config.depth;
  absl::StatusOr<std::unique_ptr<Strategy>> strategy = MakeStrategy(config.strategy, options);
  if (strategy.ok() && config.shard_count > 1 && !(*strategy)->CanShard()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the ", config.strategy,
        " strategy walks one tree, each run depending on the ones before, and cannot be sharded "
        "(run it without --shard)"));
  }
  return strategy;
}

}  // namespace

absl::Status ValidateExploreConfig(const Scenario& scenario, const ExploreConfig& config) {
  if (absl::StatusOr<std::unique_ptr<Strategy>> strategy = StrategyFor(config); !strategy.ok()) {
    return strategy.status();
  }
  return ResolveParams(scenario, config.params).status();
}

absl::StatusOr<ExploreResult> Explore(const Scenario& scenario, const ExploreConfig& config,
                                      const ExploreHooks& hooks) {
  absl::StatusOr<std::unique_ptr<Strategy>> strategy = StrategyFor(config);
  if (!strategy.ok()) return strategy.status();
  absl::StatusOr<ParamValues> params = ResolveParams(scenario, config.params);
  if (!params.ok()) return params.status();
  WVSIM_ASSERT(config.shard_index < config.shard_count);  // StrategyFor refuses other shards

  KernelLimits limits;
  limits.steps_max = config.max_steps;
  Runner runner(scenario, *std::move(params), limits);
  ExploreResult result;
  result.systematic = !(*strategy)->CanShard();
  std::set<std::pair<Verdict, std::string>> seen;
  // `run` counts every run, revisits included (they cost time); iterations count executions.
  for (uint64_t run = 0; result.executions < config.iterations; ++run) {
    if (run % kHookPollRuns == 0) {
      if (hooks.should_stop && hooks.should_stop()) {
        result.stopped = true;
        break;
      }
      if (hooks.progress) hooks.progress(result.executions, result.found.size());
    }
    const uint64_t execution = config.shard_index + run * config.shard_count;
    if (!(*strategy)->BeginExecution(execution)) {
      result.exhausted = true;
      break;
    }
    const RunOutcome outcome = runner.Run(**strategy, /*traced=*/false);
    if (outcome.interrupted) {  // a stop request ended it part way: no verdict, not counted
      result.stopped = true;
      break;
    }
    if ((*strategy)->Revisiting()) {  // its outcome was known and judged when it first ran
      ++result.revisits;
      continue;
    }
    ++result.executions;
    if (!outcome.configuration_error.empty()) {
      result.configuration_error =
          absl::StrCat(DescribeConfiguration(scenario, runner.params()), ", execution ", execution,
                       ": ", outcome.configuration_error);
      break;
    }
    if (outcome.violation.kind == Verdict::kClean) continue;
    if (!seen.insert({outcome.violation.kind, outcome.violation.place}).second) continue;
    if (result.verdict == Verdict::kClean) result.verdict = outcome.violation.kind;
    result.found.push_back(Reproduce(runner, outcome, config, execution));
    if (hooks.found) hooks.found(result.found.back());
    if (!config.keep_going) break;
  }
  return result;
}

}  // namespace wvsim::sim
