// Bugs of a known depth (Burckhardt et al., ASPLOS 2010): sim.ordering_depth_d fails exactly when
// d ordering constraints between two threads' steps hold, which takes d-1 preemptions (PCT's d-1
// priority changes) at particular steps; they measure how well a strategy finds deep orderings.
// PCT with depth d must find sim.ordering_depth_d with probability at least 1/(n·k^(d-1)) per
// run (n = 2 threads, k = the steps of a run).
#include <vector>

#include "absl/strings/str_cat.h"
#include "model/scenarios/sim/kernel_scenarios.h"
#include "sim/sync.h"

namespace wvsim::model {

using sim::Kernel;
using sim::Shared;
using sim::Task;
using sim::Verdict;

namespace {

constexpr int kStepsPerThread = 4;

// The order in which the two threads' numbered steps happened: 'a' for the first thread's step
// i (a1, a2, ...), 'b' for the second's.
struct OrderLog {
  std::vector<std::pair<char, int>> events;
  int IndexOf(char thread, int step) const {
    for (size_t i = 0; i < events.size(); ++i) {
      if (events[i] == std::pair<char, int>{thread, step}) return static_cast<int>(i);
    }
    return -1;
  }
};

Task<> Stepper(Shared<int>& shared, OrderLog& log, char name) {
  for (int step = 1; step <= kStepsPerThread; ++step) {
    co_await shared.FetchAdd(1);
    log.events.push_back({name, step});
  }
}

// Whether the order that needs depth-1 preemptions happened:
//   depth 1: b1 < a1 (one ordering constraint: the second thread goes first),
//   depth 2: a1 < b1 < a2 (two: the second thread starts between the first's first two steps),
//   depth 3: a1 < b1 < a2 < b2 (three: and the first comes back between the second's).
bool BugHappened(const OrderLog& log, int depth) {
  auto before = [&](char t1, int s1, char t2, int s2) {
    return log.IndexOf(t1, s1) < log.IndexOf(t2, s2);
  };
  switch (depth) {
    case 1:
      return before('b', 1, 'a', 1);
    case 2:
      return before('a', 1, 'b', 1) && before('b', 1, 'a', 2);
    default:
      return before('a', 1, 'b', 1) && before('b', 1, 'a', 2) && before('a', 2, 'b', 2);
  }
}

sim::Scenario OrderingScenario(int depth) {
  return sim::Scenario{
      .id = absl::StrCat("sim.ordering_depth_", depth),
      .description = absl::StrCat("a bug that needs exactly ", depth - 1,
                                  " preemption(s) at particular steps of two threads"),
      .expected = {Verdict::kAssertion},
      .setup =
          [depth](Kernel& kernel) {
            auto& shared = kernel.Make<Shared<int>>("x", 0);
            auto& log = kernel.Make<OrderLog>();
            kernel.Spawn("a", Stepper(shared, log, 'a'));
            kernel.Spawn("b", Stepper(shared, log, 'b'));
            kernel.AddQuiescenceCheck(
                sim::CheckPhase::kFinal, [&log, depth]() -> std::optional<sim::Violation> {
                  if (!BugHappened(log, depth)) return std::nullopt;
                  return sim::Violation{Verdict::kAssertion, "ordering",
                                        absl::StrCat("the depth-", depth, " ordering happened")};
                });
          },
  };
}

}  // namespace

sim::Scenario OrderingDepth1Scenario() { return OrderingScenario(1); }
sim::Scenario OrderingDepth2Scenario() { return OrderingScenario(2); }
sim::Scenario OrderingDepth3Scenario() { return OrderingScenario(3); }

}  // namespace wvsim::model
