// Exploration: runs a scenario under a strategy until a violation, an iteration count, or the
// caller says stop; re-runs every violating run with full tracing to produce its schedule (and,
// on the way, checks that the run replays identically: a mismatch is a nondeterminism bug in the
// scenario or the model, and is reported as such).
//
// Reads no clock: the caller's should_stop hook implements time budgets and signal handling.
#ifndef WVSIM_SIM_EXPLORER_H_
#define WVSIM_SIM_EXPLORER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sim/scenario.h"
#include "sim/schedule.h"

namespace wvsim::sim {

struct ExploreConfig {
  std::string strategy = "random";
  uint64_t iterations = 10'000;
  uint64_t seed = 0;
  // PCT's depth, dfs's preemption bound, or ipb's and idb's cap; none = the default.
  std::optional<uint32_t> depth = std::nullopt;
  uint64_t max_steps = 100'000;
  uint32_t shard_index = 0;  // runs the shard_index-th of shard_count disjoint shares of seeds
  uint32_t shard_count = 1;
  bool keep_going = false;  // go on after a violation, keeping one schedule per distinct one
  std::map<std::string, std::string> params = {};
};

struct Found {
  Violation violation;
  Schedule schedule;           // traced: labels and trace hash filled in
  uint64_t execution = 0;      // the run's index in the campaign
  std::string nondeterminism;  // non-empty when the traced re-run did not reproduce the run
};

struct ExploreHooks {
  std::function<bool()> should_stop;                                     // polled between runs
  std::function<void(uint64_t executions, size_t violations)> progress;  // polled between runs
  std::function<void(const Found&)> found;  // each distinct violation, as soon as it is known
};

struct ExploreResult {
  Verdict verdict = Verdict::kClean;  // the first violation found, or clean
  uint64_t executions = 0;
  std::vector<Found> found;
  // Runs of schedules the strategy had already run (ipb and idb pass through their lower bounds
  // again); not in `executions`, which counts each schedule once.
  uint64_t revisits = 0;
  bool exhausted = false;  // the strategy had nothing left to try (dfs, ipb, idb)
  // The strategy walks one tree, each schedule once (dfs, ipb, idb): `executions` counts
  // distinct schedules.
  bool systematic = false;
  bool stopped = false;  // should_stop ended it early
  // Non-empty when a run reached a limit of the configuration (RunOutcome::configuration_error):
  // the campaign stopped there, since every further run could too. Names the scenario, its
  // parameters and the execution: "<id> with fault_budget=62, execution 3: thread limit ...".
  std::string configuration_error;
};

// OK when Explore would accept `config` for `scenario`; InvalidArgument naming the problem (an
// unknown strategy, a bad depth, bad parameters, a shard a strategy that walks one tree cannot
// honour) otherwise.
absl::Status ValidateExploreConfig(const Scenario& scenario, const ExploreConfig& config);

// InvalidArgument as ValidateExploreConfig says.
absl::StatusOr<ExploreResult> Explore(const Scenario& scenario, const ExploreConfig& config,
                                      const ExploreHooks& hooks = {});

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_EXPLORER_H_
