// Tests for virtual time: Sleep, BlockOnFor's timeout and its cancellation, PostDelayed, the rule
// that time moves only when no thread is enabled, the scheduler's choice between timers due at the
// same instant, and the timer limit.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sim/strategies/dfs.h"
#include "sim/strategies/random.h"
#include "sim/sync.h"
#include "test_programs.h"

namespace wvsim::sim {
namespace {

using testing::Body;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::RunProgram;
using testing::RunResult;

constexpr ThreadOptions kWithQueue{.message_queue = true};

// Every schedule of `setup` that DFS finds; `check` sees each outcome.
template <typename Setup, typename Check>
int ForEverySchedule(Setup setup, Check check) {
  DfsStrategy dfs(100);
  const Scenario scenario = testing::MakeScenario(setup);
  Runner runner(scenario, {});
  int runs = 0;
  for (uint64_t index = 0; dfs.BeginExecution(index); ++index, ++runs) {
    const RunOutcome outcome = runner.Run(dfs, /*traced=*/false);
    check(outcome, runner.kernel().Decisions());
  }
  return runs;
}

TEST(Time, Sleep_AdvancesNowByExactlyTheTicks) {
  std::vector<uint64_t> now;
  const RunResult result = RunProgram([&](Kernel& k) {
    k.Spawn("t", Body([&]() -> Task<> {
              now.push_back(k.now_ticks());
              co_await k.Sleep(100);
              now.push_back(k.now_ticks());
              co_await k.Sleep(25);
              now.push_back(k.now_ticks());
              co_await k.Sleep(0);
              now.push_back(k.now_ticks());
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(now, ElementsAre(0u, 100u, 125u, 125u));
  EXPECT_EQ(result.end_ticks, 125u);
  EXPECT_THAT(result.trace, HasSubstr("timer wakes t"));
}

TEST(Time, Sleep_ZeroTicksLetsEveryEnabledThreadRunFirst) {
  std::vector<std::string> log;
  const RunResult result = RunProgram([&](Kernel& k) {
    k.Spawn("sleeper", Body([&]() -> Task<> {
              co_await k.Sleep(0);
              log.push_back("sleeper woke");
            }));
    k.Spawn("busy", Body([&]() -> Task<> {
              for (int i = 0; i < 3; ++i) {
                log.push_back("busy");
                co_await k.Yield();
              }
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(log, ElementsAre("busy", "busy", "busy", "sleeper woke"));
  EXPECT_EQ(result.end_ticks, 0u);
}

TEST(Time, Advances_OnlyWhenNoThreadIsEnabled) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    std::vector<uint64_t> busy_now;
    uint64_t sleeper_now = 0;
    RandomStrategy random(seed);
    const RunResult result = RunProgram(
        [&](Kernel& k) {
          k.Spawn("sleeper", Body([&]() -> Task<> {
                    co_await k.Sleep(10);
                    sleeper_now = k.now_ticks();
                  }));
          k.Spawn("busy", Body([&]() -> Task<> {
                    for (int i = 0; i < 30; ++i) {
                      busy_now.push_back(k.now_ticks());
                      co_await k.Yield();
                    }
                  }));
        },
        random);
    ASSERT_EQ(result.violation.kind, Verdict::kClean);
    EXPECT_THAT(busy_now, Each(0u)) << "seed " << seed;
    EXPECT_EQ(busy_now.size(), 30u);
    EXPECT_EQ(sleeper_now, 10u);
    EXPECT_EQ(result.end_ticks, 10u);
  }
}

TEST(Time, Sleep_SleepersWakeInDueOrder) {
  std::vector<std::string> log;
  const RunResult result = RunProgram([&](Kernel& k) {
    for (auto [name, ticks] : {std::pair{"a", 30}, std::pair{"b", 10}, std::pair{"c", 20}}) {
      k.Spawn(name, Body([&, ticks = ticks]() -> Task<> {
                co_await k.Sleep(ticks);
                log.push_back(absl::StrCat(k.Current().name(), "@", k.now_ticks()));
              }));
    }
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(log, ElementsAre("b@10", "c@20", "a@30"));
}

TEST(Time, Sleep_AfterWakingALockOfAHeldMutexStillBlocks) {
  // The sleeper wakes while the other thread holds the mutex: its wake-up must not let it through
  // the lock as well.
  for (uint64_t seed = 0; seed < 20; ++seed) {
    bool inside = false;
    bool overlapped = false;
    RandomStrategy random(seed);
    const RunResult result = RunProgram(
        [&](Kernel& k) {
          Mutex& m = k.Make<Mutex>(k, "m");
          k.Spawn("holder", Body([&]() -> Task<> {
                    co_await m.Lock();
                    inside = true;
                    co_await k.Sleep(100);
                    inside = false;
                    co_await m.Unlock();
                  }));
          k.Spawn("sleeper", Body([&]() -> Task<> {
                    co_await k.Sleep(10);
                    co_await m.Lock();
                    overlapped |= inside;
                    co_await m.Unlock();
                  }));
        },
        random);
    EXPECT_EQ(result.violation.kind, Verdict::kClean)
        << "seed " << seed << ": " << result.violation.report;
    EXPECT_FALSE(overlapped) << "seed " << seed;
  }
}

TEST(Time, Sleep_ThenABlockingWaitOnAnIncompleteFutureBlocks) {
  bool returned = false;
  const RunResult result = RunProgram([&](Kernel& k) {
    const Promise<int> never = k.MakePromise<int>("never");
    k.Spawn("t", Body([&, never]() -> Task<> {
              co_await k.Sleep(5);
              (void)co_await k.BlockOn(never.future());
              returned = true;
            }));
  });
  EXPECT_FALSE(returned);
  EXPECT_EQ(result.violation.kind, Verdict::kDeadlock);
  EXPECT_THAT(result.violation.report, HasSubstr("thread t is blocked in block_on(never)"));
}

// ---- BlockOnFor.

TEST(Time, BlockOnFor_TimesOutAfterTheGivenTicksAndReturnsFalse) {
  std::vector<bool> completed;
  std::vector<uint64_t> now;
  const RunResult result = RunProgram([&](Kernel& k) {
    const Promise<int> never = k.MakePromise<int>("never");
    k.Spawn("t", Body([&, never]() -> Task<> {
              co_await k.Sleep(7);
              completed.push_back(co_await k.BlockOnFor(never.future(), 50));
              now.push_back(k.now_ticks());
              completed.push_back(co_await k.BlockOnFor(never.future(), 3));
              now.push_back(k.now_ticks());
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean) << result.violation.report;
  EXPECT_THAT(completed, ElementsAre(false, false));
  EXPECT_THAT(now, ElementsAre(57u, 60u));
  EXPECT_EQ(result.end_ticks, 60u);
}

TEST(Time, BlockOnFor_CompletedInTimeReturnsTrueAndCancelsTheTimer) {
  std::vector<bool> completed;
  uint64_t woke_at = 0;
  const RunResult result = RunProgram([&](Kernel& k) {
    const Promise<int> answer = k.MakePromise<int>("answer");
    k.Spawn("waiter", Body([&, answer]() -> Task<> {
              completed.push_back(co_await k.BlockOnFor(answer.future(), 1000));
              woke_at = k.now_ticks();
            }));
    k.Spawn("worker", Body([&, answer]() -> Task<> {
              co_await k.Sleep(10);
              answer.Set(1);
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean) << result.violation.report;
  EXPECT_THAT(completed, ElementsAre(true));
  EXPECT_EQ(woke_at, 10u);
  EXPECT_EQ(result.end_ticks, 10u);  // the cancelled timeout does not move the clock to 1000
}

TEST(Time, BlockOnFor_AlreadyCompleteReturnsTrueAtOnce) {
  bool completed = false;
  const RunResult result = RunProgram([&](Kernel& k) {
    const Promise<int> answer = k.MakePromise<int>("answer");
    answer.Set(1);
    k.Spawn("t", Body([&, answer]() -> Task<> {
              completed = co_await k.BlockOnFor(answer.future(), 50);
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_TRUE(completed);
  EXPECT_EQ(result.end_ticks, 0u);
}

TEST(Time, BlockOnFor_WaitIsBlockingUntilTheTimeout) {
  // While a thread waits with a timeout it does not pump: a message to it stays queued.
  std::vector<std::string> log;
  const RunResult result = RunProgram([&](Kernel& k) {
    const Promise<int> never = k.MakePromise<int>("never");
    const Thread ui =
        k.Spawn("ui", Body([&, never]() -> Task<> {
                  const bool done = co_await k.BlockOnFor(never.future(), 40);
                  log.push_back(absl::StrCat("timed wait ", done ? 1 : 0, " at ", k.now_ticks()));
                  co_await k.RunMessageLoop();
                }),
                kWithQueue);
    k.Spawn("poster", Body([&, ui]() -> Task<> {
              co_await k.Post(ui, "m", [&]() -> Task<> {
                log.push_back(absl::StrCat("m at ", k.now_ticks()));
                co_return;
              });
              co_await k.PostQuit(ui);
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean) << result.violation.report;
  EXPECT_THAT(log, ElementsAre("timed wait 0 at 40", "m at 40"));
}

TEST(Time, Timeouts_ForeverNeverFiresAndTimeNeverGoesBackwards) {
  // A timeout of "forever" (UINT64_MAX) must not wrap around to a due time in the past, nor fire
  // at the end of time: it never fires.
  std::vector<uint64_t> now;
  std::vector<bool> completed;
  const RunResult result = RunProgram([&](Kernel& k) {
    const Promise<int> answer = k.MakePromise<int>("answer");
    const Thread ui =
        k.Spawn("ui", Body([&]() -> Task<> { co_await k.RunMessageLoop(); }), kWithQueue);
    k.Spawn("waiter", Body([&, answer]() -> Task<> {
              co_await k.Sleep(10);
              completed.push_back(co_await k.BlockOnFor(answer.future(), UINT64_MAX));
              now.push_back(k.now_ticks());
            }));
    k.Spawn("worker", Body([&, answer, ui]() -> Task<> {
              co_await k.Sleep(20);
              k.PostDelayed(ui, UINT64_MAX, "never", []() -> Task<> { co_return; });
              co_await k.Sleep(5);
              now.push_back(k.now_ticks());
              answer.Set(1);
              co_await k.PostQuit(ui);
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean) << result.violation.report;
  EXPECT_THAT(completed, ElementsAre(true));
  EXPECT_THAT(now, ElementsAre(25u, 25u));
  EXPECT_EQ(result.end_ticks, 25u);
}

// ---- PostDelayed.

TEST(Time, PostDelayed_DeliversAtTheDueTick) {
  std::vector<std::string> log;
  const RunResult result = RunProgram([&](Kernel& k) {
    const Thread ui =
        k.Spawn("ui", Body([&]() -> Task<> { co_await k.RunMessageLoop(); }), kWithQueue);
    k.PostDelayed(ui, 25, "late", [&, ui]() -> Task<> {
      log.push_back(absl::StrCat("late at ", k.now_ticks()));
      k.PostDelayed(ui, 5, "later", [&, ui]() -> Task<> {
        log.push_back(absl::StrCat("later at ", k.now_ticks()));
        co_await k.PostQuit(ui);
      });
      co_return;
    });
    k.Spawn("early", Body([&, ui]() -> Task<> {
              co_await k.Post(ui, "now", [&]() -> Task<> {
                log.push_back(absl::StrCat("now at ", k.now_ticks()));
                co_return;
              });
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean) << result.violation.report;
  EXPECT_THAT(log, ElementsAre("now at 0", "late at 25", "later at 30"));
  EXPECT_EQ(result.end_ticks, 30u);
}

TEST(Time, PostDelayed_ToAFinishedThreadIsStallAtTheDueTick) {
  const RunResult result = RunProgram([&](Kernel& k) {
    const Thread ui = k.Spawn("ui", Body([&]() -> Task<> { co_return; }), kWithQueue);
    k.PostDelayed(ui, 40, "late", []() -> Task<> { co_return; });
  });
  EXPECT_EQ(result.violation.kind, Verdict::kStall);
  EXPECT_EQ(result.end_ticks, 40u);
  EXPECT_THAT(result.violation.report, HasSubstr("queued for thread ui, which has finished"));
}

TEST(Time, Timers_LimitIsStallNamingTimersMax) {
  KernelLimits limits;
  limits.timers_max = 2;
  const RunResult result = RunProgram(
      [&](Kernel& k) {
        const Thread ui =
            k.Spawn("ui", Body([&]() -> Task<> { co_await k.RunMessageLoop(); }), kWithQueue);
        for (int i = 1; i <= 3; ++i) k.PostDelayed(ui, i, "m", []() -> Task<> { co_return; });
      },
      limits);
  EXPECT_EQ(result.violation.kind, Verdict::kStall);
  EXPECT_EQ(result.violation.place, "timers_max");
}

// ---- Timers due at the same instant.

TEST(Time, SameInstant_BothOrdersOfTwoDelayedPostsAreReachable) {
  std::vector<std::string> order;
  std::set<std::string> orders;
  auto setup = [&](Kernel& k) {
    order.clear();
    const Thread ui =
        k.Spawn("ui", Body([&]() -> Task<> { co_await k.RunMessageLoop(); }), kWithQueue);
    for (const char* name : {"a", "b"}) {
      k.PostDelayed(ui, 10, name, [&, name, ui]() -> Task<> {
        order.push_back(name);
        if (order.size() == 2) co_await k.PostQuit(ui);
      });
    }
  };
  const int runs = ForEverySchedule(
      setup, [&](const RunOutcome& outcome, const std::vector<Decision>& decisions) {
        EXPECT_EQ(outcome.violation.kind, Verdict::kClean);
        EXPECT_EQ(outcome.end_ticks, 10u);
        orders.insert(absl::StrCat(order[0], order[1]));
        int timer_choices = 0;
        for (const Decision& decision : decisions) {
          if (decision.kind == ChoiceKind::kTimer) {
            ++timer_choices;
            EXPECT_EQ(decision.count, 2u);
          }
        }
        EXPECT_EQ(timer_choices, 1);
      });
  EXPECT_EQ(runs, 2);
  EXPECT_THAT(orders, ElementsAre("ab", "ba"));

  std::set<std::string> random_orders;
  for (uint64_t seed = 0; seed < 32; ++seed) {
    RandomStrategy random(seed);
    RunProgram(setup, random);
    random_orders.insert(absl::StrCat(order[0], order[1]));
  }
  EXPECT_THAT(random_orders, ElementsAre("ab", "ba"));
}

TEST(Time, SameInstant_SleepersWakeInEitherOrder) {
  std::vector<std::string> order;
  std::set<std::vector<std::string>> orders;
  ForEverySchedule(
      [&](Kernel& k) {
        order.clear();
        for (const char* name : {"a", "b", "c"}) {
          k.Spawn(name, Body([&]() -> Task<> {
                    co_await k.Sleep(5);
                    order.push_back(k.Current().name());
                  }));
        }
      },
      [&](const RunOutcome& outcome, const std::vector<Decision>&) {
        EXPECT_EQ(outcome.violation.kind, Verdict::kClean);
        EXPECT_EQ(order.size(), 3u);
        orders.insert(order);
      });
  EXPECT_EQ(orders.size(), 6u);  // 3! wake orders, all reachable
}

}  // namespace
}  // namespace wvsim::sim
