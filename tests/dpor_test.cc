// Tests for DPOR (sim/strategies/dpor.h): it proves the clean kernel scenarios with far fewer
// runs than an unreduced walk, finds the classic bugs, explores every option of a choice that is
// not a thread's, records schedules that replay, refuses --shard, and takes --depth as a
// preemption bound. Its soundness on generated programs is a property
// (props/dpor_soundness_prop.cc).
#include "sim/strategies/dpor.h"

#include <algorithm>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/builtin_scenarios.h"
#include "model/scenarios/sim/classic_suite.h"
#include "sim/assert.h"
#include "sim/explorer.h"
#include "sim/runner.h"
#include "sim/schedule_io.h"
#include "sim/sync.h"

namespace wvsim::sim {
namespace {

using ::testing::HasSubstr;

const Scenario& Builtin(std::string_view id) {
  model::RegisterBuiltinScenarios();
  const Scenario* scenario = ScenarioRegistry::Global().Find(id);
  WVSIM_ASSERT_MSG(scenario != nullptr, "every id this test names is registered");
  return *scenario;
}

ExploreResult MustExplore(const Scenario& scenario, const std::string& strategy,
                          std::optional<uint32_t> depth = std::nullopt) {
  ExploreConfig config;
  config.strategy = strategy;
  config.iterations = 5'000'000;
  config.depth = depth;
  absl::StatusOr<ExploreResult> result = Explore(scenario, config);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : ExploreResult{};
}

TEST(Dpor, ProvesTheCounterCleanWithFarFewerRunsThanUnreducedDfs) {
  const ExploreResult dpor = MustExplore(Builtin("sim.counter"), "dpor");
  const ExploreResult dfs = MustExplore(Builtin("sim.counter"), "dfs", 64);
  EXPECT_EQ(dpor.verdict, Verdict::kClean);
  EXPECT_TRUE(dpor.exhausted);
  EXPECT_TRUE(dpor.systematic);
  EXPECT_TRUE(dfs.exhausted);
  EXPECT_GE(dfs.executions, 5 * dpor.executions)
      << "dpor " << dpor.executions << ", dfs " << dfs.executions;
}

TEST(Dpor, FindsEveryClassicBugAndProvesEveryTwin) {
  model::RegisterBuiltinScenarios();
  ASSERT_GE(model::ClassicSuite().size(), 12u);
  // At most two twins may be exempt from the reduction target (model/scenarios/sim/README.md).
  EXPECT_LE(std::count_if(model::ClassicSuite().begin(), model::ClassicSuite().end(),
                          [](const model::ClassicPair& pair) { return !pair.reducible; }),
            2);
  for (const model::ClassicPair& pair : model::ClassicSuite()) {
    const Scenario& bug = Builtin(pair.bug);
    const ExploreResult found = MustExplore(bug, "dpor");
    EXPECT_NE(found.verdict, Verdict::kClean) << pair.bug;
    EXPECT_TRUE(bug.Expects(found.verdict)) << pair.bug << ": " << VerdictName(found.verdict);
    ASSERT_FALSE(found.found.empty()) << pair.bug;
    EXPECT_TRUE(found.found[0].nondeterminism.empty()) << found.found[0].nondeterminism;
    EXPECT_EQ(found.found[0].schedule.strategy, "dpor");
    const ExploreResult proven = MustExplore(Builtin(pair.twin), "dpor");
    EXPECT_EQ(proven.verdict, Verdict::kClean) << pair.twin;
    EXPECT_TRUE(proven.exhausted) << pair.twin;
  }
}

TEST(Dpor, ItsSchedulesReplay) {
  const ExploreResult found = MustExplore(Builtin("sim.lost_update"), "dpor");
  ASSERT_FALSE(found.found.empty());
  const Schedule& schedule = found.found[0].schedule;
  absl::StatusOr<Schedule> parsed = ParseSchedule(FormatSchedule(schedule), "dpor.schedule");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->strategy, "dpor");
  Runner runner(Builtin("sim.lost_update"), {});
  const RunOutcome replayed = runner.Replay(parsed->decisions, /*lenient=*/false);
  EXPECT_FALSE(replayed.diverged) << replayed.divergence;
  EXPECT_EQ(replayed.violation.kind, schedule.verdict);
}

// Two threads store to one variable and two others to another: of the many interleavings, only
// the order within each pair matters (2 x 2 classes).
Scenario TwoPairsOfWriters() {
  return Scenario{
      .id = "sim.test_two_pairs",
      .description = "two pairs of writers, each pair to its own variable",
      .expected = {Verdict::kClean},
      .setup =
          [](Kernel& kernel) {
            auto& x = kernel.Make<Shared<int>>("x", 0);
            auto& y = kernel.Make<Shared<int>>("y", 0);
            auto store = [](Shared<int>& v, int value) -> Task<> { co_await v.Store(value); };
            kernel.Spawn("a", store(x, 1));
            kernel.Spawn("b", store(x, 2));
            kernel.Spawn("c", store(y, 1));
            kernel.Spawn("d", store(y, 2));
          },
  };
}

uint64_t RunsUntilExhausted(const Scenario& scenario, Strategy& strategy) {
  Runner runner(scenario, {});
  uint64_t runs = 0;
  while (strategy.BeginExecution(runs)) {
    runner.Run(strategy, /*traced=*/false);
    ++runs;
  }
  return runs;
}

TEST(Dpor, RunsOneScheduleForEachOrderOfTheDependentSteps) {
  DporStrategy dpor;
  EXPECT_EQ(RunsUntilExhausted(TwoPairsOfWriters(), dpor), 4u);
  EXPECT_TRUE(dpor.exhausted());
}

Scenario ChoosingThreads() {
  // Each of two independent threads makes a three-way choice: every combination is a run.
  return Scenario{
      .id = "sim.test_choices",
      .description = "two independent threads make a three-way choice each",
      .expected = {Verdict::kClean},
      .setup =
          [](Kernel& kernel) {
            auto chooser = [](Kernel& k) -> Task<> {
              co_await k.Yield();
              k.Choose(ChoiceKind::kValue, 3, "value");
            };
            kernel.Spawn("a", chooser(kernel));
            kernel.Spawn("b", chooser(kernel));
          },
  };
}

TEST(Dpor, ExploresEveryOptionOfAChoiceThatIsNotAThreads) {
  DporStrategy dpor;
  EXPECT_EQ(RunsUntilExhausted(ChoosingThreads(), dpor), 9u);
}

TEST(Dpor, RefusesShards) {
  ExploreConfig config;
  config.strategy = "dpor";
  config.shard_count = 2;
  absl::Status status = ValidateExploreConfig(Builtin("sim.counter"), config);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("dpor"));
  config.shard_count = 1;
  config.depth = 2;
  EXPECT_TRUE(ValidateExploreConfig(Builtin("sim.counter"), config).ok());
}

