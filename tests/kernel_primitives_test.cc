// Tests for the condition variable (sim/condvar.h), atomic sections (sim/atomic_section.h), and
// what deadlock reports say of them and of mutexes: a holder that finished, and a place per
// wait-for cycle.
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sim/atomic_section.h"
#include "sim/condvar.h"
#include "sim/strategies/random.h"
#include "test_programs.h"

namespace wvsim::sim {
namespace {

using testing::Body;
using testing::ForEverySchedule;
using ::testing::HasSubstr;
using testing::RunProgram;
using testing::RunResult;
using ::testing::StartsWith;

// ---- CondVar.

// A waiter that waits (under `while`) for a flag a setter sets and notifies, both under m.
struct FlagProgram {
  bool spurious = false;
  bool recheck = true;
  int finished = 0;    // waiters that got past their wait
  int woke_unset = 0;  // waiters that got past their wait with the flag still unset
  std::function<void(Kernel&)> Setup(int waiters) {
    return [this, waiters](Kernel& k) {
      Mutex& m = k.Make<Mutex>(k, "m");
      CondVar& cv = k.Make<CondVar>(k, "cv", spurious);
      bool& flag = k.Make<bool>(false);
      for (int i = 0; i < waiters; ++i) {
        k.Spawn("waiter" + std::to_string(i), Body([&, this]() -> Task<> {
                  co_await m.Lock();
                  if (recheck) {
                    while (!flag) co_await cv.Wait(m);
                  } else if (!flag) {
                    co_await cv.Wait(m);
                  }
                  if (!flag) ++woke_unset;
                  ++finished;
                  co_await m.Unlock();
                }));
      }
      k.Spawn("setter", Body([&]() -> Task<> {
                co_await m.Lock();
                flag = true;
                co_await cv.NotifyAll();
                co_await m.Unlock();
              }));
    };
  }
};

TEST(CondVar, WaitInALoop_EveryWaiterFinishesInEverySchedule) {
  FlagProgram program;
  int runs = 0;
  int clean = 0;
  runs = ForEverySchedule(program.Setup(2), [&](const RunOutcome& outcome) {
    clean += outcome.violation.kind == Verdict::kClean ? 1 : 0;
  });
  EXPECT_GT(runs, 10);
  EXPECT_EQ(clean, runs);
  EXPECT_EQ(program.finished, 2 * runs);
  EXPECT_EQ(program.woke_unset, 0);
}

TEST(CondVar, NotifyBeforeTheWait_IsLostAndTheWaiterDeadlocks) {
  // The waiter waits without checking: a notify that came before its wait is lost.
  auto setup = [](Kernel& k) {
    Mutex& m = k.Make<Mutex>(k, "m");
    CondVar& cv = k.Make<CondVar>(k, "ready");
    k.Spawn("notifier", Body([&]() -> Task<> {
              co_await m.Lock();
              co_await cv.NotifyOne();
              co_await m.Unlock();
            }));
    k.Spawn("waiter", Body([&]() -> Task<> {
              co_await m.Lock();
              co_await cv.Wait(m);
              co_await m.Unlock();
            }));
  };
  auto first = testing::FirstEnabled();  // the notifier runs to its end first
  const RunResult result = RunProgram(setup, first);
  EXPECT_EQ(result.violation.kind, Verdict::kDeadlock);
  EXPECT_EQ(result.violation.place, "waiter wait(ready)");
  EXPECT_THAT(result.violation.report, HasSubstr("condition variable ready was not notified"));
}

// Ready once `count` threads wait on `cv`.
struct WaitersAtLeast final : Waitable {
  WaitersAtLeast(const CondVar& cv, size_t count) : cv(cv), count(count) {}
  bool Ready() const override { return cv.waiters() >= count; }
  std::string WhyNotReady() const override { return "too few waiters"; }
  const CondVar& cv;
  size_t count;
};

TEST(CondVar, NotifyOne_WakesOneWaiterChosenAmongThem) {
  // Two waiters wait, then one notify: exactly one finishes, and which one is a recorded choice
  // (both happen over the schedules); the other is left blocked, a deadlock.
  std::set<std::string> woken;
  std::string last_woken;
  auto setup = [&](Kernel& k) {
    Mutex& m = k.Make<Mutex>(k, "m");
    CondVar& cv = k.Make<CondVar>(k, "cv");
    for (const char* name : {"a", "b"}) {
      k.Spawn(name, Body([&, name]() -> Task<> {
                co_await m.Lock();
                co_await cv.Wait(m);
                woken.insert(name);
                co_await m.Unlock();
              }));
    }
    const WaitersAtLeast& both = k.Make<WaitersAtLeast>(cv, 2);
    k.Spawn("notifier", Body([&]() -> Task<> {
              const Op op{"await_waiters", nullptr};
              co_await k.Wait(op, both, WaitKind::kBlocking);
              co_await cv.NotifyOne();
            }));
  };
  int deadlocks = 0;
  std::set<std::set<std::string>> outcomes;
  const int runs = ForEverySchedule(setup, [&](const RunOutcome& outcome) {
    deadlocks += outcome.violation.kind == Verdict::kDeadlock ? 1 : 0;
    outcomes.insert(woken);
    woken.clear();
  });
  EXPECT_EQ(deadlocks, runs);
  EXPECT_EQ(outcomes, (std::set<std::set<std::string>>{{"a"}, {"b"}}));
}

TEST(CondVar, WaitWithoutTheMutex_IsAnAssertion) {
  auto setup = [](Kernel& k) {
    Mutex& m = k.Make<Mutex>(k, "m");
    CondVar& cv = k.Make<CondVar>(k, "cv");
    k.Spawn("t", Body([&]() -> Task<> { co_await cv.Wait(m); }));
  };
  const RunResult result = RunProgram(setup);
  EXPECT_EQ(result.violation.kind, Verdict::kAssertion);
  EXPECT_THAT(result.violation.report, HasSubstr("without holding mutex m"));
}

TEST(CondVar, SpuriousWakeups_OnlyWhenAskedAndARecordedChoice) {
  // Under `if`, a wake-up without the flag is a spurious one: in no schedule when they are off,
  // in some when they are on.
  for (const bool spurious : {false, true}) {
    FlagProgram program;
    program.spurious = spurious;
    program.recheck = false;
    ForEverySchedule(program.Setup(1), [](const RunOutcome&) {});
    EXPECT_EQ(program.woke_unset > 0, spurious);
  }
  // A `while` waits again after each. (Not every schedule: a wait that may always wake
  // spuriously makes the tree infinite; random walks end, each wait ending for good with
  // probability one half.)
  FlagProgram looping;
  looping.spurious = true;
  int clean = 0;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    RandomStrategy random(seed);
    clean += RunProgram(looping.Setup(2), random).violation.kind == Verdict::kClean ? 1 : 0;
  }
  EXPECT_EQ(clean, 200);
  EXPECT_EQ(looping.finished, 400);
  EXPECT_EQ(looping.woke_unset, 0);
  // Off, a wait makes no choice at all, so existing schedules replay unchanged.
  FlagProgram off;
  auto first = testing::FirstEnabled();
  const RunResult result = RunProgram(off.Setup(1), first);
  for (const Decision& decision : result.decisions) EXPECT_EQ(decision.kind, ChoiceKind::kThread);
}

// ---- AtomicSection.

// Two threads add 1 to a counter by a load, a yield and a store.
std::function<void(Kernel&)> Increments(bool atomic, int& final_value) {
  return [atomic, &final_value](Kernel& k) {
    Shared<int>& n = k.Make<Shared<int>>("n", 0);
    for (const char* name : {"a", "b"}) {
      k.Spawn(name, Body([&, atomic]() -> Task<> {
                std::optional<AtomicSection> section;
                if (atomic) section.emplace(k);
                const int seen = co_await n.Load();
                co_await k.Yield();
                co_await n.Store(seen + 1);
              }));
    }
    k.AddQuiescenceCheck(CheckPhase::kFinal, [&n, &final_value]() -> std::optional<Violation> {
      final_value = n.Peek();
      return std::nullopt;
    });
  };
}

TEST(AtomicSection, NoOtherThreadRunsInside) {
  std::set<int> finals;
  int final_value = 0;
  const int plain = ForEverySchedule(Increments(false, final_value),
                                     [&](const RunOutcome&) { finals.insert(final_value); });
  EXPECT_EQ(finals, (std::set<int>{1, 2}));  // without sections, an update can be lost
  finals.clear();
  const int atomic = ForEverySchedule(Increments(true, final_value),
                                      [&](const RunOutcome&) { finals.insert(final_value); });
  EXPECT_EQ(finals, (std::set<int>{2}));
  EXPECT_LT(atomic, plain);
  EXPECT_EQ(atomic, 2);  // only which thread starts first is left to choose
}

TEST(AtomicSection, AWaitInsideIsAnAssertion) {
  auto setup = [](Kernel& k) {
    Mutex& m = k.Make<Mutex>(k, "m");
    k.Spawn("t", Body([&]() -> Task<> {
              AtomicSection section(k);
              co_await m.Lock();  // free, but a lock is a wait
              co_await m.Unlock();
            }));
  };
  const RunResult result = RunProgram(setup);
  EXPECT_EQ(result.violation.kind, Verdict::kAssertion);
  EXPECT_EQ(result.violation.place, "atomic section t");
  EXPECT_THAT(result.violation.report, HasSubstr("waits in lock(m) inside an atomic section"));
}

TEST(AtomicSection, NestedSectionsHoldUntilTheOutermostEnds) {
  // a: outer { step; inner { step }; step }, then a step outside; b: steps. b can come only
  // before a starts its section or after the outer one ends.
  std::vector<std::string> order;
  auto setup = [&](Kernel& k) {
    k.Spawn("a", Body([&]() -> Task<> {
              {
                AtomicSection outer(k);
                co_await k.Yield();
                order.push_back("a1");
                {
                  AtomicSection inner(k);
                  co_await k.Yield();
                  order.push_back("a2");
                }
                co_await k.Yield();
                order.push_back("a3");
              }
              co_await k.Yield();
              order.push_back("a4");
            }));
    k.Spawn("b", Body([&]() -> Task<> {
              co_await k.Yield();
              order.push_back("b");
            }));
  };
  std::set<std::vector<std::string>> orders;
  ForEverySchedule(setup, [&](const RunOutcome&) {
    orders.insert(order);
    order.clear();
  });
  for (const std::vector<std::string>& seen : orders) {
    std::string joined;
    for (const std::string& step : seen) joined += step + " ";
    EXPECT_THAT(joined, ::testing::Not(HasSubstr("a1 b"))) << joined;
    EXPECT_THAT(joined, ::testing::Not(HasSubstr("a2 b"))) << joined;
  }
  EXPECT_EQ(orders.size(), 3u);  // b before a1, between a3 and a4, or after a4
}

// ---- Deadlock reports.

TEST(DeadlockReport, NamesAHolderThatFinishedWithoutUnlocking) {
  auto setup = [](Kernel& k) {
    Mutex& m = k.Make<Mutex>(k, "m");
    k.Spawn("leaver", Body([&]() -> Task<> { co_await m.Lock(); }));
    k.Spawn("taker", Body([&]() -> Task<> { co_await m.Lock(); }));
  };
  auto first = testing::FirstEnabled();
  const RunResult result = RunProgram(setup, first);
  EXPECT_EQ(result.violation.kind, Verdict::kDeadlock);
  EXPECT_THAT(result.violation.report,
              HasSubstr("mutex m is held by thread leaver, which has finished without unlocking"));
}

// main joins w1; w1 takes a, then `w1_second`; w2 takes b then a, w3 takes c then a.
std::function<void(Kernel&)> CycleBehindAJoin(const char* w1_second) {
  return [w1_second](Kernel& k) {
    Mutex& a = k.Make<Mutex>(k, "a");
    Mutex& b = k.Make<Mutex>(k, "b");
    Mutex& c = k.Make<Mutex>(k, "c");
    Mutex& second = std::string(w1_second) == "b" ? b : c;
    Thread& w1 = k.Make<Thread>();
    k.Spawn("main", Body([&]() -> Task<> { co_await k.Join(w1); }));
    w1 = k.Spawn("w1", Body([&]() -> Task<> {
                   co_await a.Lock();
                   co_await k.Yield();
                   co_await second.Lock();
                 }));
    for (Mutex* first : {&b, &c}) {
      k.Spawn(first == &b ? "w2" : "w3", Body([&, first]() -> Task<> {
                co_await first->Lock();
                co_await k.Yield();
                co_await a.Lock();
              }));
    }
  };
}

TEST(DeadlockReport, EachWaitForCycleHasAPlaceOfItsOwn) {
  auto round_robin = testing::RoundRobin();
  const RunResult with_w2 = RunProgram(CycleBehindAJoin("b"), round_robin);
  const RunResult with_w3 = RunProgram(CycleBehindAJoin("c"), round_robin);
  ASSERT_EQ(with_w2.violation.kind, Verdict::kDeadlock);
  ASSERT_EQ(with_w3.violation.kind, Verdict::kDeadlock);
  EXPECT_EQ(with_w2.violation.place, "main join(w1), cycle w1 lock(b) -> w2 lock(a)");
  EXPECT_EQ(with_w3.violation.place, "main join(w1), cycle w1 lock(c) -> w3 lock(a)");
  EXPECT_THAT(with_w2.violation.report, HasSubstr("wait-for cycle: w1 -> w2 -> w1"));
}

}  // namespace
}  // namespace wvsim::sim
