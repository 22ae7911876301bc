// WhenAny and Delay (sim/when_any.h): the first future to complete wins; the futures that lost are
// awaited by nobody, so a run whose only unfinished work is a future that lost a race ends clean;
// Delay completes on virtual time, on a timer thread, even while the thread that asked is blocked.
#include "sim/when_any.h"

#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sim/strategies/random.h"
#include "test_programs.h"

namespace wvsim::sim {
namespace {

using testing::Body;
using testing::RunProgram;
using testing::RunResult;

TEST(WhenAny, CompletesWithTheIndexOfTheFirstFutureToComplete) {
  std::vector<std::string> log;
  const RunResult run = RunProgram([&](Kernel& k) {
    const Promise<int> slow = k.MakePromise<int>("slow");
    const Promise<void> fast = k.MakePromise<void>("fast");
    k.Spawn("waiter", Body([&k, &log, slow, fast]() -> Task<> {
              const Future<size_t> first = WhenAny(k, "either", slow.future(), fast.future());
              log.push_back("first " + std::to_string(co_await first));
              slow.Set(7);  // the loser completes later: nothing awaits it, nothing happens
              log.push_back("slow done " + std::to_string(slow.future().Get()));
            }));
    k.Spawn("setter", Body([fast]() -> Task<> {
              fast.Set();
              co_return;
            }));
  });
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  EXPECT_EQ(log, (std::vector<std::string>{"first 1", "slow done 7"}));
}

TEST(WhenAny, AFutureAlreadyCompleteWinsAtOnce) {
  std::vector<size_t> winners;
  const RunResult run = RunProgram([&](Kernel& k) {
    const Promise<int> never = k.MakePromise<int>("never");
    const Promise<int> done = k.MakePromise<int>("done");
    done.Set(1);
    k.Spawn("waiter", Body([&k, &winners, never, done]() -> Task<> {
              const Future<size_t> first = WhenAny(k, "either", never.future(), done.future());
              EXPECT_TRUE(first.done());
              winners.push_back(co_await first);
            }));
  });
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  EXPECT_EQ(winners, (std::vector<size_t>{1}));
}

TEST(WhenAny, AFutureThatLostTheRaceAndNeverCompletesIsNotAStall) {
  // The same wait without the race is a stall: the waiter waits for ever (an await outside a
  // handler is outstanding work, not a blocking wait).
  for (const bool races : {true, false}) {
    const RunResult run = RunProgram([&](Kernel& k) {
      const Promise<int> never = k.MakePromise<int>("never");
      k.Spawn("waiter", Body([&k, never, races]() -> Task<> {
                if (races) {
                  const Future<void> timeout = Delay(k, 100);
                  const Future<size_t> first =
                      WhenAny(k, "never or timeout", never.future(), timeout);
                  const size_t winner = co_await first;
                  EXPECT_EQ(winner, 1u);
                } else {
                  co_await never.future();
                }
              }));
    });
    EXPECT_EQ(run.violation.kind, races ? Verdict::kClean : Verdict::kStall)
        << (races ? "raced: " : "awaited: ") << run.violation.report;
  }
}

TEST(Delay, CompletesAfterItsTicksEvenWhileTheAskingThreadIsBlocked) {
  uint64_t woke_at = 0;
  const RunResult run = RunProgram([&](Kernel& k) {
    k.Spawn("ui", Body([&k, &woke_at]() -> Task<> {
              const Future<void> delay = Delay(k, 250);
              co_await k.BlockOn(delay);  // Task.Delay(250).Wait(): blocks; the timer goes on
              woke_at = k.now_ticks();
            }));
  });
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  EXPECT_EQ(woke_at, 250u);
}

TEST(WhenAny, EveryScheduleOfARaceEndsCleanWithOneWinner) {
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    RandomStrategy random(seed);
    size_t winner = 99;
    const RunResult run = RunProgram(
        [&](Kernel& k) {
          const Promise<int> a = k.MakePromise<int>("a");
          const Promise<int> b = k.MakePromise<int>("b");
          k.Spawn("waiter", Body([&k, &winner, a, b]() -> Task<> {
                    const Future<size_t> first = WhenAny(k, "a or b", a.future(), b.future());
                    winner = co_await first;
                  }));
          k.Spawn("a", Body([&k, a]() -> Task<> {
                    co_await k.Yield();
                    a.Set(1);
                  }));
          k.Spawn("b", Body([&k, b]() -> Task<> {
                    co_await k.Yield();
                    b.Set(2);
                  }));
        },
        random);
    ASSERT_EQ(run.violation.kind, Verdict::kClean)
        << "seed " << seed << ": " << run.violation.report;
    ASSERT_TRUE(winner == 0 || winner == 1) << "seed " << seed;
  }
}

}  // namespace
}  // namespace wvsim::sim
