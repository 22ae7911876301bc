// PCT's guarantee, measured: a bug of depth d among n threads and k steps is found with
// probability at least 1/(n·k^(d-1)) per run (Burckhardt et al., ASPLOS 2010), on the kernel
// scenarios sim.ordering_depth_{1,2,3}, with PCT estimating k from the runs it has seen (no
// hint). Random walks are measured beside it.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gtest/gtest.h"
#include "model/builtin_scenarios.h"
#include "sim/runner.h"
#include "sim/strategies/pct.h"
#include "sim/strategies/random.h"

namespace wvsim::sim {
namespace {

constexpr double kThreads = 2;

struct Measured {
  double hit_rate;
  uint64_t steps_max;  // k: the longest run
};

Measured Measure(const char* id, int64_t steps_per_thread, Strategy& strategy, int runs) {
  model::RegisterBuiltinScenarios();
  Runner runner(*ScenarioRegistry::Global().Find(id),
                ParamValues{{"steps_per_thread", steps_per_thread}});
  int hits = 0;
  uint64_t steps_max = 0;
  for (int i = 0; i < runs; ++i) {
    strategy.BeginExecution(i);
    const RunOutcome outcome = runner.Run(strategy, /*traced=*/false);
    steps_max = std::max(steps_max, outcome.steps);
    if (outcome.violation.kind == Verdict::kAssertion) ++hits;
  }
  return {static_cast<double>(hits) / runs, steps_max};
}

// (depth, numbered steps per thread): a run takes k = 2 * (steps + 1) steps (each thread's start
// and its numbered steps), so 4, 9 and 19 give programs of 10, 20 and 40 steps.
class PctEfficacy : public ::testing::TestWithParam<std::pair<int, int64_t>> {};

TEST_P(PctEfficacy, FindsTheDepthDOrderingAtLeastAsOftenAsTheBoundSays) {
  const auto [depth, steps_per_thread] = GetParam();
  const std::string id = "sim.ordering_depth_" + std::to_string(depth);
  const double k = 2.0 * static_cast<double>(steps_per_thread + 1);
  const double bound = 1.0 / (kThreads * std::pow(k, depth - 1));
  // Enough runs that the bound itself means 400 expected hits (at least 20,000).
  const int runs = std::max(20'000, static_cast<int>(400 / bound));
  PctStrategy pct(/*seed=*/depth, depth);  // no hint: k from the runs seen
  const Measured measured = Measure(id.c_str(), steps_per_thread, pct, runs);
  EXPECT_EQ(static_cast<double>(measured.steps_max), k);
  EXPECT_EQ(static_cast<double>(pct.steps_estimate()), k);
  RandomStrategy random(depth);
  const Measured random_walk = Measure(id.c_str(), steps_per_thread, random, 20'000);
  std::printf("%s, k=%.0f: PCT(d=%d) %.5f per run over %d runs (bound %.5f, %.2fx), random %.5f\n",
              id.c_str(), k, depth, measured.hit_rate, runs, bound, measured.hit_rate / bound,
              random_walk.hit_rate);
  // The bound is a probability; over `runs` runs the measured rate may fall short of it by
  // sampling noise alone. Four standard deviations (a fifth of the bound at 400 expected hits)
  // keep a correct PCT from failing here (about once in 30,000 suites), while a PCT that drew
  // its change points from a fixed k = 64 would fall short by 2x to 40x.
  const double sigma = std::sqrt(bound * (1 - bound) / runs);
  EXPECT_GE(measured.hit_rate, bound - 4 * sigma);
}

INSTANTIATE_TEST_SUITE_P(
    Depths, PctEfficacy,
    ::testing::Values(std::pair<int, int64_t>{1, 8}, std::pair<int, int64_t>{2, 4},
                      std::pair<int, int64_t>{2, 9}, std::pair<int, int64_t>{2, 19},
                      std::pair<int, int64_t>{3, 4}, std::pair<int, int64_t>{3, 9},
                      std::pair<int, int64_t>{3, 19}));

}  // namespace
}  // namespace wvsim::sim
