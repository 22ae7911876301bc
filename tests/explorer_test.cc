// Tests for sim/explorer: finding the built-in kernel bugs, staying quiet on the clean kernel
// scenarios for 100,000 executions each, reproducible results per seed, disjoint shards,
// keep-going, the nondeterminism check, hooks, and the configuration errors.
#include "sim/explorer.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/builtin_scenarios.h"
#include "sim/runner.h"
#include "test_programs.h"

namespace wvsim::sim {
namespace {

using testing::Body;
using ::testing::HasSubstr;

const Scenario& Builtin(std::string_view id) {
  model::RegisterBuiltinScenarios();
  const Scenario* scenario = ScenarioRegistry::Global().Find(id);
  if (scenario == nullptr) {
    ADD_FAILURE() << "no scenario " << id;
    static const Scenario empty;
    return empty;
  }
  return *scenario;
}

ExploreResult MustExplore(const Scenario& scenario, const ExploreConfig& config,
                          const ExploreHooks& hooks = {}) {
  absl::StatusOr<ExploreResult> result = Explore(scenario, config, hooks);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : ExploreResult{};
}

ExploreConfig Config(std::string strategy, uint64_t iterations, uint64_t seed = 0) {
  ExploreConfig config;
  config.strategy = std::move(strategy);
  config.iterations = iterations;
  config.seed = seed;
  return config;
}

// ---- Clean scenarios stay quiet.

class CleanScenario : public ::testing::TestWithParam<const char*> {};

TEST_P(CleanScenario, Explore_HundredThousandExecutionsFindNothing) {
  const Scenario& scenario = Builtin(GetParam());
  ASSERT_TRUE(scenario.Expects(Verdict::kClean));
  const ExploreResult result = MustExplore(scenario, Config("random", 100'000, 1));
  EXPECT_EQ(result.verdict, Verdict::kClean)
      << (result.found.empty() ? "" : result.found[0].violation.report);
  EXPECT_TRUE(result.found.empty());
  EXPECT_EQ(result.executions, 100'000u);
  EXPECT_FALSE(result.stopped);
  EXPECT_FALSE(result.exhausted);
}

INSTANTIATE_TEST_SUITE_P(Explorer, CleanScenario,
                         ::testing::Values("sim.counter", "sim.ops", "sim.awaiting_on_own_pump",
                                           "sim.nested_loop_dispatch", "sim.await_in_handler"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == '.') c = '_';
                           }
                           return name;
                         });

TEST(Explorer, Clean_EveryStrategyIsQuietOnTheCleanScenarios) {
  for (const char* id : {"sim.counter", "sim.ops", "sim.awaiting_on_own_pump",
                         "sim.nested_loop_dispatch", "sim.await_in_handler"}) {
    for (const char* strategy : {"pct", "portfolio", "dfs"}) {
      const ExploreResult result = MustExplore(Builtin(id), Config(strategy, 2'000, 3));
      EXPECT_EQ(result.verdict, Verdict::kClean) << id << " under " << strategy;
    }
  }
}

// ---- Buggy scenarios are found.

struct Bug {
  const char* id;
  Verdict verdict;
  const char* report_contains;
};

class BuggyScenario : public ::testing::TestWithParam<std::tuple<Bug, const char*>> {};

TEST_P(BuggyScenario, Explore_FindsTheBugWithAReplayableSchedule) {
  const auto [bug, strategy] = GetParam();
  const Scenario& scenario = Builtin(bug.id);
  ASSERT_TRUE(scenario.Expects(bug.verdict));
  const ExploreResult result = MustExplore(scenario, Config(strategy, 10'000, 7));
  ASSERT_EQ(result.verdict, bug.verdict) << bug.id << " under " << strategy;
  ASSERT_EQ(result.found.size(), 1u);
  const Found& found = result.found[0];
  EXPECT_EQ(found.violation.kind, bug.verdict);
  EXPECT_THAT(found.violation.report, HasSubstr(bug.report_contains));
  EXPECT_TRUE(found.nondeterminism.empty()) << found.nondeterminism;
  EXPECT_EQ(result.executions, found.execution + 1);  // it stops at the first violation

  const Schedule& schedule = found.schedule;
  EXPECT_EQ(schedule.scenario, bug.id);
  EXPECT_EQ(schedule.strategy, strategy);
  EXPECT_EQ(schedule.seed, 7u);
  EXPECT_EQ(schedule.verdict, bug.verdict);
  EXPECT_EQ(schedule.max_steps, 100'000u);
  EXPECT_EQ(schedule.params.at("fault_budget"), "0");
  EXPECT_NE(schedule.trace_hash, 0u);
  ASSERT_FALSE(schedule.decisions.empty());
  EXPECT_FALSE(schedule.decisions[0].label.empty());  // traced: every decision is named

  // The schedule replays to the same run.
  Runner runner(scenario, {{"fault_budget", 0}});
  const RunOutcome replayed = runner.Replay(schedule.decisions, /*lenient=*/false);
  EXPECT_FALSE(replayed.diverged) << replayed.divergence;
  EXPECT_EQ(replayed.violation.kind, bug.verdict);
  EXPECT_EQ(replayed.violation.report, found.violation.report);
  EXPECT_EQ(runner.kernel().TraceHash(), schedule.trace_hash);
  EXPECT_EQ(replayed.steps, schedule.steps);
}

INSTANTIATE_TEST_SUITE_P(
    Explorer, BuggyScenario,
    ::testing::Combine(::testing::Values(Bug{"sim.abba", Verdict::kDeadlock, "wait-for cycle"},
                                         Bug{"sim.blocking_wait_on_own_pump", Verdict::kDeadlock,
                                             "blocked"},
                                         Bug{"sim.message_to_finished_thread", Verdict::kStall,
                                             "which has finished"}),
                       ::testing::Values("random", "pct", "portfolio", "dfs")),
    [](const ::testing::TestParamInfo<std::tuple<Bug, const char*>>& info) {
      std::string name = absl::StrCat(std::get<0>(info.param).id, "_", std::get<1>(info.param));
      for (char& c : name) {
        if (c == '.') c = '_';
      }
      return name;
    });

TEST(Explorer, Abba_DeadlockReportNamesBothThreadsAndTheCycle) {
  const ExploreResult result = MustExplore(Builtin("sim.abba"), Config("random", 1'000));
  ASSERT_EQ(result.verdict, Verdict::kDeadlock);
  const std::string& report = result.found[0].violation.report;
  EXPECT_THAT(report, HasSubstr("thread t1 is blocked in lock(b)"));
  EXPECT_THAT(report, HasSubstr("thread t2 is blocked in lock(a)"));
  EXPECT_THAT(report, HasSubstr("wait-for cycle: t1 -> t2 -> t1"));
  EXPECT_LT(result.executions, 100u);  // the peers find it within tens of iterations
}

TEST(Explorer, Builtins_EveryScenarioEndsWithAnExpectedVerdict) {
  model::RegisterBuiltinScenarios();
  for (const Scenario* scenario : ScenarioRegistry::Global().All()) {
    if (scenario->runtime() != "sim") continue;
    const ExploreResult result = MustExplore(*scenario, Config("portfolio", 3'000, 11));
    EXPECT_TRUE(scenario->Expects(result.verdict))
        << scenario->id << " ended " << VerdictName(result.verdict);
  }
}

// ---- Determinism of a campaign.

TEST(Explorer, Seed_TheSameSeedGivesIdenticalFoundSchedules) {
  for (const char* strategy : {"random", "pct", "portfolio"}) {
    ExploreConfig config = Config(strategy, 10'000, 12345);
    config.keep_going = true;
    const ExploreResult first = MustExplore(Builtin("sim.abba"), config);
    const ExploreResult second = MustExplore(Builtin("sim.abba"), config);
    ASSERT_FALSE(first.found.empty()) << strategy;
    ASSERT_EQ(first.found.size(), second.found.size());
    EXPECT_EQ(first.executions, second.executions);
    for (size_t i = 0; i < first.found.size(); ++i) {
      EXPECT_EQ(first.found[i].execution, second.found[i].execution) << strategy;
      EXPECT_EQ(first.found[i].schedule.decisions, second.found[i].schedule.decisions) << strategy;
      EXPECT_EQ(first.found[i].schedule.trace_hash, second.found[i].schedule.trace_hash);
      EXPECT_EQ(first.found[i].schedule, second.found[i].schedule);
    }
  }
}

// Fails every run at a place named after a random value, so every run is a distinct violation
// and the Found list shows exactly which executions ran and what they chose.
Scenario ValuePlaceScenario() {
  return testing::MakeScenario(
      [](Kernel& k) {
        k.Spawn("t", Body([&k]() -> Task<> {
                  const uint32_t value = k.Choose(ChoiceKind::kValue, 1u << 30, "value");
                  co_await k.Abort(Verdict::kAssertion, absl::StrCat("value ", value), "chosen");
                }));
      },
      {Verdict::kAssertion}, "test.value_place");
}

TEST(Explorer, Shard_SharesAreDisjointAndTogetherMakeTheWhole) {
  const Scenario scenario = ValuePlaceScenario();
  ExploreConfig whole_config = Config("random", 100, 99);
  whole_config.keep_going = true;
  const ExploreResult whole = MustExplore(scenario, whole_config);
  ASSERT_EQ(whole.found.size(), 100u);
  std::map<uint64_t, const Found*> by_execution;
  for (const Found& found : whole.found) by_execution[found.execution] = &found;

  std::set<uint64_t> seen;
  for (uint32_t shard = 0; shard < 2; ++shard) {
    ExploreConfig config = whole_config;
    config.iterations = 50;
    config.shard_index = shard;
    config.shard_count = 2;
    const ExploreResult part = MustExplore(scenario, config);
    ASSERT_EQ(part.found.size(), 50u);
    for (const Found& found : part.found) {
      EXPECT_EQ(found.execution % 2, shard);
      EXPECT_TRUE(seen.insert(found.execution).second)
          << "execution " << found.execution << " twice";
      ASSERT_EQ(by_execution.count(found.execution), 1u);
      // Run i is the same run wherever it executes.
      EXPECT_EQ(found.schedule.decisions, by_execution[found.execution]->schedule.decisions);
      EXPECT_EQ(found.violation.place, by_execution[found.execution]->violation.place);
    }
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Explorer, Shard_BuiltinShardsFindDifferentExecutions) {
  std::set<uint64_t> executions;
  for (uint32_t shard = 0; shard < 2; ++shard) {
    ExploreConfig config = Config("random", 1'000, 5);
    config.shard_index = shard;
    config.shard_count = 2;
    const ExploreResult result = MustExplore(Builtin("sim.abba"), config);
    ASSERT_EQ(result.verdict, Verdict::kDeadlock);
    EXPECT_EQ(result.found[0].execution % 2, shard);
    executions.insert(result.found[0].execution);
  }
  EXPECT_EQ(executions.size(), 2u);
}

// ---- keep_going.

Scenario ThreeBugsScenario() {
  return testing::MakeScenario(
      [](Kernel& k) {
        k.Spawn("t", Body([&k]() -> Task<> {
                  const uint32_t which = k.Choose(ChoiceKind::kValue, 4, "which");
                  if (which == 0) co_await k.Abort(Verdict::kAssertion, "p0", "first");
                  if (which == 1) co_await k.Abort(Verdict::kAssertion, "p1", "second");
                  if (which == 2) co_await k.Abort(Verdict::kStall, "p0", "third");
                }));
      },
      {Verdict::kClean}, "test.three_bugs");
}

TEST(Explorer, KeepGoing_KeepsOneSchedulePerDistinctKindAndPlace) {
  const Scenario scenario = ThreeBugsScenario();
  ExploreConfig config = Config("random", 500, 2);
  config.keep_going = true;
  std::vector<std::string> hooked;
  ExploreHooks hooks;
  hooks.found = [&](const Found& found) {
    hooked.push_back(absl::StrCat(VerdictName(found.violation.kind), "@", found.violation.place));
  };
  const ExploreResult result = MustExplore(scenario, config, hooks);
  EXPECT_EQ(result.executions, 500u);
  ASSERT_EQ(result.found.size(), 3u);
  std::set<std::pair<Verdict, std::string>> distinct;
  for (const Found& found : result.found) {
    distinct.insert({found.violation.kind, found.violation.place});
    EXPECT_EQ(found.schedule.verdict, found.violation.kind);
  }
  EXPECT_EQ(distinct.size(), 3u);
  EXPECT_EQ(hooked.size(), 3u);
  EXPECT_EQ(result.verdict, result.found[0].violation.kind);

  config.keep_going = false;
  const ExploreResult first_only = MustExplore(scenario, config);
  ASSERT_EQ(first_only.found.size(), 1u);
  EXPECT_EQ(first_only.executions, first_only.found[0].execution + 1);
  EXPECT_EQ(first_only.found[0].execution, result.found[0].execution);
}

// ---- The nondeterminism check.

TEST(Explorer, Nondeterminism_AScenarioThatChangesBetweenRunsIsReported) {
  auto runs = std::make_shared<int>(0);
  const Scenario scenario = testing::MakeScenario(
      [runs](Kernel& k) {
        // Reads state outside the run: fails on odd runs only, so the traced re-run is clean.
        const bool fail = ++*runs % 2 == 1;
        k.Spawn("t", Body([&k, fail]() -> Task<> {
                  if (fail) co_await k.Abort(Verdict::kAssertion, "odd", "odd run");
                }));
      },
      {Verdict::kClean}, "test.flaky");
  const ExploreResult result = MustExplore(scenario, Config("random", 10));
  ASSERT_EQ(result.found.size(), 1u);
  EXPECT_EQ(result.found[0].violation.kind, Verdict::kAssertion);
  EXPECT_THAT(result.found[0].nondeterminism, HasSubstr("nondeterministic"));
  EXPECT_THAT(result.found[0].nondeterminism, HasSubstr("execution 0"));
}

// ---- Hooks, limits, parameters.

TEST(Explorer, Hooks_ShouldStopEndsTheCampaignAndProgressIsReported) {
  int polls = 0;
  std::vector<uint64_t> progress;
  ExploreHooks hooks;
  hooks.should_stop = [&] { return ++polls > 2; };
  hooks.progress = [&](uint64_t executions, size_t violations) {
    progress.push_back(executions);
    EXPECT_EQ(violations, 0u);
  };
  const ExploreResult result = MustExplore(Builtin("sim.counter"), Config("random", 10'000), hooks);
  EXPECT_TRUE(result.stopped);
  EXPECT_EQ(result.executions, 128u);  // polled every 64 runs: stops at the third poll
  EXPECT_EQ(progress, (std::vector<uint64_t>{0, 64}));
  EXPECT_EQ(result.verdict, Verdict::kClean);
}

TEST(Explorer, Limits_MaxStepsBoundsEachRun) {
  const Scenario spinner = testing::MakeScenario(
      [](Kernel& k) {
        k.Spawn("spinner", Body([&k]() -> Task<> {
                  for (;;) co_await k.Yield();
                }));
      },
      {Verdict::kStall}, "test.spinner");
  ExploreConfig config = Config("random", 10);
  config.max_steps = 500;
  const ExploreResult result = MustExplore(spinner, config);
  ASSERT_EQ(result.verdict, Verdict::kStall);
  EXPECT_EQ(result.found[0].violation.place, "steps_max");
  EXPECT_EQ(result.found[0].schedule.steps, 500u);
  EXPECT_EQ(result.found[0].schedule.max_steps, 500u);
}

TEST(Explorer, Params_OverridesReachTheScenarioAndTheSchedule) {
  std::vector<int64_t> seen;
  Scenario scenario = testing::MakeScenario(
      [&seen](Kernel& k) {
        const int64_t n = k.Param("n");
        seen.push_back(n);
        k.Spawn("t", Body([&k, n]() -> Task<> {
                  if (n == 5) co_await k.Abort(Verdict::kAssertion, "n", "n is 5");
                }));
      },
      {Verdict::kClean}, "test.params");
  scenario.params.push_back({"n", 1, "a number"});
  ExploreConfig config = Config("random", 3);
  config.params = {{"n", "5"}};
  const ExploreResult result = MustExplore(scenario, config);
  ASSERT_EQ(result.verdict, Verdict::kAssertion);
  EXPECT_EQ(result.found[0].schedule.params.at("n"), "5");
  EXPECT_EQ(seen.front(), 5);

  config.params.clear();
  seen.clear();
  const ExploreResult defaults = MustExplore(scenario, config);
  EXPECT_EQ(defaults.verdict, Verdict::kClean);
  EXPECT_EQ(defaults.executions, 3u);
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 1, 1}));
}

TEST(Explorer, Dfs_ExhaustsASmallScenario) {
  const ExploreResult result = MustExplore(Builtin("sim.counter"), Config("dfs", 1'000'000));
  EXPECT_TRUE(result.exhausted);
  EXPECT_EQ(result.verdict, Verdict::kClean);
  EXPECT_GT(result.executions, 10u);
  EXPECT_LT(result.executions, 1'000'000u);
}

// ---- Configuration errors.

TEST(Explorer, Errors_DfsCannotBeSharded) {
  ExploreConfig config = Config("dfs", 10);
  config.shard_index = 1;
  config.shard_count = 2;
  const absl::StatusOr<ExploreResult> result = Explore(Builtin("sim.counter"), config);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("dfs"));
}

TEST(Explorer, Errors_IterativeBoundingCannotBeShardedEither) {
  for (const char* name : {"ipb", "idb"}) {
    ExploreConfig config = Config(name, 10);
    config.shard_count = 2;
    const absl::StatusOr<ExploreResult> result = Explore(Builtin("sim.counter"), config);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_THAT(std::string(result.status().message()), HasSubstr(name));
  }
}

TEST(Explorer, Ipb_FindsTheDepthOneOrderingWithoutPreemptingFirst) {
  // sim.ordering_depth_1 fails when b starts first: a schedule with no preemption at all, which
  // ipb's bound 0 reaches at once while dfs at bound 2 first walks a's preempted schedules.
  const ExploreResult ipb = MustExplore(Builtin("sim.ordering_depth_1"), Config("ipb", 10'000));
  const ExploreResult dfs = MustExplore(Builtin("sim.ordering_depth_1"), Config("dfs", 10'000));
  EXPECT_EQ(ipb.verdict, Verdict::kAssertion);
  EXPECT_EQ(dfs.verdict, Verdict::kAssertion);
  EXPECT_LE(ipb.executions, 2u);
  EXPECT_LT(ipb.executions, dfs.executions);
  ASSERT_EQ(ipb.found.size(), 1u);
  EXPECT_EQ(ipb.found[0].schedule.preemptions, 0u);
  EXPECT_EQ(ipb.found[0].schedule.strategy, "ipb");
}

TEST(Explorer, Ipb_CountsEachScheduleOnceAndItsRevisitsApart) {
  // sim.counter's whole tree: ipb and idb reach the same schedules as an unbounded dfs, each
  // counted once; what they ran again on the way is in `revisits`.
  const ExploreResult dfs = MustExplore(Builtin("sim.counter"), [] {
    ExploreConfig config = Config("dfs", 1'000'000);
    config.depth = 64;
    return config;
  }());
  for (const char* name : {"ipb", "idb"}) {
    const ExploreResult walk = MustExplore(Builtin("sim.counter"), Config(name, 1'000'000));
    EXPECT_TRUE(walk.exhausted) << name;
    EXPECT_EQ(walk.executions, dfs.executions) << name;
    EXPECT_GT(walk.revisits, 0u) << name;
  }
}

TEST(Explorer, ClassicBugs_FoundAndTheirTwinsProvenCleanByIpb) {
  const std::pair<const char*, const char*> pairs[] = {
      {"sim.condvar_if_wait", "sim.condvar_while_wait"},
      {"sim.lost_wakeup", "sim.wakeup_under_lock"},
      {"sim.lost_update", "sim.lost_update_atomic"},
  };
  for (const auto& [buggy, clean] : pairs) {
    const Scenario& bug = Builtin(buggy);
    const ExploreResult found = MustExplore(bug, Config("ipb", 100'000));
    EXPECT_TRUE(bug.Expects(found.verdict)) << buggy << ": " << VerdictName(found.verdict);
    EXPECT_NE(found.verdict, Verdict::kClean) << buggy;
    const ExploreResult proven = MustExplore(Builtin(clean), Config("ipb", 100'000));
    EXPECT_EQ(proven.verdict, Verdict::kClean) << clean;
    EXPECT_TRUE(proven.exhausted) << clean;
  }
}

TEST(Explorer, ClassicBugs_SpuriousWakeupsBreakIfButNotWhile) {
  ExploreConfig config = Config("random", 2'000);
  config.params["spurious_wakeups"] = "1";
  EXPECT_EQ(MustExplore(Builtin("sim.condvar_while_wait"), config).verdict, Verdict::kClean);
  // One consumer suffices under spurious wake-ups; with them off the `if` needs two.
  EXPECT_EQ(MustExplore(Builtin("sim.condvar_if_wait"), config).verdict, Verdict::kAssertion);
}

TEST(Explorer, KeepGoing_OneWaitForCycleIsOnePlace) {
  // sim.abba's two lock orders deadlock in one cycle, t1 -> t2; found from either side it is
  // the same place, so --keep-going keeps one schedule for it.
  ExploreConfig config = Config("dfs", 100'000);
  config.keep_going = true;
  const ExploreResult result = MustExplore(Builtin("sim.abba"), config);
  ASSERT_EQ(result.found.size(), 1u);
  EXPECT_THAT(result.found[0].violation.place, HasSubstr(", cycle t1 lock(b) -> t2 lock(a)"));
}

TEST(Explorer, Errors_UnknownStrategy) {
  const absl::StatusOr<ExploreResult> result =
      Explore(Builtin("sim.counter"), Config("greedy", 10));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("greedy"));
}

TEST(Explorer, Errors_UnknownOrMalformedParam) {
  ExploreConfig config = Config("random", 10);
  config.params = {{"no_such_param", "1"}};
  const absl::StatusOr<ExploreResult> unknown = Explore(Builtin("sim.counter"), config);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unknown.status().message()), HasSubstr("no_such_param"));

  config.params = {{"fault_budget", "lots"}};
  const absl::StatusOr<ExploreResult> malformed = Explore(Builtin("sim.counter"), config);
  EXPECT_EQ(malformed.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Explorer, Errors_ParamOutsideItsRangeNamesTheRange) {
  ExploreConfig config = Config("random", 10);
  for (const char* budget : {"-1", "17", "1000000000000", "99999999999999999999"}) {
    config.params = {{"fault_budget", budget}};
    const absl::StatusOr<ExploreResult> result = Explore(Builtin("sim.counter"), config);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << budget;
    EXPECT_THAT(std::string(result.status().message()),
                HasSubstr(absl::StrCat("parameter fault_budget of scenario sim.counter: '", budget,
                                       "' is ")));
    EXPECT_THAT(std::string(result.status().message()), HasSubstr("range, 0 to 16")) << budget;
  }
  config.params = {{"fault_budget", "16"}};
  EXPECT_TRUE(ValidateExploreConfig(Builtin("sim.counter"), config).ok());
  // An int64 that the model would truncate to an int is refused before the model sees it.
  config.params = {{"target_sdk", "-2147483649"}};
  const absl::Status sdk =
      ValidateExploreConfig(Builtin("android.call_from_background_thread"), config);
  EXPECT_THAT(std::string(sdk.message()), HasSubstr("target_sdk"));
  EXPECT_THAT(std::string(sdk.message()), HasSubstr("range, 1 to 36"));
}

TEST(Explorer, Errors_RegistryRefusesADefaultOutsideItsRange) {
  Scenario scenario = testing::MakeScenario([](Kernel&) {}, {Verdict::kClean}, "test.bad_range");
  scenario.params.push_back({"n", 5, "a number", 0, 3});
  ScenarioRegistry registry;
  const absl::Status added = registry.Add(scenario);
  EXPECT_EQ(added.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(added.message()), HasSubstr("default 5 is outside its range, 0 to 3"));
  scenario.params.back().default_value = 3;
  EXPECT_TRUE(registry.Add(scenario).ok());
}

// A family's id shares the scenarios' name space: neither may take the other's id, and a family
// builds its scenario from the payload it is given.
TEST(Explorer, Registry_FamiliesShareTheIdSpaceAndBuildFromThePayload) {
  ScenarioRegistry registry;
  ASSERT_TRUE(
      registry.Add(testing::MakeScenario([](Kernel&) {}, {Verdict::kClean}, "test.taken")).ok());
  const auto build = [](const std::vector<std::string>& payload) -> absl::StatusOr<Scenario> {
    if (payload.size() != 1) return absl::InvalidArgumentError("one line, please");
    return testing::MakeScenario([](Kernel&) {}, {Verdict::kClean}, "test.family");
  };
  EXPECT_EQ(registry.AddFamily({.id = "test.taken", .build = build}).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(registry.AddFamily({.id = "Bad Id", .build = build}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddFamily({.id = "test.family", .build = {}}).code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(registry.AddFamily({.id = "test.family", .build = build}).ok());
  EXPECT_EQ(
      registry.Add(testing::MakeScenario([](Kernel&) {}, {Verdict::kClean}, "test.family")).code(),
      absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(registry.Find("test.family"), nullptr);
  const ScenarioFamily* family = registry.FindFamily("test.family");
  ASSERT_NE(family, nullptr);
  EXPECT_EQ(family->build({"a"})->id, "test.family");
  EXPECT_EQ(family->build({}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.FindFamily("test.taken"), nullptr);
}

TEST(Explorer, ConfigurationErrorStopsTheCampaignNamingScenarioAndParams) {
  // More threads than the kernel allows: the run stops at the limit, and so does the campaign.
  const Scenario scenario = testing::MakeScenario(
      [](Kernel& k) {
        for (int i = 0; i < 70; ++i) k.Spawn("t", Body([]() -> Task<> { co_return; }));
      },
      {Verdict::kClean}, "test.many_threads");
  const ExploreResult result = MustExplore(scenario, Config("random", 100));
  EXPECT_EQ(result.executions, 1u);
  EXPECT_THAT(result.configuration_error,
              HasSubstr("test.many_threads with fault_budget=0, execution 0: thread limit"));
  EXPECT_TRUE(result.found.empty());
}

TEST(Explorer, Errors_ShardOutOfRange) {
  for (auto [index, count] : {std::pair{2u, 2u}, std::pair{0u, 0u}}) {
    ExploreConfig config = Config("random", 10);
    config.shard_index = index;
    config.shard_count = count;
    EXPECT_EQ(Explore(Builtin("sim.counter"), config).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace wvsim::sim
