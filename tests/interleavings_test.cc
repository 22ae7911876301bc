// Issue 15: fault-free WebView2 apps interleave with their page, their browser and their user.
// The counting itself (sim/interleavings.h) on kernel programs whose counts are known, then the
// claim on the clean wv2 scenarios with a smaller budget than make bench's row: at least two
// thirds of them have more than 100 schedules within 3 preemptions without faults, and their UI
// thread dispatches its messages in more than 10 distinct orders.
#include "sim/interleavings.h"

#include <cstdio>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "model/builtin_scenarios.h"
#include "sim/kernel.h"
#include "sim/scenario.h"

namespace wvsim::sim {
namespace {

Task<> Poster(Kernel& k, Thread target, const char* label) {
  // Named first: g++ 12 and temporaries in a co_await'ed call (kernel.h).
  MessageLabel name = MessageLabel::Static(label);
  auto handler = []() -> Task<> { co_return; };
  co_await k.Post(target, std::move(name), std::move(handler));
}

Task<> Loop(Kernel& k) { co_await k.RunMessageLoop(); }

// Two threads each post one message to a third: it dispatches them in either order.
Scenario TwoPosters() {
  return Scenario{.id = "sim.two_posters",
                  .description = "two threads post to one loop",
                  .expected = {Verdict::kClean},
                  .setup = [](Kernel& k) {
                    const Thread loop = k.Spawn("loop", Loop(k), {.message_queue = true});
                    k.Spawn("a", Poster(k, loop, "from a"));
                    k.Spawn("b", Poster(k, loop, "from b"));
                  }};
}

// One thread posts both: one order only.
Task<> PostsTwo(Kernel& k, Thread target) {
  co_await Poster(k, target, "first");
  co_await Poster(k, target, "second");
}

Scenario OnePoster() {
  return Scenario{.id = "sim.one_poster",
                  .description = "one thread posts twice",
                  .expected = {Verdict::kClean},
                  .setup = [](Kernel& k) {
                    const Thread loop = k.Spawn("loop", Loop(k), {.message_queue = true});
                    k.Spawn("a", PostsTwo(k, loop));
                  }};
}

TEST(Interleavings, DispatchOrdersCountTheOrdersTheThreadSaw) {
  EXPECT_EQ(DistinctDispatchOrders(TwoPosters(), {}, "loop", 200), 2u);
  EXPECT_EQ(DistinctDispatchOrders(OnePoster(), {}, "loop", 200), 1u);
  // A thread the run does not have: every run's hash is 0, one "order".
  EXPECT_EQ(DistinctDispatchOrders(OnePoster(), {}, "no such thread", 10), 1u);
}

TEST(Interleavings, DfsSchedulesStopAtTheCapOrRunOut) {
  const ScheduleCount one = DfsSchedules(OnePoster(), {}, 3, 101);
  EXPECT_TRUE(one.exhausted);
  EXPECT_GE(one.schedules, 1u);
  const ScheduleCount capped = DfsSchedules(TwoPosters(), {}, 3, 2);
  EXPECT_FALSE(capped.exhausted);
  EXPECT_EQ(capped.schedules, 2u);
}

// The acceptance claim of issue 15 on a budget a unit test affords (make bench counts orders over
// 100,000 runs; 5,000 find fewer, so this is the stricter check).
TEST(Interleavings, TwoThirdsOfTheCleanWebView2ScenariosInterleaveVisibly) {
  model::RegisterBuiltinScenarios();
  const ParamOverrides fault_free = {{std::string(kFaultBudgetParam), "0"}};
  int scenarios = 0;
  std::vector<std::string> interleaving;
  std::string counts;
  for (const Scenario* scenario : ScenarioRegistry::Global().All()) {
    if (scenario->runtime() != "wv2" || !scenario->Expects(Verdict::kClean)) continue;
    ++scenarios;
    const ScheduleCount schedules = DfsSchedules(*scenario, fault_free, 3, 101);
    const uint64_t orders = DistinctDispatchOrders(*scenario, fault_free, "ui", 5'000);
    counts += scenario->id + ": " + std::to_string(schedules.schedules) +
              (schedules.exhausted ? " schedules (all), " : " schedules, ") +
              std::to_string(orders) + " orders\n";
    if (!schedules.exhausted && orders > 10) interleaving.push_back(scenario->id);
  }
  std::printf("%s", counts.c_str());  // the figures, in the test's log
  ASSERT_GT(scenarios, 0);
  EXPECT_GE(3 * static_cast<int>(interleaving.size()), 2 * scenarios) << counts;
}

}  // namespace
}  // namespace wvsim::sim
