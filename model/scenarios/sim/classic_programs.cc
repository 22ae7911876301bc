// Classic concurrency bugs built on the kernel's condition variable and atomic sections, each with
// its clean twin (docs/design.md, "Choices and strategies"; sim/condvar.h, sim/atomic_section.h):
//
// - sim.condvar_if_wait / sim.condvar_while_wait: two consumers take items a producer adds under
//   a mutex, waiting on a condition variable while there is none. Waiting under `if` trusts a
//   wake-up to mean an item is there; under Mesa semantics another consumer may take it first (or
//   the wake-up is spurious), and the consumer takes from an empty queue. `while` re-checks.
// - sim.lost_wakeup / sim.wakeup_under_lock: a waiter checks a flag before it takes the lock; the
//   setter can set it and notify in between, and the notify is lost: the waiter waits forever.
//   Checking and waiting under the lock the setter also takes cannot lose it.
// - sim.lost_update / sim.lost_update_atomic: two threads add to a balance by a load and a store;
//   a preemption between them loses an update. In an atomic section nobody can come between.
//
// The condition-variable scenarios take `spurious_wakeups` (0 or 1): with 1 every wait may also
// return without a notify (a recorded choice), which the `while` twin survives and `if` does not.
#include <optional>

#include "absl/strings/str_cat.h"
#include "model/scenarios/sim/kernel_scenarios.h"
#include "sim/atomic_section.h"
#include "sim/condvar.h"
#include "sim/sync.h"

