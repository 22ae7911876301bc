// PCT's guarantee, measured: a bug of depth d among n threads and k steps is found with
// probability at least 1/(n·k^(d-1)) per run (Burckhardt et al., ASPLOS 2010), on the kernel
// scenarios sim.ordering_depth_{1,2,3}. Random walks are measured beside it.
#include <cmath>
#include <cstdio>

#include "gtest/gtest.h"
#include "model/builtin_scenarios.h"
#include "sim/runner.h"
#include "sim/strategies/pct.h"
#include "sim/strategies/random.h"

namespace wvsim::sim {
namespace {

constexpr int kRuns = 20'000;
constexpr double kThreads = 2;

struct Measured {
  double hit_rate;
  uint64_t steps_max;  // k: the longest run
};

Measured Measure(const char* id, Strategy& strategy) {
  model::RegisterBuiltinScenarios();
  Runner runner(*ScenarioRegistry::Global().Find(id), ParamValues{});
  int hits = 0;
  uint64_t steps_max = 0;
  for (int i = 0; i < kRuns; ++i) {
    strategy.BeginExecution(i);
    const RunOutcome outcome = runner.Run(strategy, /*traced=*/false);
    steps_max = std::max(steps_max, outcome.steps);
    if (outcome.violation.kind == Verdict::kAssertion) ++hits;
  }
  return {static_cast<double>(hits) / kRuns, steps_max};
}

class PctEfficacy : public ::testing::TestWithParam<int> {};

TEST_P(PctEfficacy, FindsTheDepthDOrderingAtLeastAsOftenAsTheBoundSays) {
  const int depth = GetParam();
  const std::string id = "sim.ordering_depth_" + std::to_string(depth);
  // k = 18: two threads of a start step and 8 numbered steps each.
  PctStrategy pct(/*seed=*/depth, depth, /*steps_hint=*/18);
  const Measured measured = Measure(id.c_str(), pct);
  const double bound =
      1.0 / (kThreads * std::pow(static_cast<double>(measured.steps_max), depth - 1));
  RandomStrategy random(depth);
  const Measured random_walk = Measure(id.c_str(), random);
  std::printf("%s: k=%llu, PCT(d=%d) %.4f per run (bound %.4f), random %.4f\n", id.c_str(),
              static_cast<unsigned long long>(measured.steps_max), depth, measured.hit_rate, bound,
              random_walk.hit_rate);
  // The bound is a probability; over kRuns runs the measured rate may fall short of it by
  // sampling noise alone. Four standard deviations keep a correct PCT from failing here (about
  // once in 30,000 suites) while a PCT that misplaced its change points would fail by far.
  const double sigma = std::sqrt(bound * (1 - bound) / kRuns);
  EXPECT_GE(measured.hit_rate, bound - 4 * sigma);
}

INSTANTIATE_TEST_SUITE_P(Depths, PctEfficacy, ::testing::Values(1, 2, 3));

}  // namespace
}  // namespace wvsim::sim