// With a preemption bound (BPOR, dpor.h) it finds, at bound 1, every classic bug that dfs finds
// at bound 1, keeps every twin clean, and needs no more runs than dfs at that bound to end.
TEST(Dpor, WithPreemptionBoundOneFindsWhatBoundedDfsFinds) {
  model::RegisterBuiltinScenarios();
  int found_by_both = 0;
  for (const model::ClassicPair& pair : model::ClassicSuite()) {
    const Scenario& bug = Builtin(pair.bug);
    const ExploreResult dfs = MustExplore(bug, "dfs", 1);
    const ExploreResult bounded = MustExplore(bug, "dpor", 1);
    if (dfs.verdict != Verdict::kClean) {
      EXPECT_NE(bounded.verdict, Verdict::kClean) << pair.bug;
      found_by_both += bounded.verdict != Verdict::kClean ? 1 : 0;
    }
    EXPECT_TRUE(bug.Expects(bounded.verdict)) << pair.bug << ": " << VerdictName(bounded.verdict);
    const ExploreResult twin_dfs = MustExplore(Builtin(pair.twin), "dfs", 1);
    const ExploreResult twin = MustExplore(Builtin(pair.twin), "dpor", 1);
    EXPECT_EQ(twin.verdict, Verdict::kClean) << pair.twin;
    EXPECT_TRUE(twin.exhausted) << pair.twin;
    EXPECT_LE(twin.executions, twin_dfs.executions) << pair.twin;
  }
  EXPECT_GE(found_by_both, 1) << "dfs at bound 1 finds some classic bug";
}

TEST(Dpor, APreemptionBoundLimitsTheSearch) {
  const ExploreResult unbounded = MustExplore(Builtin("sim.counter"), "dpor");
  const ExploreResult none = MustExplore(Builtin("sim.counter"), "dpor", 0);
  const ExploreResult one = MustExplore(Builtin("sim.counter"), "dpor", 1);
  EXPECT_TRUE(none.exhausted);
  EXPECT_TRUE(one.exhausted);
  EXPECT_LE(none.executions, one.executions);
  EXPECT_LE(one.executions, unbounded.executions);
  EXPECT_LT(none.executions, unbounded.executions);
}

}  // namespace
}  // namespace wvsim::sim
