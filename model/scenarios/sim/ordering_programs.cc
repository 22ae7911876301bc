// Bugs of a known depth (Burckhardt et al., ASPLOS 2010): sim.ordering_depth_d fails exactly when
// d ordering constraints between two threads' steps hold, which takes d-1 preemptions (PCT's d-1
// priority changes) at particular steps; they measure how well a strategy finds deep orderings.
// PCT with depth d must find sim.ordering_depth_d with probability at least 1/(n·k^(d-1)) per
// run (n = 2 threads, k = the steps of a run).
#include <algorithm>
#include <array>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "model/scenarios/sim/kernel_scenarios.h"
#include "sim/sync.h"

namespace wvsim::model {

using sim::Kernel;
using sim::Shared;
using sim::Task;
using sim::Verdict;

namespace {

// Each thread takes `steps_per_thread` numbered steps (a parameter: the larger, the harder);
// the orderings below sit in the middle of them, so that finding one means placing preemptions
// at particular steps, not merely early. The default keeps the depth-3 bug within reach of
// `make run`'s 10,000 portfolio runs; `make bench` also measures it at 24.
constexpr int64_t kStepsPerThreadDefault = 8;
constexpr int64_t kStepsPerThreadMax = 64;

// When each numbered step of the two threads happened: position[t][i] is the place of thread
// t's step i (t 0 for "a", 1 for "b"; i from 1) in the order of all steps.
struct OrderLog {
  int middle = 0;
  int next = 0;
  std::array<std::array<int, kStepsPerThreadMax + 2>, 2> position{};
};

Task<> Stepper(Shared<int>& shared, OrderLog& log, int thread, int steps) {
  for (int step = 1; step <= steps; ++step) {
    co_await shared.FetchAdd(1);
    log.position[thread][step] = log.next++;
  }
}

// Whether the order that needs depth-1 preemptions happened (m = steps_per_thread / 2):
//   depth 1: b1 < a1 (the second thread goes first),
//   depth 2: a_m < b1 < a_m+1 (the second thread starts exactly between the first's steps m and
//            m+1: one preemption there),
//   depth 3: a_m < b1, b_m < a_m+1 < b_m+1 (and then the first comes back exactly between the
//            second's steps m and m+1: a second preemption).
// One branch-free expression: as in a real ordering bug, the same code runs whatever the order,
// so that edge coverage sees no partial progress and a fuzzer's gradient can come only from
// interleaving feedback.
bool BugHappened(const OrderLog& log, int depth) {
  const auto& a = log.position[0];
  const auto& b = log.position[1];
  const int m = log.middle;
  auto before = [](int x, int y) { return static_cast<int>(x < y); };
  switch (depth) {
    case 1:
      return before(b[1], a[1]) != 0;
    case 2:
      return (before(a[m], b[1]) & before(b[1], a[m + 1])) != 0;
    default:
      return (before(a[m], b[1]) & before(b[m], a[m + 1]) & before(a[m + 1], b[m + 1])) != 0;
  }
}

sim::Scenario OrderingScenario(int depth) {
  return sim::Scenario{
      .id = absl::StrCat("sim.ordering_depth_", depth),
      .description = absl::StrCat("a bug that needs exactly ", depth - 1,
                                  " preemption(s) at particular steps of two threads"),
      .expected = {Verdict::kAssertion},
      .params = {{"steps_per_thread", kStepsPerThreadDefault,
                  absl::StrCat("numbered steps of each thread, 2 to ", kStepsPerThreadMax,
                               "; the orderings sit at the middle one"),
                  2, kStepsPerThreadMax}},
      .setup =
          [depth](Kernel& kernel) {
            const int steps = static_cast<int>(std::clamp<int64_t>(
                kernel.Param("steps_per_thread", kStepsPerThreadDefault), 2, kStepsPerThreadMax));
            auto& shared = kernel.Make<Shared<int>>("x", 0);
            auto& log = kernel.Make<OrderLog>();
            log.middle = steps / 2;
            kernel.Spawn("a", Stepper(shared, log, 0, steps));
            kernel.Spawn("b", Stepper(shared, log, 1, steps));
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
