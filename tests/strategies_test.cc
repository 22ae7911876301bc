// Tests for the strategies (sim/strategies/): random walk, PCT, bounded DFS, replay, byte stream,
// portfolio and the factory, plus the PRNG they all draw from.
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sim/prng.h"
#include "sim/strategies/byte_stream.h"
#include "sim/strategies/dfs.h"
#include "sim/strategies/factory.h"
#include "sim/strategies/pct.h"
#include "sim/strategies/portfolio.h"
#include "sim/strategies/random.h"
#include "sim/strategies/replay.h"
#include "sim/sync.h"
#include "test_programs.h"

namespace wvsim::sim {
namespace {

using testing::Body;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::RunProgram;
using testing::RunResult;

// `threads` threads named a, b, c, ..., each taking `steps` steps (its start and steps-1 yields).
std::function<void(Kernel&)> Yielders(int threads, int steps) {
  return [threads, steps](Kernel& k) {
    for (int t = 0; t < threads; ++t) {
      k.Spawn(std::string(1, static_cast<char>('a' + t)), Body([&k, steps]() -> Task<> {
                for (int i = 1; i < steps; ++i) co_await k.Yield();
              }));
    }
  };
}

// The order in which threads took their steps, from a traced run's labels: "abab".
std::string ThreadOrder(const std::vector<Decision>& decisions) {
  std::string order;
  for (const Decision& decision : decisions) {
    if (decision.kind == ChoiceKind::kThread) order += decision.label.substr(0, 1);
  }
  return order;
}

// A decision vector as text ("thread 1/2; value 0/3; ..."), to collect distinct schedules.
std::string DecisionKey(const std::vector<Decision>& decisions) {
  std::string key;
  for (const Decision& decision : decisions) {
    absl::StrAppend(&key, ChoiceKindName(decision.kind), " ", decision.chosen, "/", decision.count,
                    "; ");
  }
  return key;
}

std::vector<uint32_t> Draw(Strategy& strategy, uint64_t index, int count) {
  const EnabledThreads enabled = EnabledThreads::Of({0, 1, 2, 3, 4});
  strategy.BeginExecution(index);
  std::vector<uint32_t> drawn;
  for (int i = 0; i < count; ++i) {
    drawn.push_back(strategy.ChooseThread({enabled, 0, true, static_cast<uint64_t>(i)}));
    drawn.push_back(strategy.Choose(ChoiceKind::kValue, 1000));
  }
  return drawn;
}

// ---- Prng.

TEST(Prng, Next_MatchesTheReferenceXoshiro256StarStar) {
  // Reference values of xoshiro256** seeded through splitmix64 (computed independently).
  Prng zero(0);
  EXPECT_EQ(zero.Next(), 0x99ec5f36cb75f2b4ull);
  EXPECT_EQ(zero.Next(), 0xbf6e1f784956452aull);
  EXPECT_EQ(zero.Next(), 0x1a5f849d4933e6e0ull);
  Prng answer(42);
  EXPECT_EQ(answer.Next(), 0x15780b2e0c2ec716ull);
  EXPECT_EQ(Prng::Derive(0, 0), 0x6e789e6aa1b965f4ull);
  EXPECT_EQ(Prng::Derive(7, 3), 0xa503ef88e857d4c3ull);
}

TEST(Prng, Below_StaysInRangeAndCoversItEvenly) {
  Prng prng(3);
  std::vector<int> histogram(7, 0);
  for (int i = 0; i < 70'000; ++i) {
    const uint32_t value = prng.Below(7);
    ASSERT_LT(value, 7u);
    ++histogram[value];
  }
  for (int count : histogram) {
    EXPECT_GT(count, 9'000);
    EXPECT_LT(count, 11'000);
  }
  EXPECT_EQ(prng.Below(1), 0u);
}

// ---- RandomStrategy.

TEST(RandomStrategy, Decisions_SameSeedAndIndexGiveTheSameDecisions) {
  RandomStrategy first(7);
  RandomStrategy second(7);
  EXPECT_EQ(Draw(first, 3, 100), Draw(second, 3, 100));
  EXPECT_EQ(Draw(first, 3, 100), Draw(first, 3, 100));  // BeginExecution reseeds
}

TEST(RandomStrategy, Decisions_DifferentIndexOrSeedGiveDifferentDecisions) {
  RandomStrategy random(7);
  RandomStrategy other_seed(8);
  const std::vector<uint32_t> base = Draw(random, 3, 100);
  EXPECT_NE(base, Draw(random, 4, 100));
  EXPECT_NE(base, Draw(other_seed, 3, 100));
}

TEST(RandomStrategy, Decisions_CoverEveryOptionAndStayInRange) {
  RandomStrategy random(1);
  const std::vector<uint32_t> drawn = Draw(random, 0, 500);
  std::set<uint32_t> threads;
  for (size_t i = 0; i < drawn.size(); i += 2) {
    ASSERT_LT(drawn[i], 5u);
    ASSERT_LT(drawn[i + 1], 1000u);
    threads.insert(drawn[i]);
  }
  EXPECT_THAT(threads, ElementsAre(0u, 1u, 2u, 3u, 4u));
}

TEST(RandomStrategy, Program_SameSeedSameTraceDifferentIndexDifferentTrace) {
  RandomStrategy a(11);
  RandomStrategy b(11);
  const RunResult first = RunProgram(Yielders(3, 6), a, {}, true, /*index=*/5);
  const RunResult same = RunProgram(Yielders(3, 6), b, {}, true, /*index=*/5);
  const RunResult other = RunProgram(Yielders(3, 6), b, {}, true, /*index=*/6);
  EXPECT_EQ(first.decisions, same.decisions);
  EXPECT_EQ(first.trace_hash, same.trace_hash);
  EXPECT_NE(first.decisions, other.decisions);
  EXPECT_NE(first.trace_hash, other.trace_hash);
}

// A random walk's thread choices are drawn by the kernel itself in untraced runs
// (Strategy::UniformThreadChoices). Behind a wrapper that does not offer its Prng, the kernel asks
// ChooseThread instead. Both must make the same decisions, with the same model choices drawn from
// the same Prng in between: a campaign's fast runs are reproduced by traced re-runs.
TEST(RandomStrategy, Program_InlineDrawsMakeTheDecisionsOfChooseThread) {
  const auto program = [](Kernel& k) {
    Mutex* m = &k.Make<Mutex>(k, "m");
    for (const char* name : {"a", "b", "c"}) {
      k.Spawn(name, Body([&k, m]() -> Task<> {
                co_await k.Yield();
                k.Choose(ChoiceKind::kValue, 3, "v");
                co_await m->Lock();
                co_await k.Yield();
                co_await m->Unlock();
              }));
    }
  };
  for (uint64_t index = 0; index < 50; ++index) {
    RandomStrategy inline_draws(3);
    RandomStrategy chooser(3);
    testing::RecordingStrategy through_chooser(chooser);
    ASSERT_NE(inline_draws.UniformThreadChoices(), nullptr);
    ASSERT_EQ(through_chooser.UniformThreadChoices(), nullptr);
    const RunResult fast = RunProgram(program, inline_draws, {}, /*traced=*/false, index);
    const RunResult slow = RunProgram(program, through_chooser, {}, /*traced=*/false, index);
    EXPECT_FALSE(through_chooser.enabled_sets.empty());
    EXPECT_EQ(fast.decisions, slow.decisions);
    EXPECT_EQ(fast.steps, slow.steps);
    EXPECT_EQ(fast.preemptions, slow.preemptions);
    EXPECT_EQ(fast.violation.kind, slow.violation.kind);
  }
}

// ---- PCT.

TEST(PctStrategy, Changes_ALongRunMakesExactlyDepthMinusOne) {
  for (uint32_t depth : {2u, 3u, 4u, 6u}) {
    for (uint64_t seed = 0; seed < 20; ++seed) {
      PctStrategy pct(seed, depth, /*steps_hint=*/20);
      // 2 x 101 steps, longer than the estimate k = 20: every change point is reached.
      const RunResult result = RunProgram(Yielders(2, 101), pct, {}, false, 0);
      EXPECT_EQ(result.steps, 202u);
      EXPECT_EQ(pct.priority_changes(), depth - 1) << "depth " << depth << " seed " << seed;
      EXPECT_LE(result.preemptions, depth - 1);
      EXPECT_EQ(pct.steps_estimate(), 202u);
      // The next run draws its change points from the longer estimate and still makes d-1.
      RunProgram(Yielders(2, 101), pct, {}, false, 1);
      EXPECT_EQ(pct.priority_changes(), depth - 1);
    }
  }
}

TEST(PctStrategy, Changes_DepthOneMakesNoneAndNeverPreempts) {
  for (uint64_t seed = 0; seed < 20; ++seed) {
    PctStrategy pct(seed, 1, 20);
    const RunResult result = RunProgram(Yielders(3, 30), pct, {}, false, 0);
    EXPECT_EQ(pct.priority_changes(), 0u);
    EXPECT_EQ(result.preemptions, 0u) << "seed " << seed;
  }
}

TEST(PctStrategy, Changes_AShortRunMakesAtMostDepthMinusOne) {
  PctStrategy pct(5, 4, /*steps_hint=*/1000);
  RunProgram(Yielders(2, 3), pct, {}, false, 0);
  EXPECT_LE(pct.priority_changes(), 3u);
  EXPECT_EQ(pct.steps_estimate(), 1000u);  // the estimate never shrinks
}

TEST(PctStrategy, Changes_DepthTwoPreemptsSometimes) {
  int preempted = 0;
  for (uint64_t seed = 0; seed < 40; ++seed) {
    PctStrategy pct(seed, 2, 20);
    const RunResult result = RunProgram(Yielders(2, 30), pct, {}, false, 0);
    EXPECT_LE(result.preemptions, 1u);
    preempted += static_cast<int>(result.preemptions);
  }
  EXPECT_GT(preempted, 20);
}

TEST(PctStrategy, Decisions_SameSeedSameSchedule) {
  PctStrategy a(9, 3, 20);
  PctStrategy b(9, 3, 20);
  const RunResult first = RunProgram(Yielders(3, 10), a, {}, true, 4);
  const RunResult second = RunProgram(Yielders(3, 10), b, {}, true, 4);
  EXPECT_EQ(first.decisions, second.decisions);
  EXPECT_EQ(first.trace_hash, second.trace_hash);
}

TEST(PctStrategy, Decisions_HighestPriorityThreadRunsUntilItBlocks) {
  // Depth 1: one thread runs all its steps, then the next: the order is some permutation of
  // whole threads, and every permutation shows up over enough seeds.
  std::set<std::string> orders;
  for (uint64_t seed = 0; seed < 60; ++seed) {
    PctStrategy pct(seed, 1, 20);
    const RunResult result = RunProgram(Yielders(3, 2), pct, {}, true, 0);
    const std::string order = ThreadOrder(result.decisions);
    ASSERT_EQ(order.size(), 6u);
    EXPECT_TRUE(order[0] == order[1] && order[2] == order[3] && order[4] == order[5]) << order;
    orders.insert(order);
  }
  EXPECT_EQ(orders.size(), 6u);
}

// ---- DFS.

struct DfsCampaign {
  int runs = 0;
  std::vector<std::string> orders;  // thread order of each run, in visiting order
  std::set<std::string> schedules;  // each run's decision vector, as text
  uint64_t max_preemptions = 0;
  bool ended = false;
  std::vector<uint64_t> preemptions;  // of each run, in visiting order
  std::vector<uint32_t> bounds;       // the walk's bound at each run
  int revisits = 0;
  std::set<std::string> revisited;
};

// Walks `dfs` over the program to its end (or `cap` runs). Revisits (ipb and idb passing through
// lower bounds again) are counted apart and otherwise left out, as the explorer leaves them out.
DfsCampaign Walk(const std::function<void(Kernel&)>& setup, DfsStrategy& dfs, int cap = 100'000) {
  const Scenario scenario = testing::MakeScenario(setup);
  Runner runner(scenario, {});
  DfsCampaign campaign;
  for (uint64_t index = 0; campaign.runs < cap; ++index) {
    if (!dfs.BeginExecution(index)) {
      campaign.ended = dfs.exhausted();
      break;
    }
    const RunOutcome outcome = runner.Run(dfs, /*traced=*/true);
    if (dfs.Revisiting()) {
      ++campaign.revisits;
      campaign.revisited.insert(DecisionKey(runner.kernel().Decisions()));
      continue;
    }
    const std::vector<Decision> decisions = runner.kernel().Decisions();
    campaign.orders.push_back(ThreadOrder(decisions));
    campaign.schedules.insert(DecisionKey(decisions));
    campaign.max_preemptions = std::max(campaign.max_preemptions, outcome.preemptions);
    campaign.preemptions.push_back(outcome.preemptions);
    campaign.bounds.push_back(dfs.current_bound());
    ++campaign.runs;
  }
  return campaign;
}

DfsCampaign RunDfs(const std::function<void(Kernel&)>& setup, uint32_t bound, int cap = 100'000) {
  DfsStrategy dfs(bound);
  return Walk(setup, dfs, cap);
}

TEST(DfsStrategy, Unbounded_VisitsEveryScheduleOfTwoByTwoExactlyOnce) {
  const DfsCampaign campaign = RunDfs(Yielders(2, 2), /*bound=*/100);
  EXPECT_TRUE(campaign.ended);
  EXPECT_EQ(campaign.runs, 6);  // C(4,2)
  EXPECT_EQ(campaign.schedules.size(), 6u);
  const std::set<std::string> orders(campaign.orders.begin(), campaign.orders.end());
  EXPECT_THAT(orders, ElementsAre("aabb", "abab", "abba", "baab", "baba", "bbaa"));
}

TEST(DfsStrategy, BoundZero_VisitsOnlyTheNonPreemptiveSchedules) {
  const DfsCampaign campaign = RunDfs(Yielders(2, 2), /*bound=*/0);
  EXPECT_TRUE(campaign.ended);
  EXPECT_EQ(campaign.runs, 2);
  EXPECT_THAT(std::set<std::string>(campaign.orders.begin(), campaign.orders.end()),
              ElementsAre("aabb", "bbaa"));
  EXPECT_EQ(campaign.max_preemptions, 0u);
}

TEST(DfsStrategy, BoundOne_AddsTheSchedulesWithOnePreemption) {
  const DfsCampaign campaign = RunDfs(Yielders(2, 2), /*bound=*/1);
  EXPECT_TRUE(campaign.ended);
  EXPECT_EQ(campaign.runs, 4);
  EXPECT_THAT(std::set<std::string>(campaign.orders.begin(), campaign.orders.end()),
              ElementsAre("aabb", "abba", "baab", "bbaa"));
  EXPECT_EQ(campaign.max_preemptions, 1u);
}

TEST(DfsStrategy, Bounded_EveryScheduleIsDistinctAndWithinTheBound) {
  // Three threads of two steps: 6!/(2!2!2!) = 90 interleavings; of these, 6 have no preemption,
  // 24 at most one, 60 at most two, and all have at most three (counted by brute force).
  const std::pair<uint32_t, size_t> expected[] = {{0, 6}, {1, 24}, {2, 60}, {3, 90}, {100, 90}};
  for (auto [bound, count] : expected) {
    const DfsCampaign campaign = RunDfs(Yielders(3, 2), bound);
    EXPECT_TRUE(campaign.ended) << "bound " << bound;
    EXPECT_EQ(campaign.runs, static_cast<int>(count)) << "bound " << bound;
    EXPECT_EQ(campaign.schedules.size(), count) << "bound " << bound;  // each visited once
    const std::set<std::string> orders(campaign.orders.begin(), campaign.orders.end());
    EXPECT_EQ(orders.size(), count) << "bound " << bound;
    EXPECT_LE(campaign.max_preemptions, bound);
  }
}

TEST(DfsStrategy, Exhausted_BeginExecutionStaysFalseUntilANewCampaign) {
  DfsStrategy dfs(100);
  const Scenario scenario = testing::MakeScenario(Yielders(2, 2));
  Runner runner(scenario, {});
  uint64_t index = 0;
  while (dfs.BeginExecution(index)) {
    runner.Run(dfs, false);
    ++index;
  }
  EXPECT_EQ(index, 6u);
  EXPECT_TRUE(dfs.exhausted());
  EXPECT_FALSE(dfs.BeginExecution(index + 1));
  EXPECT_TRUE(dfs.BeginExecution(0));  // index 0 starts the walk again
  EXPECT_FALSE(dfs.exhausted());
}

TEST(DfsStrategy, Values_NonThreadChoicesAreEnumeratedToo) {
  std::set<std::pair<uint32_t, uint32_t>> pairs;
  uint32_t first = 0;
  uint32_t second = 0;
  const DfsCampaign campaign = RunDfs(
      [&](Kernel& k) {
        k.Spawn("t", Body([&]() -> Task<> {
                  first = k.Choose(ChoiceKind::kValue, 3, "x");
                  second = k.Choose(ChoiceKind::kFault, 2, "y");
                  pairs.insert({first, second});
                  co_return;
                }));
      },
      100);
  EXPECT_EQ(campaign.runs, 6);
  EXPECT_EQ(pairs.size(), 6u);
}

TEST(DfsStrategy, Abba_TheDeadlockNeedsOnePreemption) {
  const auto abba = testing::AbbaProgram;
  for (uint32_t bound : {0u, 1u}) {
    DfsStrategy dfs(bound);
    const Scenario scenario = testing::MakeScenario(abba);
    Runner runner(scenario, {});
    int deadlocks = 0;
    for (uint64_t index = 0; dfs.BeginExecution(index); ++index) {
      if (runner.Run(dfs, false).violation.kind == Verdict::kDeadlock) ++deadlocks;
    }
    if (bound == 0) {
      EXPECT_EQ(deadlocks, 0);
    } else {
      EXPECT_GT(deadlocks, 0);
    }
  }
}

TEST(DfsStrategy, Order_TheRunningThreadGoesOnFirst) {
  // The first schedule preempts nobody; the next one preempts at the deepest decision that
  // allows it (a's last step), and b, now running, goes on to its end before a finishes.
  const DfsCampaign campaign = RunDfs(Yielders(2, 3), /*bound=*/2);
  ASSERT_GE(campaign.orders.size(), 2u);
  EXPECT_EQ(campaign.orders[0], "aaabbb");
  EXPECT_EQ(campaign.preemptions[0], 0u);
  EXPECT_EQ(campaign.orders[1], "aabbba");
  EXPECT_EQ(campaign.preemptions[1], 1u);
}

TEST(DfsStrategy, Order_AbbaDeadlocksWithinTheFirstSixSchedules) {
  // The walk keeps t1 running and moves one preemption up from its last step: the fifth move
  // puts it between t1's two locks, and t2 takes b (schedule 0 runs t1 to its end).
  DfsStrategy dfs(2);
  const Scenario scenario = testing::MakeScenario(testing::AbbaProgram);
  Runner runner(scenario, {});
  uint64_t index = 0;
  for (; dfs.BeginExecution(index); ++index) {
    if (runner.Run(dfs, false).violation.kind == Verdict::kDeadlock) break;
  }
  EXPECT_LE(index, 5u);  // 0-based: the sixth schedule
}

TEST(DfsStrategy, Ipb_VisitsEveryScheduleOnceInOrderOfPreemptions) {
  // Three threads of two steps: 6 schedules with no preemption, 18 with one, 36 with two, 30
  // with three (the counts of Bounded_EveryScheduleIsDistinctAndWithinTheBound, differenced).
  DfsStrategy ipb({.budget = DfsStrategy::Budget::kPreemptions, .bound = 100, .iterative = true});
  EXPECT_EQ(ipb.name(), "ipb");
  const DfsCampaign campaign = Walk(Yielders(3, 2), ipb);
  EXPECT_TRUE(campaign.ended);
  EXPECT_EQ(campaign.runs, 90);
  EXPECT_EQ(campaign.schedules.size(), 90u);
  EXPECT_TRUE(std::is_sorted(campaign.preemptions.begin(), campaign.preemptions.end()));
  std::map<uint64_t, int> per_count;
  for (size_t i = 0; i < campaign.preemptions.size(); ++i) {
    ++per_count[campaign.preemptions[i]];
    EXPECT_EQ(campaign.preemptions[i], campaign.bounds[i]) << "run " << i;
  }
  EXPECT_EQ(per_count, (std::map<uint64_t, int>{{0, 6}, {1, 18}, {2, 36}, {3, 30}}));
  // What it ran again, it had run before; and the last bound (3) cut nothing off: no bound 4.
  for (const std::string& again : campaign.revisited)
    EXPECT_EQ(campaign.schedules.count(again), 1u);
  EXPECT_EQ(campaign.bounds.back(), 3u);
}

TEST(DfsStrategy, Ipb_DepthCapsTheBound) {
  DfsStrategy ipb({.budget = DfsStrategy::Budget::kPreemptions, .bound = 1, .iterative = true});
  const DfsCampaign campaign = Walk(Yielders(3, 2), ipb);
  EXPECT_TRUE(campaign.ended);
  EXPECT_EQ(campaign.runs, 24);  // at most one preemption, as dfs at bound 1
  EXPECT_EQ(campaign.schedules.size(), 24u);
  EXPECT_EQ(campaign.max_preemptions, 1u);
}

TEST(DfsStrategy, Idb_BoundZeroIsTheRoundRobinScheduleAlone) {
  DfsStrategy idb({.budget = DfsStrategy::Budget::kDelays, .bound = 0, .iterative = true});
  EXPECT_EQ(idb.name(), "idb");
  const DfsCampaign campaign = Walk(Yielders(3, 2), idb);
  EXPECT_TRUE(campaign.ended);
  ASSERT_EQ(campaign.runs, 1);
  EXPECT_EQ(campaign.orders[0], "aabbcc");  // each thread to its end, then the next by id
}

TEST(DfsStrategy, Idb_VisitsEveryScheduleOnceByIncreasingDelays) {
  DfsStrategy idb({.budget = DfsStrategy::Budget::kDelays, .bound = 100, .iterative = true});
  const DfsCampaign campaign = Walk(Yielders(3, 2), idb);
  EXPECT_TRUE(campaign.ended);
  EXPECT_EQ(campaign.runs, 90);
  EXPECT_EQ(campaign.schedules.size(), 90u);
  EXPECT_TRUE(std::is_sorted(campaign.bounds.begin(), campaign.bounds.end()));
  // One delay reaches exactly the schedules that skip one thread once: at the first step (b
  // first: "bbccaa"), or a's second step deferred to b ("abbcca") or to c.
  int one_delay = 0;
  for (uint32_t bound : campaign.bounds) one_delay += bound == 1 ? 1 : 0;
  EXPECT_GE(one_delay, 2);
  EXPECT_GT(campaign.revisits, 0);
  for (const std::string& again : campaign.revisited)
    EXPECT_EQ(campaign.schedules.count(again), 1u);
}

TEST(DfsStrategy, Systematic_CannotShard) {
  for (const char* name : {"dfs", "ipb", "idb"}) {
    absl::StatusOr<std::unique_ptr<Strategy>> made = MakeStrategy(name, {});
    ASSERT_TRUE(made.ok()) << name;
    EXPECT_FALSE((*made)->CanShard()) << name;
    EXPECT_EQ((*made)->name(), name);
  }
  for (const char* name : {"random", "pct", "portfolio"}) {
    EXPECT_TRUE((*MakeStrategy(name, {}))->CanShard()) << name;
  }
}

// ---- Replay.

std::function<void(Kernel&)> LockedCounter() {
  return [](Kernel& k) {
    Mutex& m = k.Make<Mutex>(k, "m");
    Shared<int>& n = k.Make<Shared<int>>("n", 0);
    for (const char* name : {"t1", "t2", "t3"}) {
      k.Spawn(name, Body([&]() -> Task<> {
                co_await n.FetchAdd(1);
                co_await m.Lock();
                co_await n.FetchAdd(1);
                co_await m.Unlock();
                (void)k.Choose(ChoiceKind::kValue, 4, "pick");
                co_await k.Yield();
              }));
    }
  };
}

struct Recorded {
  RunResult original;
  Scenario scenario;
};

Recorded Record(uint64_t seed, bool traced) {
  Recorded recorded{{}, testing::MakeScenario(LockedCounter())};
  RandomStrategy random(seed);
  recorded.original = RunProgram(LockedCounter(), random, {}, traced, 0);
  return recorded;
}

TEST(ReplayStrategy, Replay_RecordedDecisionsGiveTheSameTraceHash) {
  for (uint64_t seed = 0; seed < 20; ++seed) {
    Recorded recorded = Record(seed, /*traced=*/true);
    Runner runner(recorded.scenario, {});
    const RunOutcome replayed = runner.Replay(recorded.original.decisions, /*lenient=*/false);
    EXPECT_FALSE(replayed.diverged) << replayed.divergence;
    EXPECT_EQ(runner.kernel().TraceHash(), recorded.original.trace_hash) << "seed " << seed;
    EXPECT_EQ(runner.kernel().Decisions(), recorded.original.decisions);
    EXPECT_EQ(replayed.steps, recorded.original.steps);
  }
}

TEST(ReplayStrategy, Replay_UnlabelledDecisionsReplayToo) {
  Recorded traced = Record(3, /*traced=*/true);
  Recorded untraced = Record(3, /*traced=*/false);
  ASSERT_TRUE(untraced.original.decisions[0].label.empty());
  Runner runner(untraced.scenario, {});
  const RunOutcome replayed = runner.Replay(untraced.original.decisions, /*lenient=*/false);
  EXPECT_FALSE(replayed.diverged) << replayed.divergence;
  EXPECT_EQ(runner.kernel().TraceHash(), traced.original.trace_hash);
}

TEST(ReplayStrategy, Strict_AChangedLabelDivergesNamingTheDecision) {
  Recorded recorded = Record(1, true);
  std::vector<Decision> edited = recorded.original.decisions;
  ASSERT_GT(edited.size(), 5u);
  edited[4].label = "t9 lock(nothing)";
  Runner runner(recorded.scenario, {});
  const RunOutcome replayed = runner.Replay(edited, /*lenient=*/false);
  EXPECT_TRUE(replayed.diverged);
  EXPECT_THAT(replayed.divergence, HasSubstr("decision 4 differs"));
  EXPECT_THAT(replayed.divergence, HasSubstr("t9 lock(nothing)"));
  EXPECT_THAT(replayed.divergence, HasSubstr(recorded.original.decisions[4].label));
  EXPECT_LE(replayed.steps, 5u);  // it stops at the first difference
}

TEST(ReplayStrategy, Strict_AChangedCountOrKindDiverges) {
  Recorded recorded = Record(2, true);
  {
    std::vector<Decision> edited = recorded.original.decisions;
    edited[2].count += 1;
    Runner runner(recorded.scenario, {});
    const RunOutcome replayed = runner.Replay(edited, false);
    EXPECT_TRUE(replayed.diverged);
    EXPECT_THAT(replayed.divergence, HasSubstr("decision 2"));
  }
  {
    std::vector<Decision> edited = recorded.original.decisions;
    edited[1].kind = ChoiceKind::kTimer;
    Runner runner(recorded.scenario, {});
    const RunOutcome replayed = runner.Replay(edited, false);
    EXPECT_TRUE(replayed.diverged);
    EXPECT_THAT(replayed.divergence, HasSubstr("decision 1"));
  }
}

TEST(ReplayStrategy, Strict_ARecordingThatEndsEarlyOrLateDiverges) {
  Recorded recorded = Record(4, true);
  const size_t size = recorded.original.decisions.size();
  {
    std::vector<Decision> shorter(recorded.original.decisions.begin(),
                                  recorded.original.decisions.end() - 3);
    Runner runner(recorded.scenario, {});
    const RunOutcome replayed = runner.Replay(shorter, false);
    EXPECT_TRUE(replayed.diverged);
    EXPECT_THAT(replayed.divergence, HasSubstr(absl::StrCat("decision ", size - 3)));
    EXPECT_THAT(replayed.divergence, HasSubstr("recording ends"));
  }
  {
    std::vector<Decision> longer = recorded.original.decisions;
    longer.push_back(Decision{ChoiceKind::kThread, 0, 1, "t1 yield"});
    Runner runner(recorded.scenario, {});
    const RunOutcome replayed = runner.Replay(longer, false);
    EXPECT_TRUE(replayed.diverged);
    EXPECT_THAT(replayed.divergence, HasSubstr(absl::StrCat("decision ", size)));
    EXPECT_THAT(replayed.divergence, HasSubstr("the run ended"));
  }
}

TEST(ReplayStrategy, Lenient_FollowsTheChoicesByPositionIgnoringLabels) {
  Recorded recorded = Record(5, true);
  std::vector<Decision> edited = recorded.original.decisions;
  for (Decision& decision : edited) decision.label = "edited by hand";
  edited[1].kind = ChoiceKind::kValue;
  Runner runner(recorded.scenario, {});
  const RunOutcome replayed = runner.Replay(edited, /*lenient=*/true);
  EXPECT_FALSE(replayed.diverged) << replayed.divergence;
  EXPECT_EQ(runner.kernel().TraceHash(), recorded.original.trace_hash);

  const RunOutcome strict = runner.Replay(edited, /*lenient=*/false);
  EXPECT_TRUE(strict.diverged);
}

TEST(ReplayStrategy, Replay_AViolatingRunReplaysToTheSameViolation) {
  auto abba = [](Kernel& k) {
    Mutex& a = k.Make<Mutex>(k, "a");
    Mutex& b = k.Make<Mutex>(k, "b");
    k.Spawn("t1", Body([&]() -> Task<> {
              co_await a.Lock();
              co_await k.Yield();
              co_await b.Lock();
              co_await b.Unlock();
              co_await a.Unlock();
            }));
    k.Spawn("t2", Body([&]() -> Task<> {
              co_await b.Lock();
              co_await k.Yield();
              co_await a.Lock();
              co_await a.Unlock();
              co_await b.Unlock();
            }));
  };
  const Scenario scenario = testing::MakeScenario(abba);
  Runner runner(scenario, {});
  RandomStrategy random(0);
  for (uint64_t index = 0; index < 1000; ++index) {
    random.BeginExecution(index);
    const RunOutcome outcome = runner.Run(random, /*traced=*/false);
    if (outcome.violation.kind == Verdict::kClean) continue;
    const std::vector<Decision> decisions = runner.kernel().Decisions();
    const RunOutcome replayed = runner.Replay(decisions, false);
    EXPECT_FALSE(replayed.diverged);
    EXPECT_EQ(replayed.violation.kind, Verdict::kDeadlock);
    EXPECT_EQ(replayed.violation.report, outcome.violation.report);
    return;
  }
  FAIL() << "random walks never found the abba deadlock";
}

TEST(ReplayStrategy, Replay_ChoicesWithASingleOptionKeepTheRecordingAligned) {
  // Kernel::Choose records a one-option choice without asking the strategy; replay must still
  // line the following choices up with the recording.
  std::vector<uint32_t> values;
  const Scenario scenario = testing::MakeScenario([&values](Kernel& k) {
    values.clear();
    k.Spawn("t", Body([&k, &values]() -> Task<> {
              for (int i = 0; i < 4; ++i) {
                values.push_back(k.Choose(ChoiceKind::kValue, 1, "only"));
                values.push_back(k.Choose(ChoiceKind::kValue, 5, "five"));
              }
              co_await k.Yield();
            }));
  });
  Runner runner(scenario, {});
  RandomStrategy random(21);
  random.BeginExecution(0);
  runner.Run(random, /*traced=*/true);
  const std::vector<uint32_t> recorded_values = values;
  const uint64_t hash = runner.kernel().TraceHash();
  const std::vector<Decision> decisions = runner.kernel().Decisions();
  ASSERT_NE(recorded_values, std::vector<uint32_t>(8, 0));

  const RunOutcome strict = runner.Replay(decisions, /*lenient=*/false);
  EXPECT_FALSE(strict.diverged) << strict.divergence;
  EXPECT_EQ(values, recorded_values);
  EXPECT_EQ(runner.kernel().TraceHash(), hash);

  const RunOutcome lenient = runner.Replay(decisions, /*lenient=*/true);
  EXPECT_FALSE(lenient.diverged) << lenient.divergence;
  EXPECT_EQ(values, recorded_values);
}

TEST(ReplayStrategy, BeginExecution_OnlyTheFirstRun) {
  ReplayStrategy replay({}, false);
  EXPECT_TRUE(replay.BeginExecution(0));
  EXPECT_FALSE(replay.BeginExecution(1));
}

// ---- ByteStreamStrategy.

TEST(ByteStreamStrategy, Bytes_AreReducedModuloTheNumberOfOptions) {
  const uint8_t bytes[] = {7, 5, 0xFF};
  ByteStreamStrategy stream(bytes);
  ASSERT_TRUE(stream.BeginExecution(0));
  const EnabledThreads three = EnabledThreads::Of({0, 1, 2});
  EXPECT_EQ(stream.ChooseThread({three, 0, false, 0}), 1u);  // 7 % 3
  EXPECT_EQ(stream.bytes_used(), 1u);
  EXPECT_EQ(stream.Choose(ChoiceKind::kValue, 1), 0u);  // one option reads nothing
  EXPECT_EQ(stream.bytes_used(), 1u);
  const EnabledThreads one = EnabledThreads::Of({4});
  EXPECT_EQ(stream.ChooseThread({one, 4, true, 1}), 0u);
  EXPECT_EQ(stream.bytes_used(), 1u);
  EXPECT_EQ(stream.Choose(ChoiceKind::kTimer, 2), 1u);   // 5 % 2
  EXPECT_EQ(stream.Choose(ChoiceKind::kValue, 10), 5u);  // 255 % 10
  EXPECT_EQ(stream.bytes_used(), 3u);
  EXPECT_EQ(stream.Choose(ChoiceKind::kValue, 10), 0u);  // exhausted: the first option
  EXPECT_EQ(stream.ChooseThread({three, 0, false, 2}), 0u);
}

TEST(ByteStreamStrategy, Bytes_WideCountsReadTwoOrFourBytesBigEndian) {
  const uint8_t bytes[] = {0x01, 0x2D, 0x00, 0x01, 0x11, 0x71, 0x05};
  ByteStreamStrategy stream(bytes);
  stream.BeginExecution(0);
  EXPECT_EQ(stream.Choose(ChoiceKind::kValue, 300), 1u);  // 0x012D = 301
  EXPECT_EQ(stream.bytes_used(), 2u);
  EXPECT_EQ(stream.Choose(ChoiceKind::kValue, 70'000), 0x00011171u % 70'000);
  EXPECT_EQ(stream.bytes_used(), 6u);
  EXPECT_EQ(stream.Choose(ChoiceKind::kValue, 300), 0u);  // a wide read that runs out
}

TEST(ByteStreamStrategy, Empty_InputChoosesTheFirstOptionEverywhere) {
  ByteStreamStrategy empty({});
  const RunResult result = RunProgram(Yielders(3, 4), empty, {}, true, 0);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  for (const Decision& decision : result.decisions) EXPECT_EQ(decision.chosen, 0u);
  EXPECT_EQ(ThreadOrder(result.decisions), "aaaabbbbcccc");
}

TEST(ByteStreamStrategy, BeginExecution_OneRunAndARestartRereadsTheBytes) {
  const uint8_t bytes[] = {1, 1, 1};
  ByteStreamStrategy stream(bytes);
  const RunResult first = RunProgram(Yielders(2, 3), stream, {}, true, 0);
  const RunResult again = RunProgram(Yielders(2, 3), stream, {}, true, 0);
  EXPECT_EQ(first.decisions, again.decisions);
  EXPECT_EQ(ThreadOrder(first.decisions), "bbbaaa");
  EXPECT_FALSE(stream.BeginExecution(1));
}

// ---- PortfolioStrategy and the factory.

// Remembers the indexes it was started with; its thread choice is its own number.
class TaggedStrategy final : public Strategy {
 public:
  TaggedStrategy(uint32_t tag, std::vector<std::pair<uint32_t, uint64_t>>& log, uint64_t limit)
      : tag_(tag), log_(log), limit_(limit) {}
  std::string_view name() const override { return "tagged"; }
  bool BeginExecution(uint64_t index) override {
    log_.push_back({tag_, index});
    return index < limit_;
  }
  uint32_t ChooseThread(const ThreadChoice&) override { return tag_; }
  uint32_t Choose(ChoiceKind, uint32_t) override { return tag_ + 10; }
  void EndExecution(uint64_t steps) override { ended_steps = steps; }
  uint64_t ended_steps = 0;

 private:
  uint32_t tag_;
  std::vector<std::pair<uint32_t, uint64_t>>& log_;
  uint64_t limit_;
};

TEST(PortfolioStrategy, Spread_EveryMemberGetsRunsAndSeesTheRunIndex) {
  std::vector<std::pair<uint32_t, uint64_t>> log;
  std::vector<std::unique_ptr<Strategy>> members;
  for (uint32_t tag = 0; tag < 3; ++tag) {
    members.push_back(std::make_unique<TaggedStrategy>(tag, log, UINT64_MAX));
  }
  std::vector<TaggedStrategy*> tagged;
  for (auto& member : members) tagged.push_back(static_cast<TaggedStrategy*>(member.get()));
  PortfolioStrategy portfolio(std::move(members));
  const EnabledThreads enabled = EnabledThreads::Of({0, 1, 2});
  std::vector<int> runs(3, 0);
  for (uint64_t i = 0; i < 300; ++i) {
    ASSERT_TRUE(portfolio.BeginExecution(i));
    const auto [tag, index] = log.back();
    EXPECT_EQ(index, i);  // the member runs the campaign's run i
    ++runs[tag];
    // Every answer and the end of the run go to the member that runs it.
    EXPECT_EQ(portfolio.ChooseThread({enabled, 0, false, 0}), tag);
    EXPECT_EQ(portfolio.Choose(ChoiceKind::kValue, 100), tag + 10);
    portfolio.EndExecution(i + 1000);
    EXPECT_EQ(tagged[tag]->ended_steps, i + 1000);
  }
  for (int count : runs) {
    EXPECT_GT(count, 60);  // about 100 each
    EXPECT_LT(count, 140);
  }
}

TEST(PortfolioStrategy, Spread_EveryShareOfAShardedCampaignReachesEveryMember) {
  // Shard I of 4 runs I, I+4, I+8, ...: with i mod m, shard I would only ever see member I.
  for (uint64_t shard = 0; shard < 4; ++shard) {
    std::vector<std::pair<uint32_t, uint64_t>> log;
    std::vector<std::unique_ptr<Strategy>> members;
    for (uint32_t tag = 0; tag < 4; ++tag) {
      members.push_back(std::make_unique<TaggedStrategy>(tag, log, UINT64_MAX));
    }
    PortfolioStrategy portfolio(std::move(members));
    std::set<uint32_t> seen;
    for (uint64_t i = 0; i < 100; ++i) {
      ASSERT_TRUE(portfolio.BeginExecution(shard + 4 * i));
      seen.insert(log.back().first);
    }
    EXPECT_EQ(seen.size(), 4u) << "shard " << shard;
  }
}

TEST(PortfolioStrategy, Spread_EndsWhenTheActiveMemberHasNothingLeft) {
  std::vector<std::pair<uint32_t, uint64_t>> log;
  std::vector<std::unique_ptr<Strategy>> members;
  members.push_back(std::make_unique<TaggedStrategy>(0, log, 0));  // has no runs at all
  members.push_back(std::make_unique<TaggedStrategy>(1, log, UINT64_MAX));
  PortfolioStrategy portfolio(std::move(members));
  uint64_t i = 0;
  while (portfolio.BeginExecution(i)) ++i;
  EXPECT_EQ(log.back().first, 0u);  // the campaign ended on member 0's turn
  EXPECT_LT(i, 64u);
}

TEST(PortfolioStrategy, Spread_EachMemberGetsItsWeightsShare) {
  std::vector<std::pair<uint32_t, uint64_t>> log;
  std::vector<PortfolioStrategy::Member> members;
  members.push_back({std::make_unique<TaggedStrategy>(0, log, UINT64_MAX), 1});
  members.push_back({std::make_unique<TaggedStrategy>(1, log, UINT64_MAX), 3});
  PortfolioStrategy portfolio(std::move(members));
  std::vector<int> runs(2, 0);
  for (uint64_t i = 0; i < 800; ++i) {
    ASSERT_TRUE(portfolio.BeginExecution(i));
    ++runs[log.back().first];
  }
  EXPECT_GT(runs[0], 150);  // about 200
  EXPECT_LT(runs[0], 250);
  EXPECT_EQ(runs[0] + runs[1], 800);
}

TEST(PortfolioStrategy, Factory_MixesRandomAndPctByTheMeasuredWeights) {
  absl::StatusOr<std::unique_ptr<Strategy>> made = MakeStrategy("portfolio", {.seed = 3});
  ASSERT_TRUE(made.ok()) << made.status();
  auto& portfolio = static_cast<PortfolioStrategy&>(**made);
  std::map<std::string, int> names;
  for (uint64_t i = 0; i < 600; ++i) {
    ASSERT_TRUE(portfolio.BeginExecution(i));
    ++names[std::string(portfolio.active().name())];
  }
  EXPECT_EQ(names.size(), 2u);
  EXPECT_GT(names["random"], 150);  // a third: about 200
  EXPECT_LT(names["random"], 250);
  EXPECT_GT(names["pct"], 350);  // two thirds, over depths 1 to 3
  EXPECT_EQ(portfolio.name(), "portfolio");
}

TEST(StrategyFactory, Names_BuildEachStrategyAndRejectUnknownOnes) {
  for (const char* name : {"random", "pct", "dfs", "portfolio"}) {
    absl::StatusOr<std::unique_ptr<Strategy>> made = MakeStrategy(name, {});
    ASSERT_TRUE(made.ok()) << name;
    EXPECT_EQ((*made)->name(), name);
  }
  absl::StatusOr<std::unique_ptr<Strategy>> unknown = MakeStrategy("annealing", {});
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unknown.status().message()), HasSubstr("annealing"));
}

TEST(StrategyFactory, Defaults_PctDepthThreeAndDfsBoundTwo) {
  absl::StatusOr<std::unique_ptr<Strategy>> pct =
      MakeStrategy("pct", {.seed = 1, .steps_hint = 10});
  ASSERT_TRUE(pct.ok());
  RunProgram(Yielders(2, 50), **pct, {}, false, 0);
  EXPECT_EQ(static_cast<PctStrategy&>(**pct).priority_changes(), kDefaultPctDepth - 1);

  absl::StatusOr<std::unique_ptr<Strategy>> dfs = MakeStrategy("dfs", {});
  ASSERT_TRUE(dfs.ok());
  const DfsCampaign bounded = RunDfs(Yielders(3, 2), kDefaultPreemptionBound);
  const Scenario scenario = testing::MakeScenario(Yielders(3, 2));
  Runner runner(scenario, {});
  int runs = 0;
  for (uint64_t index = 0; (*dfs)->BeginExecution(index); ++index, ++runs) runner.Run(**dfs, false);
  EXPECT_EQ(runs, bounded.runs);
}

}  // namespace
}  // namespace wvsim::sim
