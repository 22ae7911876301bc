// The three programs every peer (Relacy, shuttle, loom) runs, written with wvsim's primitives so
// that the figures compare like with like (docs/design.md, "Peers and the figures to beat"), and
// sim.abba's clean twin for the classic suite (classic_suite.h).
#include "absl/strings/str_cat.h"
#include "model/scenarios/sim/final_checks.h"
#include "model/scenarios/sim/kernel_scenarios.h"
#include "sim/sync.h"

namespace wvsim::model {

using sim::Kernel;
using sim::Mutex;
using sim::Shared;
using sim::Task;
using sim::Verdict;

namespace {

struct CounterState {
  explicit CounterState(Kernel& kernel)
      : mutex(kernel, "m"), atomic_count("atomic", 0), locked_count("locked", 0) {}
  Mutex mutex;
  Shared<int> atomic_count;
  Shared<int> locked_count;
};

Task<> CounterThread(CounterState& state) {
  co_await state.atomic_count.FetchAdd(1);
  co_await state.atomic_count.FetchAdd(1);
  co_await state.mutex.Lock();
  co_await state.locked_count.FetchAdd(1);
  co_await state.mutex.Unlock();
}

Task<> OpsThread(Shared<int>& count, int increments) {
  for (int i = 0; i < increments; ++i) co_await count.FetchAdd(1);
}

Task<> TakeInOrder(Mutex& first, Mutex& second) {
  co_await first.Lock();
  co_await second.Lock();
  co_await second.Unlock();
  co_await first.Unlock();
}

}  // namespace

sim::Scenario CounterScenario() {
  return sim::Scenario{
      .id = "sim.counter",
      .description = "2 threads, each 2 atomic increments then a locked increment; sums asserted",
      .expected = {Verdict::kClean},
      .setup =
          [](Kernel& kernel) {
            auto& state = kernel.Make<CounterState>(kernel);
            kernel.Spawn("t1", CounterThread(state));
            kernel.Spawn("t2", CounterThread(state));
            ExpectAtEnd(kernel, state.atomic_count, 4);
            ExpectAtEnd(kernel, state.locked_count, 2);
          },
  };
}

sim::Scenario OpsScenario() {
  return sim::Scenario{
      .id = "sim.ops",
      .description = "2 threads x 100 atomic increments; the sum is asserted",
      .expected = {Verdict::kClean},
      .setup =
          [](Kernel& kernel) {
            auto& count = kernel.Make<Shared<int>>("count", 0);
            kernel.Spawn("t1", OpsThread(count, 100));
            kernel.Spawn("t2", OpsThread(count, 100));
            ExpectAtEnd(kernel, count, 200);
          },
  };
}

sim::Scenario AbbaScenario() {
  return sim::Scenario{
      .id = "sim.abba",
      .description = "two threads take two locks in opposite orders: a lock-order deadlock",
      .expected = {Verdict::kDeadlock},
      .setup =
          [](Kernel& kernel) {
            auto& a = kernel.Make<Mutex>(kernel, "a");
            auto& b = kernel.Make<Mutex>(kernel, "b");
            kernel.Spawn("t1", TakeInOrder(a, b));
            kernel.Spawn("t2", TakeInOrder(b, a));
          },
  };
}

sim::Scenario LockOrderScenario() {
  return sim::Scenario{
      .id = "sim.lock_order",
      .description = "three threads take two locks in one order: clean (sim.abba's twin)",
      .expected = {Verdict::kClean},
      .setup =
          [](Kernel& kernel) {
            auto& a = kernel.Make<Mutex>(kernel, "a");
            auto& b = kernel.Make<Mutex>(kernel, "b");
            for (const char* name : {"t1", "t2", "t3"}) kernel.Spawn(name, TakeInOrder(a, b));
          },
  };
}

}  // namespace wvsim::model