namespace wvsim::model {

using sim::AtomicSection;
using sim::CondVar;
using sim::Kernel;
using sim::Mutex;
using sim::Shared;
using sim::Task;
using sim::Verdict;

namespace {

constexpr int kItems = 2;

sim::ScenarioParam SpuriousWakeupsParam() {
  return {"spurious_wakeups", 0, "1: every condition-variable wait may also end without a notify",
          0, 1};
}

struct WorkQueue {
  WorkQueue(Kernel& kernel, bool spurious)
      : mutex(kernel, "queue_lock"), nonempty(kernel, "nonempty", spurious) {}
  Mutex mutex;
  CondVar nonempty;
  int items = 0;  // guarded by mutex
};

Task<> Produce(WorkQueue& queue) {
  for (int i = 0; i < kItems; ++i) {
    co_await queue.mutex.Lock();
    ++queue.items;
    co_await queue.nonempty.NotifyOne();
    co_await queue.mutex.Unlock();
  }
}

// Takes one item; `recheck` is the `while` of a correct wait, false the `if` of the bug.
Task<> Consume(Kernel& kernel, WorkQueue& queue, bool recheck) {
  co_await queue.mutex.Lock();
  if (recheck) {
    while (queue.items == 0) co_await queue.nonempty.Wait(queue.mutex);
  } else if (queue.items == 0) {
    co_await queue.nonempty.Wait(queue.mutex);
  }
  if (queue.items == 0) {
    co_await kernel.Abort(Verdict::kAssertion, "take from empty queue",
                          absl::StrCat("thread ", kernel.Current().name(),
                                       " woke from its wait and took from an empty queue"));
    co_return;
  }
  --queue.items;
  co_await queue.mutex.Unlock();
}

sim::Scenario ConsumerScenario(bool recheck) {
  return sim::Scenario{
      .id = recheck ? "sim.condvar_while_wait" : "sim.condvar_if_wait",
      .description = recheck ? "two consumers wait for items in a while loop: clean"
                             : "two consumers wait for items under if: one takes from an empty "
                               "queue after the other took its item",
      .expected = {recheck ? Verdict::kClean : Verdict::kAssertion},
      .params = {SpuriousWakeupsParam()},
      .setup =
          [recheck](Kernel& kernel) {
            auto& queue = kernel.Make<WorkQueue>(kernel, kernel.Param("spurious_wakeups") != 0);
            kernel.Spawn("consumer1", Consume(kernel, queue, recheck));
            kernel.Spawn("consumer2", Consume(kernel, queue, recheck));
            kernel.Spawn("producer", Produce(queue));
          },
  };
}

struct Signal {
  Signal(Kernel& kernel, bool spurious)
      : mutex(kernel, "m"), changed(kernel, "changed", spurious), flag("flag", false) {}
  Mutex mutex;
  CondVar changed;
  Shared<bool> flag;
};

// Waits until the flag is set; `under_lock` checks it holding the mutex, as it must.
Task<> AwaitFlag(Signal& signal, bool under_lock) {
  if (under_lock) {
    co_await signal.mutex.Lock();
    for (;;) {
      const bool set = co_await signal.flag.Load();
      if (set) break;
      co_await signal.changed.Wait(signal.mutex);
    }
    co_await signal.mutex.Unlock();
    co_return;
  }
  const bool already = co_await signal.flag.Load();
  if (already) co_return;
  // The bug: between that check and the wait below, the setter can set and notify.
  co_await signal.mutex.Lock();
  co_await signal.changed.Wait(signal.mutex);
  co_await signal.mutex.Unlock();
}

Task<> SetFlag(Signal& signal) {
  co_await signal.mutex.Lock();
  co_await signal.flag.Store(true);
  co_await signal.changed.NotifyAll();
  co_await signal.mutex.Unlock();
}

sim::Scenario WakeupScenario(bool under_lock) {
  return sim::Scenario{
      .id = under_lock ? "sim.wakeup_under_lock" : "sim.lost_wakeup",
      .description = under_lock
                         ? "a waiter checks a flag and waits holding the setter's lock: clean"
                         : "a waiter checks a flag before taking the lock; the notify can fall "
                           "between the check and the wait and is lost",
      .expected = {under_lock ? Verdict::kClean : Verdict::kDeadlock},
      .params = {SpuriousWakeupsParam()},
      .setup =
          [under_lock](Kernel& kernel) {
            auto& signal = kernel.Make<Signal>(kernel, kernel.Param("spurious_wakeups") != 0);
            kernel.Spawn("waiter", AwaitFlag(signal, under_lock));
            kernel.Spawn("setter", SetFlag(signal));
          },
  };
}

Task<> Deposit(Kernel& kernel, Shared<int>& balance, bool atomic) {
  std::optional<AtomicSection> section;
  if (atomic) section.emplace(kernel);
  const int seen = co_await balance.Load();
  co_await balance.Store(seen + 1);
}

sim::Scenario LostUpdateScenario(bool atomic) {
  return sim::Scenario{
      .id = atomic ? "sim.lost_update_atomic" : "sim.lost_update",
      .description = atomic ? "two deposits load and store a balance in atomic sections: clean"
                            : "two deposits load and store a balance; a preemption between the "
                              "load and the store loses one",
      .expected = {atomic ? Verdict::kClean : Verdict::kAssertion},
      .setup =
          [atomic](Kernel& kernel) {
            auto& balance = kernel.Make<Shared<int>>("balance", 0);
            kernel.Spawn("alice", Deposit(kernel, balance, atomic));
            kernel.Spawn("bob", Deposit(kernel, balance, atomic));
            kernel.AddQuiescenceCheck(
                sim::CheckPhase::kFinal, [&balance]() -> std::optional<sim::Violation> {
                  if (balance.Peek() == 2) return std::nullopt;
                  return sim::Violation{
                      Verdict::kAssertion, "balance",
                      absl::StrCat("balance is ", balance.Peek(), " after two deposits of 1")};
                });
          },
  };
}

}  // namespace

sim::Scenario CondVarIfWaitScenario() { return ConsumerScenario(false); }
sim::Scenario CondVarWhileWaitScenario() { return ConsumerScenario(true); }
sim::Scenario LostWakeupScenario() { return WakeupScenario(false); }
sim::Scenario WakeupUnderLockScenario() { return WakeupScenario(true); }
sim::Scenario LostUpdateScenario() { return LostUpdateScenario(false); }
sim::Scenario LostUpdateAtomicScenario() { return LostUpdateScenario(true); }

}  // namespace wvsim::model
