// Tests for sim/sync.h: Mutex, Event (manual and auto reset), Semaphore and Shared<T>, each checked
// over many schedules (random seeds, and exhaustively with DFS where the program is small), and the
// deadlock reports their waits produce.
#include "sim/sync.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sim/strategies/dfs.h"
#include "sim/strategies/random.h"
#include "test_programs.h"

namespace wvsim::sim {
namespace {

using testing::Body;
using ::testing::ElementsAre;
using testing::ForEverySchedule;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RoundRobin;
using testing::RunProgram;
using testing::RunResult;

// ---- Mutex.

TEST(Mutex, Lock_ExcludesOtherThreadsInEverySchedule) {
  int inside = 0;
  int max_inside = 0;
  int counter = 0;
  const int runs = ForEverySchedule(
      [&](Kernel& k) {
        inside = 0;
        counter = 0;
        Mutex& m = k.Make<Mutex>(k, "m");
        for (const char* name : {"a", "b"}) {
          k.Spawn(name, Body([&]() -> Task<> {
                    co_await m.Lock();
                    ++inside;
                    max_inside = std::max(max_inside, inside);
                    const int read = counter;
                    co_await k.Yield();  // a read-modify-write split by a scheduling point
                    counter = read + 1;
                    --inside;
                    co_await m.Unlock();
                  }));
        }
      },
      [&](const RunOutcome& outcome) {
        EXPECT_EQ(outcome.violation.kind, Verdict::kClean);
        EXPECT_EQ(counter, 2);
      });
  EXPECT_GT(runs, 2);
  EXPECT_EQ(max_inside, 1);
}

TEST(Mutex, Lock_WithoutTheMutexTheLostUpdateIsReachable) {
  // The same program without the lock: some schedule loses an update, so the test above can fail.
  int counter = 0;
  std::set<int> finals;
  ForEverySchedule(
      [&](Kernel& k) {
        counter = 0;
        for (const char* name : {"a", "b"}) {
          k.Spawn(name, Body([&]() -> Task<> {
                    co_await k.Yield();
                    const int read = counter;
                    co_await k.Yield();
                    counter = read + 1;
                  }));
        }
      },
      [&](const RunOutcome&) { finals.insert(counter); });
  EXPECT_THAT(finals, ElementsAre(1, 2));
}

TEST(Mutex, Held_ReflectsTheOwner) {
  std::vector<bool> held;
  const RunResult result = RunProgram([&](Kernel& k) {
    Mutex& m = k.Make<Mutex>(k, "m");
    k.Spawn("t", Body([&]() -> Task<> {
              held.push_back(m.held());
              co_await m.Lock();
              held.push_back(m.held());
              co_await m.Unlock();
              held.push_back(m.held());
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(held, ElementsAre(false, true, false));
}

TEST(Mutex, Unlock_ByANonOwnerIsAssertion) {
  const RunResult result = RunProgram([&](Kernel& k) {
    Mutex& m = k.Make<Mutex>(k, "m");
    const Thread owner = k.Spawn("owner", Body([&]() -> Task<> { co_await m.Lock(); }));
    k.Spawn("thief", Body([&, owner]() -> Task<> {
              co_await k.Join(owner);
              co_await m.Unlock();
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kAssertion);
  EXPECT_EQ(result.violation.place, "unlock m");
  EXPECT_THAT(result.violation.report,
              HasSubstr("mutex m unlocked by a thread that does not hold it"));
}

TEST(Mutex, Unlock_OfAFreeMutexIsAssertion) {
  const RunResult result = RunProgram([&](Kernel& k) {
    Mutex& m = k.Make<Mutex>(k, "m");
    k.Spawn("t", Body([&]() -> Task<> { co_await m.Unlock(); }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kAssertion);
}

TEST(Mutex, LockCycle_IsDeadlockNamingTheThreadsAndTheCycle) {
  // Three threads, three locks in a ring; round robin makes each take its first lock.
  auto round_robin = RoundRobin();
  const RunResult result = RunProgram(
      [&](Kernel& k) {
        Mutex* locks[3] = {&k.Make<Mutex>(k, "a"), &k.Make<Mutex>(k, "b"), &k.Make<Mutex>(k, "c")};
        for (int i = 0; i < 3; ++i) {
          Mutex& first = *locks[i];
          Mutex& second = *locks[(i + 1) % 3];
          k.Spawn(absl::StrCat("t", i), Body([&first, &second]() -> Task<> {
                    co_await first.Lock();
                    co_await second.Lock();
                    co_await second.Unlock();
                    co_await first.Unlock();
                  }));
        }
      },
      round_robin);
  ASSERT_EQ(result.violation.kind, Verdict::kDeadlock);
  const std::string& report = result.violation.report;
  EXPECT_THAT(report, HasSubstr("thread t0 is blocked in lock(b): mutex b is held by thread t1"));
  EXPECT_THAT(report, HasSubstr("thread t1 is blocked in lock(c): mutex c is held by thread t2"));
  EXPECT_THAT(report, HasSubstr("thread t2 is blocked in lock(a): mutex a is held by thread t0"));
  EXPECT_THAT(report, HasSubstr("wait-for cycle: t0 -> t1 -> t2 -> t0"));
  EXPECT_EQ(result.violation.place, "t0 lock(b), cycle t0 lock(b) -> t1 lock(c) -> t2 lock(a)");
}

TEST(Mutex, LockCycle_AbbaIsFoundExhaustivelyAndOnlyWithAPreemption) {
  int deadlocks = 0;
  int cleans = 0;
  const auto abba = testing::AbbaProgram;
  auto count = [&](const RunOutcome& outcome) {
    if (outcome.violation.kind == Verdict::kDeadlock) {
      ++deadlocks;
      EXPECT_THAT(outcome.violation.report, HasSubstr("wait-for cycle"));
    } else {
      EXPECT_EQ(outcome.violation.kind, Verdict::kClean);
      ++cleans;
    }
  };
  ForEverySchedule(abba, count, /*preemption_bound=*/0);
  EXPECT_EQ(deadlocks, 0);
  EXPECT_EQ(cleans, 2);
  ForEverySchedule(abba, count, /*preemption_bound=*/1);
  EXPECT_GT(deadlocks, 0);
}

TEST(Mutex, Relock_ByTheOwnerIsASelfDeadlock) {
  const RunResult result = RunProgram([&](Kernel& k) {
    Mutex& m = k.Make<Mutex>(k, "m");
    k.Spawn("t", Body([&]() -> Task<> {
              co_await m.Lock();
              co_await m.Lock();
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kDeadlock);
  EXPECT_THAT(result.violation.report, HasSubstr("thread t is blocked in lock(m)"));
  EXPECT_THAT(result.violation.report, HasSubstr("itself"));
}

// ---- Event.

TEST(Event, ManualReset_SetWakesEveryWaiterAndStaysSet) {
  for (uint64_t seed = 0; seed < 100; ++seed) {
    int woken = 0;
    bool still_set = false;
    RandomStrategy random(seed);
    const RunResult result = RunProgram(
        [&](Kernel& k) {
          Event& e = k.Make<Event>("e", Event::Reset::kManual);
          for (const char* name : {"w1", "w2", "w3"}) {
            k.Spawn(name, Body([&]() -> Task<> {
                      co_await e.Wait();
                      ++woken;
                    }));
          }
          k.Spawn("setter", Body([&]() -> Task<> { co_await e.Set(); }));
          k.AddQuiescenceCheck(CheckPhase::kFinal, [&]() -> std::optional<Violation> {
            still_set = e.is_set();
            return std::nullopt;
          });
        },
        random);
    ASSERT_EQ(result.violation.kind, Verdict::kClean) << "seed " << seed;
    EXPECT_EQ(woken, 3);
    EXPECT_TRUE(still_set);
  }
}

TEST(Event, AutoReset_SetWakesExactlyOneWaiter) {
  std::set<std::string> first_waiters;
  for (uint64_t seed = 0; seed < 100; ++seed) {
    std::vector<std::string> woken;
    RandomStrategy random(seed);
    const RunResult result = RunProgram(
        [&](Kernel& k) {
          Event& e = k.Make<Event>("e", Event::Reset::kAuto);
          for (const char* name : {"w1", "w2"}) {
            k.Spawn(name, Body([&]() -> Task<> {
                      co_await e.Wait();
                      woken.push_back(k.Current().name());
                    }));
          }
          k.Spawn("setter", Body([&]() -> Task<> { co_await e.Set(); }));
        },
        random);
    ASSERT_EQ(result.violation.kind, Verdict::kDeadlock) << "seed " << seed;
    ASSERT_EQ(woken.size(), 1u);
    first_waiters.insert(woken[0]);
    const std::string other = woken[0] == "w1" ? "w2" : "w1";
    EXPECT_THAT(
        result.violation.report,
        HasSubstr(absl::StrCat("thread ", other, " is blocked in wait(e): event e is not set")));
    EXPECT_THAT(result.violation.report, Not(HasSubstr("thread " + woken[0] + " ")));
  }
  EXPECT_THAT(first_waiters, ElementsAre("w1", "w2"));  // either waiter can be the one
}

TEST(Event, AutoReset_TwoSetsWithAWaitBetweenWakeTwoWaiters) {
  int woken = 0;
  const RunResult result = RunProgram([&](Kernel& k) {
    Event& e = k.Make<Event>("e", Event::Reset::kAuto);
    Event& consumed = k.Make<Event>("consumed", Event::Reset::kAuto);
    for (const char* name : {"w1", "w2"}) {
      k.Spawn(name, Body([&]() -> Task<> {
                co_await e.Wait();
                ++woken;
                co_await consumed.Set();
              }));
    }
    k.Spawn("setter", Body([&]() -> Task<> {
              co_await e.Set();
              co_await consumed.Wait();
              co_await e.Set();
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean) << result.violation.report;
  EXPECT_EQ(woken, 2);
}

TEST(Event, AutoReset_SetIsNotCountedSoASecondSetIsLost) {
  // The setter sets twice before anyone waits: an event is a flag, not a counter.
  auto first = testing::FirstEnabled();
  int woken = 0;
  const RunResult result = RunProgram(
      [&](Kernel& k) {
        Event& e = k.Make<Event>("e", Event::Reset::kAuto);
        k.Spawn("setter", Body([&]() -> Task<> {
                  co_await e.Set();
                  co_await e.Set();
                }));
        for (const char* name : {"w1", "w2"}) {
          k.Spawn(name, Body([&]() -> Task<> {
                    co_await e.Wait();
                    ++woken;
                  }));
        }
      },
      first);
  EXPECT_EQ(woken, 1);
  EXPECT_EQ(result.violation.kind, Verdict::kDeadlock);
  EXPECT_THAT(result.violation.report,
              HasSubstr("thread w2 is blocked in wait(e): event e is not set"));
}

TEST(Event, LostWakeup_CheckThenResetThenWaitDeadlocksInSomeSchedule) {
  // The waiter checks a flag, then resets the event and waits; a set between the check and the
  // reset is lost. Exhaustive search must find that schedule, and only the waiter is blocked.
  std::set<Verdict> verdicts;
  std::string report;
  ForEverySchedule(
      [&](Kernel& k) {
        Shared<int>& ready = k.Make<Shared<int>>("ready", 0);
        Event& e = k.Make<Event>("e", Event::Reset::kManual);
        k.Spawn("waiter", Body([&]() -> Task<> {
                  if (co_await ready.Load() == 0) {
                    co_await e.Clear();
                    co_await e.Wait();
                  }
                }));
        k.Spawn("notifier", Body([&]() -> Task<> {
                  co_await ready.Store(1);
                  co_await e.Set();
                }));
      },
      [&](const RunOutcome& outcome) {
        verdicts.insert(outcome.violation.kind);
        if (outcome.violation.kind == Verdict::kDeadlock) report = outcome.violation.report;
      });
  EXPECT_THAT(verdicts, ElementsAre(Verdict::kClean, Verdict::kDeadlock));
  EXPECT_THAT(report, HasSubstr("thread waiter is blocked in wait(e): event e is not set"));
  EXPECT_THAT(report, Not(HasSubstr("notifier")));
}

TEST(Event, Clear_ResetsAManualEvent) {
  const RunResult result = RunProgram([&](Kernel& k) {
    Event& e = k.Make<Event>("e", Event::Reset::kManual, /*initially_set=*/true);
    k.Spawn("t", Body([&]() -> Task<> {
              co_await e.Wait();  // set from the start: passes
              co_await e.Wait();  // manual reset: still set, passes again
              co_await e.Clear();
              co_await e.Wait();  // blocks forever
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kDeadlock);
  EXPECT_EQ(result.steps, 4u);
}

// ---- Semaphore.

TEST(Semaphore, Acquire_AdmitsAtMostCountThreads) {
  int inside = 0;
  int max_inside = 0;
  int final_count = -1;
  const int runs = ForEverySchedule(
      [&](Kernel& k) {
        inside = 0;
        Semaphore& s = k.Make<Semaphore>("s", 2);
        for (const char* name : {"a", "b", "c"}) {
          k.Spawn(name, Body([&]() -> Task<> {
                    co_await s.Acquire();
                    max_inside = std::max(max_inside, ++inside);
                    co_await k.Yield();
                    --inside;
                    co_await s.Release();
                  }));
        }
        k.AddQuiescenceCheck(CheckPhase::kFinal, [&]() -> std::optional<Violation> {
          final_count = s.count();
          return std::nullopt;
        });
      },
      [&](const RunOutcome& outcome) {
        EXPECT_EQ(outcome.violation.kind, Verdict::kClean);
        EXPECT_EQ(final_count, 2);
      },
      /*preemption_bound=*/2);
  EXPECT_GT(runs, 10);
  EXPECT_EQ(max_inside, 2);
}

TEST(Semaphore, Release_OfSeveralPermitsWakesSeveralWaiters) {
  int woken = 0;
  const RunResult result = RunProgram([&](Kernel& k) {
    Semaphore& s = k.Make<Semaphore>("s", 0);
    for (const char* name : {"a", "b", "c"}) {
      k.Spawn(name, Body([&]() -> Task<> {
                co_await s.Acquire();
                ++woken;
              }));
    }
    k.Spawn("releaser", Body([&]() -> Task<> { co_await s.Release(2); }));
  });
  EXPECT_EQ(woken, 2);
  EXPECT_EQ(result.violation.kind, Verdict::kDeadlock);
  EXPECT_THAT(result.violation.report,
              HasSubstr("thread c is blocked in acquire(s): semaphore s has count 0"));
}

// ---- Shared<T>.

TEST(Shared, Operations_ReturnAndStoreTheRightValues) {
  std::vector<int> seen;
  std::vector<bool> swapped;
  int final_value = 0;
  const RunResult result = RunProgram([&](Kernel& k) {
    Shared<int>& v = k.Make<Shared<int>>("v", 5);
    k.Spawn("t", Body([&]() -> Task<> {
              seen.push_back(co_await v.Load());  // 5
              co_await v.Store(7);
              seen.push_back(co_await v.FetchAdd(3));                 // 7, now 10
              seen.push_back(co_await v.Exchange(20));                // 10, now 20
              swapped.push_back(co_await v.CompareExchange(19, 30));  // no
              swapped.push_back(co_await v.CompareExchange(20, 30));  // yes, now 30
              seen.push_back(co_await v.FetchAdd(-4));                // 30, now 26
              seen.push_back(co_await v.Load());                      // 26
              final_value = v.Peek();
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(seen, ElementsAre(5, 7, 10, 30, 26));
  EXPECT_THAT(swapped, ElementsAre(false, true));
  EXPECT_EQ(final_value, 26);
  EXPECT_EQ(result.steps, 9u);  // every access is a scheduling point
  EXPECT_EQ(result.decisions[1].label, "t load(v)");
  EXPECT_EQ(result.decisions[5].label, "t compare_exchange(v)");
}

TEST(Shared, FetchAdd_IsAtomicButLoadThenStoreIsNot) {
  std::set<int> atomic_finals;
  std::set<int> split_finals;
  int atomic_final = 0;
  int split_final = 0;
  ForEverySchedule(
      [&](Kernel& k) {
        Shared<int>& atomic = k.Make<Shared<int>>("atomic", 0);
        Shared<int>& split = k.Make<Shared<int>>("split", 0);
        for (const char* name : {"a", "b"}) {
          k.Spawn(name, Body([&]() -> Task<> {
                    co_await atomic.FetchAdd(1);
                    const int read = co_await split.Load();
                    co_await split.Store(read + 1);
                  }));
        }
        k.AddQuiescenceCheck(CheckPhase::kFinal, [&]() -> std::optional<Violation> {
          atomic_final = atomic.Peek();
          split_final = split.Peek();
          return std::nullopt;
        });
      },
      [&](const RunOutcome&) {
        atomic_finals.insert(atomic_final);
        split_finals.insert(split_final);
      });
  EXPECT_THAT(atomic_finals, ElementsAre(2));
  EXPECT_THAT(split_finals, ElementsAre(1, 2));
}

TEST(Shared, CompareExchange_ElectsExactlyOneWinner) {
  for (uint64_t seed = 0; seed < 100; ++seed) {
    std::vector<std::string> winners;
    RandomStrategy random(seed);
    RunProgram(
        [&](Kernel& k) {
          Shared<int>& owner = k.Make<Shared<int>>("owner", 0);
          for (int i = 1; i <= 4; ++i) {
            k.Spawn(absl::StrCat("t", i), Body([&, i]() -> Task<> {
                      if (co_await owner.CompareExchange(0, i))
                        winners.push_back(k.Current().name());
                    }));
          }
        },
        random);
    EXPECT_EQ(winners.size(), 1u) << "seed " << seed;
  }
}

TEST(Shared, Exchange_WorksForNonIntegralTypes) {
  std::string old_value;
  std::string after_add;
  RunProgram([&](Kernel& k) {
    Shared<std::string>& s = k.Make<Shared<std::string>>("s", std::string("x"));
    k.Spawn("t", Body([&]() -> Task<> {
              old_value = co_await s.Exchange("y");
              (void)co_await s.FetchAdd("z");
              after_add = co_await s.Load();
            }));
  });
  EXPECT_EQ(old_value, "x");
  EXPECT_EQ(after_add, "yz");
}

}  // namespace
}  // namespace wvsim::sim
