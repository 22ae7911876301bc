// Tests for message queues and waits: Post order, message loops and quit, nested loops, pumping
// waits (PumpUntil) and the quit they keep for the outer loop, blocking waits on work only the own
// pump can run, awaits inside handlers (parked, continued by a message), awaits outside handlers,
// and the verdicts of messages nobody will pump.
#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/builtin_scenarios.h"
#include "sim/strategies/dfs.h"
#include "sim/strategies/random.h"
#include "sim/sync.h"
#include "test_programs.h"

namespace wvsim::sim {
namespace {

using testing::Body;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using testing::RunProgram;
using testing::RunResult;

constexpr ThreadOptions kWithQueue{.message_queue = true};

// A UI thread: runs its message loop, then notes that the loop ended.
Task<> UiThread(Kernel& k, std::vector<std::string>& log) {
  co_await k.RunMessageLoop();
  log.push_back("loop done");
}

// Runs `setup` under `seeds` random schedules and every DFS schedule within `dfs_bound`
// preemptions; `check` sees each outcome. For programs whose observable order must not depend on
// the schedule.
template <typename Setup, typename Check>
void UnderManySchedules(Setup setup, Check check, uint32_t dfs_bound = 2, uint64_t seeds = 50) {
  for (uint64_t seed = 0; seed < seeds; ++seed) {
    RandomStrategy random(seed);
    check(RunProgram(setup, random), absl::StrCat("random seed ", seed));
  }
  DfsStrategy dfs(dfs_bound);
  uint64_t dfs_runs = 0;
  const Scenario scenario = testing::MakeScenario(setup);
  Runner runner(scenario, {});
  for (uint64_t index = 0; dfs.BeginExecution(index) && index < 20000; ++index) {
    RunResult result;
    static_cast<RunOutcome&>(result) = runner.Run(dfs, /*traced=*/false);
    check(result, absl::StrCat("dfs execution ", index));
    ++dfs_runs;
  }
  EXPECT_TRUE(dfs.exhausted());
  EXPECT_GE(dfs_runs, 2u);
}

// ---- Post and the message loop.

TEST(Messages, Post_DeliversInFifoOrderAndReturnsAscendingIds) {
  std::vector<std::string> log;
  std::vector<uint64_t> ids;
  auto setup = [&](Kernel& k) {
    log.clear();
    ids.clear();
    const Thread ui = k.Spawn("ui", UiThread(k, log), kWithQueue);
    k.Spawn("poster", Body([&, ui]() -> Task<> {
              for (int i = 0; i < 6; ++i) {
                ids.push_back(co_await k.Post(ui, absl::StrCat("m", i), [&log, i]() -> Task<> {
                  log.push_back(absl::StrCat("m", i));
                  co_return;
                }));
              }
              co_await k.PostQuit(ui);
            }));
  };
  UnderManySchedules(setup, [&](const RunResult& result, const std::string& where) {
    ASSERT_EQ(result.violation.kind, Verdict::kClean) << where << ": " << result.violation.report;
    EXPECT_THAT(log, ElementsAre("m0", "m1", "m2", "m3", "m4", "m5", "loop done")) << where;
    EXPECT_THAT(ids, ElementsAre(1u, 2u, 3u, 4u, 5u, 6u)) << where;
  });
}

TEST(Messages, Post_KeepsEachSendersOrderAcrossSenders) {
  std::set<std::vector<std::string>> orders;
  std::vector<std::string> log;
  auto setup = [&](Kernel& k) {
    log.clear();
    const Thread ui = k.Spawn("ui", UiThread(k, log), kWithQueue);
    Semaphore& sent = k.Make<Semaphore>("sent", 0);
    for (const char* sender : {"a", "b"}) {
      k.Spawn(sender, Body([&, ui, sender]() -> Task<> {
                for (int i = 0; i < 2; ++i) {
                  const std::string label = absl::StrCat(sender, i);
                  // Named, not a temporary in the co_await: g++ 12 destroys a temporary closure
                  // that holds a std::string by value inside a co_await expression wrongly.
                  auto handler = [&log, label]() -> Task<> {
                    log.push_back(label);
                    co_return;
                  };
                  co_await k.Post(ui, label, std::move(handler));
                }
                co_await sent.Release();
              }));
    }
    k.Spawn("closer", Body([&, ui]() -> Task<> {
              co_await sent.Acquire();
              co_await sent.Acquire();
              co_await k.PostQuit(ui);
            }));
  };
  UnderManySchedules(
      setup,
      [&](const RunResult& result, const std::string& where) {
        ASSERT_EQ(result.violation.kind, Verdict::kClean) << where;
        ASSERT_EQ(log.size(), 5u);
        auto position = [&](const std::string& label) {
          return std::find(log.begin(), log.end(), label) - log.begin();
        };
        EXPECT_LT(position("a0"), position("a1")) << where;
        EXPECT_LT(position("b0"), position("b1")) << where;
        orders.insert(log);
      },
      /*dfs_bound=*/1);
  EXPECT_EQ(orders.size(), 6u);  // every interleaving of two ordered pairs is reachable
}

TEST(Messages, Handler_RunsOnTheTargetThread) {
  std::vector<std::string> ran_on;
  const RunResult result = RunProgram([&](Kernel& k) {
    const Thread ui = k.Spawn("ui", UiThread(k, ran_on), kWithQueue);
    k.Spawn("poster", Body([&, ui]() -> Task<> {
              co_await k.Post(ui, "which", [&]() -> Task<> {
                ran_on.push_back(k.Current().name());
                co_return;
              });
              co_await k.PostQuit(ui);
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(ran_on, ElementsAre("ui", "loop done"));
  EXPECT_THAT(result.trace, HasSubstr("dispatch #1 which"));
}

TEST(Messages, Quit_MessagesLeftBehindTheQuitAreAStall) {
  std::vector<std::string> log;
  const RunResult result = RunProgram([&](Kernel& k) {
    const Thread ui = k.Spawn("ui", UiThread(k, log), kWithQueue);
    k.Spawn("poster", Body([&, ui]() -> Task<> {
              co_await k.PostQuit(ui);
              co_await k.Post(ui, "orphan", [&log]() -> Task<> {
                log.push_back("orphan");
                co_return;
              });
            }));
  });
  EXPECT_THAT(log, ElementsAre("loop done"));
  EXPECT_EQ(result.violation.kind, Verdict::kStall);
  EXPECT_THAT(
      result.violation.report,
      HasSubstr("1 message(s) queued for thread ui, which has finished (first: #2 orphan)"));
}

TEST(Messages, Post_ToAThreadWithoutAQueueIsAssertion) {
  const RunResult result = RunProgram([&](Kernel& k) {
    const Thread worker = k.Spawn("worker", Body([&]() -> Task<> { co_await k.Yield(); }));
    k.Spawn("poster", Body([&, worker]() -> Task<> {
              co_await k.Post(worker, "job", []() -> Task<> { co_return; });
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kAssertion);
  EXPECT_EQ(result.violation.place, "post to worker");
  EXPECT_THAT(result.violation.report, HasSubstr("posted 'job' to thread worker"));
  EXPECT_THAT(result.violation.report, HasSubstr("has no message queue"));

  const RunResult quit = RunProgram([&](Kernel& k) {
    const Thread worker = k.Spawn("worker", Body([&]() -> Task<> { co_return; }));
    k.Spawn("poster", Body([&, worker]() -> Task<> { co_await k.PostQuit(worker); }));
  });
  EXPECT_EQ(quit.violation.kind, Verdict::kAssertion);
}

TEST(Messages, QueueDepth_LimitIsStallNamingQueueDepthMax) {
  KernelLimits limits;
  limits.queue_depth_max = 3;
  int posted = 0;
  const RunResult result = RunProgram(
      [&](Kernel& k) {
        const Thread ui = k.Spawn("ui", Body([&]() -> Task<> { co_return; }), kWithQueue);
        k.Spawn("flood", Body([&, ui]() -> Task<> {
                  for (int i = 0; i < 10; ++i) {
                    if (co_await k.Post(ui, "m", []() -> Task<> { co_return; }) != 0) ++posted;
                  }
                }));
      },
      limits);
  EXPECT_EQ(posted, 3);
  EXPECT_EQ(result.violation.kind, Verdict::kStall);
  EXPECT_EQ(result.violation.place, "queue_depth_max");
  EXPECT_THAT(result.violation.report, HasSubstr("queue_depth_max"));
  EXPECT_THAT(result.violation.report, HasSubstr("queue of thread ui is full: 3 messages"));
}

TEST(Messages, Handler_ExceptionEscapingIsExceptionVerdict) {
  const RunResult result = RunProgram([&](Kernel& k) {
    const Thread ui =
        k.Spawn("ui", Body([&]() -> Task<> { co_await k.RunMessageLoop(); }), kWithQueue);
    k.Spawn("poster", Body([&, ui]() -> Task<> {
              co_await k.Post(ui, "bad", []() -> Task<> {
                throw std::runtime_error("handler failed");
                co_return;
              });
              co_await k.PostQuit(ui);
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kException);
  EXPECT_EQ(result.violation.place, "thread ui");
  EXPECT_THAT(result.violation.report, HasSubstr("handler failed"));
}

// ---- Nested loops.

TEST(Messages, NestedLoop_InAHandlerDispatchesOtherMessages) {
  std::vector<std::string> log;
  auto setup = [&](Kernel& k) {
    log.clear();
    const Thread ui = k.Spawn("ui", UiThread(k, log), kWithQueue);
    k.Spawn("input", Body([&, ui]() -> Task<> {
              co_await k.Post(ui, "dialog", [&]() -> Task<> {
                log.push_back("dialog open");
                co_await k.RunMessageLoop();  // a modal loop: a real nested frame on ui
                log.push_back("dialog closed");
              });
              for (const char* tick : {"tick1", "tick2"}) {
                co_await k.Post(ui, tick, [&log, tick]() -> Task<> {
                  log.push_back(tick);
                  co_return;
                });
              }
              co_await k.PostQuit(ui);  // ends the dialog's loop only
              co_await k.Post(ui, "after", [&log]() -> Task<> {
                log.push_back("after");
                co_return;
              });
              co_await k.PostQuit(ui);  // ends the outer loop
            }));
  };
  UnderManySchedules(setup, [&](const RunResult& result, const std::string& where) {
    ASSERT_EQ(result.violation.kind, Verdict::kClean) << where << ": " << result.violation.report;
    EXPECT_THAT(log,
                ElementsAre("dialog open", "tick1", "tick2", "dialog closed", "after", "loop done"))
        << where;
  });
}

// ---- Pumping waits.

TEST(Messages, PumpUntil_DispatchesWhileWaitingAndKeepsTheQuitForTheOuterLoop) {
  std::vector<std::string> log;
  auto setup = [&](Kernel& k) {
    log.clear();
    const Promise<int> result = k.MakePromise<int>("result");
    const Thread ui = k.Spawn("ui", UiThread(k, log), kWithQueue);
    k.Spawn("input", Body([&, ui, result]() -> Task<> {
              co_await k.Post(ui, "wait", [&, result]() -> Task<> {
                log.push_back("wait start");
                const int value = co_await k.PumpUntil(result.future());
                log.push_back(absl::StrCat("wait got ", value));
              });
              co_await k.Post(ui, "m", [&log]() -> Task<> {
                log.push_back("m");
                co_return;
              });
              co_await k.PostQuit(ui);  // reaches the pumping wait, belongs to the outer loop
              co_await k.Post(ui, "complete", [&log, result]() -> Task<> {
                log.push_back("complete");
                result.Set(42);
                co_return;
              });
            }));
  };
  UnderManySchedules(setup, [&](const RunResult& result, const std::string& where) {
    ASSERT_EQ(result.violation.kind, Verdict::kClean) << where << ": " << result.violation.report;
    EXPECT_THAT(log, ElementsAre("wait start", "m", "complete", "wait got 42", "loop done"))
        << where;
  });
}

TEST(Messages, PumpUntil_KeepsEveryQuitItSawForTheLoopsOutside) {
  // Two quits reach a pumping wait inside a dialog's nested loop: one belongs to the dialog's
  // loop, one to the outer loop. Both loops must still end.
  std::vector<std::string> log;
  const RunResult result = RunProgram([&](Kernel& k) {
    const Promise<int> result = k.MakePromise<int>("result");
    const Thread ui = k.Spawn("ui", UiThread(k, log), kWithQueue);
    k.Spawn("input", Body([&, ui, result]() -> Task<> {
              co_await k.Post(ui, "dialog", [&]() -> Task<> {
                co_await k.RunMessageLoop();
                log.push_back("dialog closed");
              });
              co_await k.Post(ui, "wait", [&, result]() -> Task<> {
                (void)co_await k.PumpUntil(result.future());
                log.push_back("wait done");
              });
              co_await k.PostQuit(ui);  // for the dialog's loop
              co_await k.PostQuit(ui);  // for the outer loop
              co_await k.Post(ui, "complete", [result]() -> Task<> {
                result.Set(1);
                co_return;
              });
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean) << result.violation.report;
  EXPECT_THAT(log, ElementsAre("wait done", "dialog closed", "loop done"));
}

TEST(Messages, PumpUntil_AlreadyCompleteReturnsWithoutPumping) {
  std::vector<std::string> log;
  const RunResult result = RunProgram([&](Kernel& k) {
    const Promise<int> done = k.MakePromise<int>("done");
    done.Set(7);
    const Thread ui = k.Spawn("ui", UiThread(k, log), kWithQueue);
    k.Spawn("input", Body([&, ui, done]() -> Task<> {
              co_await k.Post(ui, "wait", [&, done]() -> Task<> {
                log.push_back(absl::StrCat("got ", co_await k.PumpUntil(done.future())));
              });
              co_await k.Post(ui, "m", [&log]() -> Task<> {
                log.push_back("m");
                co_return;
              });
              co_await k.PostQuit(ui);
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(log, ElementsAre("got 7", "m", "loop done"));
}

TEST(Messages, PumpUntil_NeverCompletedIsStallNamingTheWait) {
  const RunResult result = RunProgram([&](Kernel& k) {
    const Promise<int> never = k.MakePromise<int>("never");
    k.Spawn("ui", Body([&, never]() -> Task<> { (void)co_await k.PumpUntil(never.future()); }),
            kWithQueue);
  });
  EXPECT_EQ(result.violation.kind, Verdict::kStall);
  EXPECT_THAT(result.violation.report, HasSubstr("thread ui waits in pump_until(never)"));
  EXPECT_THAT(result.violation.report,
              HasSubstr("no producer was declared for it (Promise::SetProducer)"));
}

TEST(Messages, PumpUntil_OnAThreadWithoutAQueueIsABlockingWait) {
  const RunResult result = RunProgram([&](Kernel& k) {
    const Promise<int> never = k.MakePromise<int>("never");
    k.Spawn("worker", Body([&, never]() -> Task<> { (void)co_await k.PumpUntil(never.future()); }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kDeadlock);
  EXPECT_THAT(result.violation.report, HasSubstr("thread worker is blocked in pump_until(never)"));
}

// ---- Blocking waits.

Task<> Compute(Promise<int> result) {
  result.Set(42);
  co_return;
}

TEST(Messages, BlockOn_WorkOnTheOwnPumpIsDeadlockSayingBlocked) {
  const RunResult result = RunProgram([&](Kernel& k) {
    const Promise<int> answer = k.MakePromise<int>("answer");
    const Thread ui =
        k.Spawn("ui", Body([&]() -> Task<> { co_await k.RunMessageLoop(); }), kWithQueue);
    k.Spawn("input", Body([&, ui, answer]() -> Task<> {
              co_await k.Post(ui, "click", [&, answer]() -> Task<> {
                const Thread self = k.Current();
                const uint64_t id =
                    co_await k.Post(self, "compute", [answer] { return Compute(answer); });
                answer.SetProducer(self, absl::StrCat("message #", id, " on thread ui sets it"));
                (void)co_await k.BlockOn(answer.future());
              });
            }));
  });
  ASSERT_EQ(result.violation.kind, Verdict::kDeadlock);
  EXPECT_THAT(result.violation.report, HasSubstr("blocked"));
  EXPECT_THAT(result.violation.report, HasSubstr("thread ui is blocked in block_on(answer)"));
  EXPECT_THAT(result.violation.report, HasSubstr("message #2 on thread ui sets it"));
  EXPECT_THAT(result.violation.report, HasSubstr("itself"));
}

TEST(Messages, BlockOn_BuiltinScenarioDeadlocksUnderEverySchedule) {
  model::RegisterBuiltinScenarios();
  const Scenario* scenario = ScenarioRegistry::Global().Find("sim.blocking_wait_on_own_pump");
  ASSERT_NE(scenario, nullptr);
  Runner runner(*scenario, {{"fault_budget", 0}});
  DfsStrategy dfs(100);
  int runs = 0;
  for (uint64_t index = 0; dfs.BeginExecution(index); ++index, ++runs) {
    const RunOutcome outcome = runner.Run(dfs, false);
    EXPECT_EQ(outcome.violation.kind, Verdict::kDeadlock);
    EXPECT_THAT(outcome.violation.report, HasSubstr("blocked"));
  }
  EXPECT_GE(runs, 1);
}

TEST(Messages, BlockOn_CompletedByAnotherThreadReturnsTheValue) {
  std::vector<int> values;
  UnderManySchedules(
      [&](Kernel& k) {
        values.clear();
        const Promise<int> answer = k.MakePromise<int>("answer");
        k.Spawn("waiter", Body([&, answer]() -> Task<> {
                  values.push_back(co_await k.BlockOn(answer.future()));
                }));
        k.Spawn("worker", Body([&, answer]() -> Task<> {
                  co_await k.Yield();
                  answer.Set(9);
                }));
      },
      [&](const RunResult& result, const std::string& where) {
        EXPECT_EQ(result.violation.kind, Verdict::kClean) << where;
        EXPECT_THAT(values, ElementsAre(9)) << where;
      });
}

TEST(Messages, BlockOn_FailedFutureRethrows) {
  std::string caught;
  const RunResult result = RunProgram([&](Kernel& k) {
    const Promise<int> answer = k.MakePromise<int>("answer");
    answer.Fail(std::make_exception_ptr(std::runtime_error("network down")));
    k.Spawn("waiter", Body([&, answer]() -> Task<> {
              try {
                (void)co_await k.BlockOn(answer.future());
              } catch (const std::runtime_error& e) {
                caught = e.what();
              }
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(caught, "network down");
}

// ---- Awaits.

// A handler that awaits `response` after telling `parked` it is about to.
Task<> FetchHandler(Kernel& k, std::vector<std::string>& log, Event& parked, Future<int> response) {
  log.push_back("fetch start on " + k.Current().name());
  co_await parked.Set();  // the await below runs in the same step: no one sees the gap
  const int value = co_await response;
  log.push_back(absl::StrCat("fetch resumed on ", k.Current().name(), " with ", value));
  co_await k.PostQuit(k.Current());
}

TEST(Messages, Await_InAHandlerParksItAndTheContinuationComesAsAMessage) {
  std::vector<std::string> log;
  auto setup = [&](Kernel& k) {
    log.clear();
    const Promise<int> response = k.MakePromise<int>("response");
    Event& parked = k.Make<Event>("parked", Event::Reset::kManual);
    const Thread ui = k.Spawn("ui", UiThread(k, log), kWithQueue);
    k.Spawn("input", Body([&, ui, response]() -> Task<> {
              co_await k.Post(ui, "fetch", [&, response] {
                return FetchHandler(k, log, parked, response.future());
              });
              co_await parked.Wait();
              // The handler is parked and the pump goes on: this message is queued before the
              // completion, so it runs before the continuation.
              co_await k.Post(ui, "other", [&]() -> Task<> {
                log.push_back("other on " + k.Current().name());
                co_return;
              });
              response.Set(42);
            }));
  };
  UnderManySchedules(setup, [&](const RunResult& result, const std::string& where) {
    ASSERT_EQ(result.violation.kind, Verdict::kClean) << where << ": " << result.violation.report;
    EXPECT_THAT(log, ElementsAre("fetch start on ui", "other on ui", "fetch resumed on ui with 42",
                                 "loop done"))
        << where;
  });
  const RunResult traced = RunProgram(setup);
  EXPECT_THAT(traced.trace, HasSubstr("await response (handler parked, the pump goes on)"));
  EXPECT_THAT(traced.trace, HasSubstr("post #3 continuation after response -> ui"));
}

Task<int> AwaitInChild(Future<int> response, std::vector<std::string>& log) {
  log.push_back("child awaits");
  const int value = co_await response;
  log.push_back("child resumed");
  co_return value + 1;
}

TEST(Messages, Await_InAChildOfAHandlerParksTheWholeHandler) {
  std::vector<std::string> log;
  const RunResult result = RunProgram([&](Kernel& k) {
    const Promise<int> response = k.MakePromise<int>("response");
    const Thread ui = k.Spawn("ui", UiThread(k, log), kWithQueue);
    k.Spawn("input", Body([&, ui, response]() -> Task<> {
              co_await k.Post(ui, "fetch", [&, response]() -> Task<> {
                const int value = co_await AwaitInChild(response.future(), log);
                log.push_back(absl::StrCat("handler got ", value));
                co_await k.PostQuit(k.Current());
              });
              // `response` by value: the input thread's closure, which holds it, dies with the
              // thread, before this handler runs.
              co_await k.Post(ui, "other", [&, response]() -> Task<> {
                log.push_back("other");
                response.Set(1);
                co_return;
              });
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean) << result.violation.report;
  EXPECT_THAT(log,
              ElementsAre("child awaits", "other", "child resumed", "handler got 2", "loop done"));
}

TEST(Messages, Await_TwiceInOneHandlerParksTwice) {
  std::vector<std::string> log;
  const RunResult result = RunProgram([&](Kernel& k) {
    const Promise<int> first = k.MakePromise<int>("first");
    const Promise<int> second = k.MakePromise<int>("second");
    const Thread ui = k.Spawn("ui", UiThread(k, log), kWithQueue);
    k.Spawn("input", Body([&, ui, first, second]() -> Task<> {
              co_await k.Post(ui, "fetch", [&, first, second]() -> Task<> {
                const int a = co_await first.future();
                log.push_back("after first");
                const int b = co_await second.future();
                log.push_back(absl::StrCat("after second: ", a + b));
                co_await k.PostQuit(k.Current());
              });
              for (const Promise<int>* promise : {&first, &second}) {
                co_await k.Post(ui, "complete", [&log, p = *promise]() -> Task<> {
                  log.push_back("complete " + p.future().name());
                  p.Set(10);
                  co_return;
                });
              }
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean) << result.violation.report;
  EXPECT_THAT(log, ElementsAre("complete first", "after first", "complete second",
                               "after second: 20", "loop done"));
}

TEST(Messages, Await_OfACompletedFutureDoesNotPark) {
  std::vector<std::string> log;
  const RunResult result = RunProgram([&](Kernel& k) {
    const Promise<int> done = k.MakePromise<int>("done");
    done.Set(3);
    const Thread ui = k.Spawn("ui", UiThread(k, log), kWithQueue);
    k.Spawn("input", Body([&, ui, done]() -> Task<> {
              co_await k.Post(ui, "fetch", [&, done]() -> Task<> {
                log.push_back(absl::StrCat("got ", co_await done.future()));
              });
              co_await k.Post(ui, "other", [&log]() -> Task<> {
                log.push_back("other");
                co_return;
              });
              co_await k.PostQuit(ui);
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(log, ElementsAre("got 3", "other", "loop done"));
  EXPECT_THAT(result.trace, ::testing::Not(HasSubstr("handler parked")));
}

TEST(Messages, Await_FailedFutureRethrowsInTheContinuation) {
  std::vector<std::string> log;
  const RunResult result = RunProgram([&](Kernel& k) {
    const Promise<int> response = k.MakePromise<int>("response");
    const Thread ui = k.Spawn("ui", UiThread(k, log), kWithQueue);
    k.Spawn("input", Body([&, ui, response]() -> Task<> {
              co_await k.Post(ui, "fetch", [&, response]() -> Task<> {
                try {
                  (void)co_await response.future();
                } catch (const std::exception& e) {
                  log.push_back(e.what());
                }
                co_await k.PostQuit(k.Current());
              });
              co_await k.Yield();
              response.Fail(std::make_exception_ptr(std::runtime_error("refused")));
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean) << result.violation.report;
  EXPECT_THAT(log, ElementsAre("refused", "loop done"));
}

TEST(Messages, Await_OutsideAHandlerWaitsOnTheThread) {
  std::vector<int> values;
  UnderManySchedules(
      [&](Kernel& k) {
        values.clear();
        const Promise<int> response = k.MakePromise<int>("response");
        k.Spawn("waiter",
                Body([&, response]() -> Task<> { values.push_back(co_await response.future()); }));
        k.Spawn("worker", Body([&, response]() -> Task<> {
                  co_await k.Yield();
                  response.Set(5);
                }));
      },
      [&](const RunResult& result, const std::string& where) {
        EXPECT_EQ(result.violation.kind, Verdict::kClean) << where;
        EXPECT_THAT(values, ElementsAre(5)) << where;
      });
}

TEST(Messages, Await_OutsideAHandlerNeverCompletedIsStall) {
  const RunResult result = RunProgram([&](Kernel& k) {
    const Promise<int> never = k.MakePromise<int>("never");
    k.Spawn("worker", Body([&, never]() -> Task<> { (void)co_await never.future(); }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kStall);
  EXPECT_EQ(result.violation.place, "outstanding work");
  EXPECT_THAT(result.violation.report, HasSubstr("thread worker waits in await(never)"));
  EXPECT_THAT(result.violation.report,
              HasSubstr("never is not complete, and no producer was declared for it"));
}

TEST(Messages, Await_InAHandlerNeverCompletedIsStall) {
  std::vector<std::string> log;
  const RunResult result = RunProgram([&](Kernel& k) {
    const Promise<int> never = k.MakePromise<int>("never");
    const Thread ui = k.Spawn("ui", UiThread(k, log), kWithQueue);
    k.Spawn("input", Body([&, ui, never]() -> Task<> {
              co_await k.Post(ui, "fetch", [&, never]() -> Task<> {
                (void)co_await never.future();
                log.push_back("resumed");
              });
              co_await k.PostQuit(ui);
            }));
  });
  EXPECT_THAT(log, ElementsAre("loop done"));
  EXPECT_EQ(result.violation.kind, Verdict::kStall);
  EXPECT_THAT(result.violation.report,
              HasSubstr("a handler on thread ui is parked: never is not complete, and no producer "
                        "was declared for it"));
}

TEST(Messages, Await_ContinuationForAFinishedThreadIsStall) {
  std::vector<std::string> log;
  const RunResult result = RunProgram([&](Kernel& k) {
    const Promise<int> response = k.MakePromise<int>("response");
    const Thread ui = k.Spawn("ui", UiThread(k, log), kWithQueue);
    k.Spawn("input", Body([&, ui, response]() -> Task<> {
              co_await k.Post(ui, "fetch", [&, response]() -> Task<> {
                (void)co_await response.future();
                log.push_back("resumed");
              });
              co_await k.PostQuit(ui);
              co_await k.Join(ui);
              response.Set(1);
            }));
  });
  EXPECT_THAT(log, ElementsAre("loop done"));
  EXPECT_EQ(result.violation.kind, Verdict::kStall);
  EXPECT_THAT(result.violation.report, HasSubstr("queued for thread ui, which has finished"));
  EXPECT_THAT(result.violation.report, HasSubstr("continuation after response"));
}

}  // namespace
}  // namespace wvsim::sim

namespace wvsim::sim {
namespace {

TEST(Messages, Cancel_TakesBackAQueuedOrDelayedMessageBeforeItRuns) {
  std::vector<std::string> ran;
  bool cancelled_queued = false;
  bool cancelled_delayed = false;
  bool cancelled_twice = true;
  const auto result = testing::RunProgram([&](Kernel& k) {
    const Thread ui = k.Spawn("ui", testing::Body([&]() -> Task<> { co_await k.RunMessageLoop(); }),
                              {.message_queue = true});
    k.Spawn("poster", testing::Body([&, ui]() -> Task<> {
              auto record = [&ran](const char* what) {
                return [&ran, what]() -> Task<> {
                  ran.push_back(what);
                  co_return;
                };
              };
              const uint64_t delayed = k.PostDelayed(ui, 1000, "delayed", record("delayed"));
              co_await k.Post(ui, "first", record("first"));
              // No scheduling point between the post's enqueue and the cancel: still queued.
              const uint64_t queued = co_await k.Post(ui, "queued", record("queued"));
              cancelled_queued = k.Cancel(ui, queued);
              cancelled_delayed = k.Cancel(ui, delayed);
              cancelled_twice = k.Cancel(ui, delayed);
              co_await k.PostQuit(ui);
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean) << result.violation.report;
  EXPECT_TRUE(cancelled_queued);
  EXPECT_TRUE(cancelled_delayed);
  EXPECT_FALSE(cancelled_twice);
  EXPECT_THAT(ran, ::testing::ElementsAre("first"));
  EXPECT_EQ(result.end_ticks, 0u);  // the cancelled delay no longer moves the clock
}

}  // namespace
}  // namespace wvsim::sim
