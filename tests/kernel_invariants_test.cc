// WVSIM_ASSERT and the kernel's deep self-check (Kernel::CheckInvariants).
#include <string>

#include "gtest/gtest.h"
#include "model/builtin_scenarios.h"
#include "sim/assert.h"
#include "sim/runner.h"
#include "sim/scenario.h"
#include "sim/strategies/random.h"

namespace wvsim::sim {
namespace {

TEST(Assert, AFailedAssertionAbortsNamingTheConditionAndTheMessage) {
  const int size = 2;
  EXPECT_DEATH(WVSIM_ASSERT_MSG(size < 2, "index inside the queue"),
               "wvsim: internal error: assertion 'size < 2' failed at .*kernel_invariants_test.cc:"
               "[0-9]+: index inside the queue");
  EXPECT_DEATH(WVSIM_ASSERT(size == 3), "assertion 'size == 3' failed");
  WVSIM_ASSERT(size == 2);  // a contract that holds costs nothing but the check
}

// A random walk that checks every invariant of the kernel before each of its decisions, when no
// thread runs: the self-check sees the kernel at every point a strategy can.
class CheckingStrategy final : public Strategy {
 public:
  CheckingStrategy(const Kernel& kernel, uint64_t seed) : kernel_(kernel), random_(seed) {}
  std::string_view name() const override { return "random"; }
  bool BeginExecution(uint64_t index) override { return random_.BeginExecution(index); }
  uint32_t ChooseThread(const ThreadChoice& choice) override {
    kernel_.CheckInvariants();
    ++checks_;
    return random_.ChooseThread(choice);
  }
  uint32_t Choose(ChoiceKind kind, uint32_t count) override { return random_.Choose(kind, count); }
  uint64_t checks() const { return checks_; }

 private:
  const Kernel& kernel_;
  RandomStrategy random_;
  uint64_t checks_ = 0;
};

TEST(KernelInvariants, HoldAtEveryDecisionOfEveryBuiltInScenario) {
  model::RegisterBuiltinScenarios();
  constexpr int kRunsPerScenario = 25;
  for (const Scenario* scenario : ScenarioRegistry::Global().All()) {
    absl::StatusOr<ParamValues> params = ResolveParams(*scenario, {});
    ASSERT_TRUE(params.ok()) << scenario->id;
    Runner runner(*scenario, *params);
    CheckingStrategy strategy(runner.kernel(), 7);
    for (int run = 0; run < kRunsPerScenario; ++run) {
      strategy.BeginExecution(run);
      const RunOutcome outcome = runner.Run(strategy, /*traced=*/run % 5 == 0);
      EXPECT_TRUE(outcome.configuration_error.empty()) << scenario->id;
    }
    EXPECT_GT(strategy.checks(), 0u) << scenario->id;
  }
}

}  // namespace
}  // namespace wvsim::sim
