// Tests for the kernel's core: tasks as child frames, exceptions, scheduling points and steps,
// joins, enabledness, named limits, Fail/Abort, quiescence checks, Choose, and run-to-run reuse.
#include "sim/kernel.h"

#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sim/model_port.h"
#include "sim/stop_request.h"
#include "sim/strategies/random.h"
#include "sim/sync.h"
#include "sim/trace.h"
#include "sim/trace_hash.h"
#include "test_programs.h"

namespace wvsim::sim {
namespace {

using testing::Body;
using ::testing::ElementsAre;
using testing::FirstEnabled;
using ::testing::HasSubstr;
using testing::NonPreemptive;
using testing::RecordingStrategy;
using testing::RoundRobin;
using testing::RunProgram;
using testing::RunResult;

// ---- Task: child frames, values, exceptions, depth.

Task<int> Answer() { co_return 42; }
Task<std::string> Greet(std::string who) { co_return "hello " + who; }
Task<int> Twice(int v) { co_return 2 * (co_await Answer()) + v; }

TEST(Task, Child_ReturnsValues) {
  int answer = 0;
  std::string greeting;
  int nested = 0;
  const RunResult result = RunProgram([&](Kernel& k) {
    k.Spawn("t", Body([&]() -> Task<> {
              answer = co_await Answer();
              greeting = co_await Greet("world");
              nested = co_await Twice(1);
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean) << result.violation.report;
  EXPECT_EQ(answer, 42);
  EXPECT_EQ(greeting, "hello world");
  EXPECT_EQ(nested, 85);
}

Task<std::unique_ptr<int>> MakeBox(int v) { co_return std::make_unique<int>(v); }

TEST(Task, Child_ReturnsMoveOnlyValues) {
  int boxed = 0;
  const RunResult result = RunProgram([&](Kernel& k) {
    k.Spawn("t", Body([&]() -> Task<> {
              std::unique_ptr<int> box = co_await MakeBox(9);
              co_await k.Yield();
              boxed = *box;
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(boxed, 9);
}

Task<> SetFlag(bool& flag) {
  flag = true;
  co_return;
}

TEST(Task, Lazy_RunsOnlyWhenAwaited) {
  bool before_await = true;
  bool after_await = false;
  bool never_awaited = false;
  const RunResult result = RunProgram([&](Kernel& k) {
    k.Spawn("t", Body([&]() -> Task<> {
              bool flag = false;
              Task<> task = SetFlag(flag);
              { Task<> dropped = SetFlag(never_awaited); }
              before_await = flag;
              co_await task;
              after_await = flag;
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_FALSE(before_await);
  EXPECT_TRUE(after_await);
  EXPECT_FALSE(never_awaited);
}

TEST(Task, Child_AwaitIsNotASchedulingPoint) {
  std::string thread_in_child;
  const RunResult result = RunProgram([&](Kernel& k) {
    k.Spawn("t", Body([&]() -> Task<> {
              for (int i = 0; i < 10; ++i) (void)co_await Answer();
              co_await Body([&]() -> Task<> {
                thread_in_child = k.Current().name();
                co_return;
              });
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(result.steps, 1u);  // the start step runs the whole body
  EXPECT_EQ(thread_in_child, "t");
}

Task<int> Throws(Kernel& k, bool after_point) {
  if (after_point) co_await k.Yield();
  throw std::runtime_error("boom");
  co_return 0;
}

TEST(Task, Exception_PropagatesToAwaiter) {
  std::vector<std::string> caught;
  const RunResult result = RunProgram([&](Kernel& k) {
    k.Spawn("t", Body([&]() -> Task<> {
              for (bool after_point : {false, true}) {
                try {
                  (void)co_await Throws(k, after_point);
                  caught.push_back("nothing");
                } catch (const std::runtime_error& e) {
                  caught.push_back(e.what());
                }
              }
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean) << result.violation.report;
  EXPECT_THAT(caught, ElementsAre("boom", "boom"));
}

TEST(Task, Exception_PropagatesThroughSeveralFrames) {
  std::string caught;
  const RunResult result = RunProgram([&](Kernel& k) {
    k.Spawn("t", Body([&]() -> Task<> {
              try {
                co_await Body([&]() -> Task<> {
                  co_await Body([&]() -> Task<> { (void)co_await Throws(k, true); });
                });
              } catch (const std::exception& e) {
                caught = e.what();
              }
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(caught, "boom");
}

TEST(Task, Exception_EscapingThreadBodyIsExceptionVerdict) {
  bool after = false;
  const RunResult result = RunProgram([&](Kernel& k) {
    k.Spawn("other", Body([&]() -> Task<> { co_await k.Yield(); }));
    k.Spawn("worker", Body([&]() -> Task<> {
              co_await k.Yield();
              throw std::runtime_error("disk on fire");
              after = true;
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kException);
  EXPECT_EQ(result.violation.place, "thread worker");
  EXPECT_THAT(result.violation.report, HasSubstr("worker"));
  EXPECT_THAT(result.violation.report, HasSubstr("disk on fire"));
  EXPECT_FALSE(after);
}

TEST(Task, Exception_OfUnknownTypeIsReported) {
  const RunResult result = RunProgram([&](Kernel& k) {
    k.Spawn("t", Body([&]() -> Task<> {
              co_await k.Yield();
              throw 7;
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kException);
  EXPECT_THAT(result.violation.report, HasSubstr("unknown type"));
}

Task<int> Identity(int v) { co_return v; }

TEST(Task, Depth_HundredThousandSequentialChildAwaitsDoNotOverflow) {
  constexpr int kAwaits = 100'000;
  int64_t sum = 0;
  const RunResult result = RunProgram([&](Kernel& k) {
    k.Spawn("t", Body([&]() -> Task<> {
              for (int i = 0; i < kAwaits; ++i) sum += co_await Identity(i);
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean) << result.violation.report;
  EXPECT_EQ(sum, int64_t{kAwaits} * (kAwaits - 1) / 2);
  EXPECT_EQ(result.steps, 1u);
}

Task<int> Recurse(Kernel& k, int depth) {
  if (depth == 0) {
    co_await k.Yield();  // a scheduling point at the bottom of a deep stack of frames
    co_return 0;
  }
  co_return 1 + co_await Recurse(k, depth - 1);
}

TEST(Task, Depth_HundredThousandNestedChildrenDoNotOverflow) {
  constexpr int kDepth = 100'000;
  int depth_seen = 0;
  const RunResult result = RunProgram([&](Kernel& k) {
    k.Spawn("t", Body([&]() -> Task<> { depth_seen = co_await Recurse(k, kDepth); }));
    k.Spawn("u", Body([&]() -> Task<> { co_await k.Yield(); }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean) << result.violation.report;
  EXPECT_EQ(depth_seen, kDepth);
  EXPECT_EQ(result.steps, 4u);
}

TEST(Task, Depth_ManySwitchesBetweenThreadsDoNotOverflow) {
  constexpr int kYields = 20'000;
  int done = 0;
  RandomStrategy random(1);
  KernelLimits limits;
  limits.steps_max = 1'000'000;
  const RunResult result = testing::RunProgram(
      [&](Kernel& k) {
        for (int t = 0; t < 2; ++t) {
          k.Spawn(absl::StrCat("t", t), Body([&]() -> Task<> {
                    for (int i = 0; i < kYields; ++i) co_await k.Yield();
                    ++done;
                  }));
        }
      },
      random, limits, /*traced=*/false);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(done, 2);
  EXPECT_EQ(result.steps, 2u * (kYields + 1));
  EXPECT_GT(result.preemptions, 1000u);
}

// ---- Scheduling points.

Task<> LogAndYield(Kernel& k, std::vector<std::string>& log, int rounds) {
  for (int i = 0; i < rounds; ++i) {
    log.push_back(absl::StrCat(k.Current().name(), ":", i));
    co_await k.Yield();
  }
}

TEST(Scheduling, Steps_StartStepPlusOnePerPoint) {
  std::vector<std::string> log;
  const RunResult result = RunProgram([&](Kernel& k) {
    k.Spawn("a", LogAndYield(k, log, 3));
    k.Spawn("b", LogAndYield(k, log, 3));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(result.steps, 8u);
  ASSERT_EQ(result.decisions.size(), 8u);
  for (const Decision& decision : result.decisions) EXPECT_EQ(decision.kind, ChoiceKind::kThread);
  EXPECT_EQ(result.decisions[0].label, "a start");
  EXPECT_EQ(result.decisions[1].label, "a yield");
}

TEST(Scheduling, Yield_InterleavesThreads) {
  std::vector<std::string> log;
  auto setup = [&](Kernel& k) {
    k.Spawn("a", LogAndYield(k, log, 3));
    k.Spawn("b", LogAndYield(k, log, 3));
  };
  auto round_robin = RoundRobin();
  const RunResult interleaved = RunProgram(setup, round_robin);
  EXPECT_THAT(log, ElementsAre("a:0", "b:0", "a:1", "b:1", "a:2", "b:2"));
  EXPECT_EQ(interleaved.preemptions, 6u);

  log.clear();
  auto serial = NonPreemptive();
  const RunResult sequential = RunProgram(setup, serial);
  EXPECT_THAT(log, ElementsAre("a:0", "a:1", "a:2", "b:0", "b:1", "b:2"));
  EXPECT_EQ(sequential.preemptions, 0u);
}

TEST(Scheduling, Step_RunsAtomicallyBetweenPoints) {
  // Each thread writes two entries between scheduling points; no schedule may split them.
  for (uint64_t seed = 0; seed < 50; ++seed) {
    std::vector<std::string> log;
    RandomStrategy random(seed);
    RunProgram(
        [&](Kernel& k) {
          for (const char* name : {"a", "b", "c"}) {
            k.Spawn(name, Body([&]() -> Task<> {
                      for (int i = 0; i < 3; ++i) {
                        log.push_back(k.Current().name() + "<");
                        log.push_back(k.Current().name() + ">");
                        co_await k.Yield();
                      }
                    }));
          }
        },
        random);
    ASSERT_EQ(log.size(), 18u);
    for (size_t i = 0; i < log.size(); i += 2) {
      EXPECT_EQ(log[i].substr(0, 1), log[i + 1].substr(0, 1)) << "seed " << seed;
    }
  }
}

TEST(Scheduling, Join_WaitsForTheThreadToFinish) {
  for (uint64_t seed = 0; seed < 100; ++seed) {
    std::vector<std::string> log;
    bool finished_at_join = false;
    RandomStrategy random(seed);
    const RunResult result = RunProgram(
        [&](Kernel& k) {
          const Thread worker = k.Spawn("worker", LogAndYield(k, log, 4));
          k.Spawn("joiner", Body([&, worker]() -> Task<> {
                    co_await k.Join(worker);
                    finished_at_join = worker.finished();
                    log.push_back("joined");
                  }));
        },
        random);
    ASSERT_EQ(result.violation.kind, Verdict::kClean);
    EXPECT_TRUE(finished_at_join);
    ASSERT_EQ(log.size(), 5u);
    EXPECT_EQ(log.back(), "joined") << "seed " << seed;
  }
}

TEST(Scheduling, Join_OfThreadThatNeverFinishesIsDeadlock) {
  const RunResult result = RunProgram([&](Kernel& k) {
    Mutex& m = k.Make<Mutex>(k, "m");
    const Thread holder = k.Spawn("holder", Body([&]() -> Task<> {
                                    co_await m.Lock();
                                    co_await m.Lock();  // never returns
                                  }));
    k.Spawn("joiner", Body([&, holder]() -> Task<> { co_await k.Join(holder); }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kDeadlock);
  EXPECT_THAT(result.violation.report, HasSubstr("thread joiner is blocked in join(holder)"));
  EXPECT_THAT(result.violation.report, HasSubstr("thread holder has not finished"));
}

TEST(Scheduling, Lock_ThreadAtHeldMutexIsNotEnabled) {
  auto round_robin = RoundRobin();
  RecordingStrategy recording(round_robin);
  std::vector<std::string> labels;
  const RunResult result = RunProgram(
      [&](Kernel& k) {
        Mutex& m = k.Make<Mutex>(k, "m");
        k.Spawn("t0", Body([&]() -> Task<> {
                  co_await m.Lock();
                  co_await k.Yield();
                  co_await k.Yield();
                  co_await m.Unlock();
                }));
        k.Spawn("t1", Body([&]() -> Task<> {
                  co_await m.Lock();
                  co_await m.Unlock();
                }));
      },
      recording);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  using Set = std::vector<uint32_t>;
  EXPECT_THAT(recording.enabled_sets,
              ElementsAre(Set{0, 1}, Set{0, 1}, Set{0, 1}, Set{0}, Set{0}, Set{0}, Set{1}, Set{1}));
  ASSERT_EQ(result.decisions.size(), 8u);
  EXPECT_EQ(result.decisions[2].label, "t0 lock(m)");
  EXPECT_EQ(result.decisions[6].label, "t1 lock(m)");
}

// A condition set from outside any thread: Kernel::Wait on a user-defined Waitable.
struct Flag final : Object, Waitable {
  Flag() : Object("flag") {}
  bool Ready() const override { return raised; }
  std::string WhyNotReady() const override { return "the flag is down"; }
  bool raised = false;
};

TEST(Scheduling, Wait_OnUserWaitableEnablesOnlyWhenReady) {
  std::vector<std::string> log;
  const RunResult result = RunProgram([&](Kernel& k) {
    Flag& flag = k.Make<Flag>();
    k.Spawn("waiter", Body([&]() -> Task<> {
              co_await k.Wait({"wait_flag", &flag}, flag, WaitKind::kBlocking);
              log.push_back("woke");
            }));
    k.Spawn("raiser", Body([&]() -> Task<> {
              for (int i = 0; i < 3; ++i) {
                log.push_back("raiser");
                co_await k.Yield();
              }
              flag.raised = true;
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(log, ElementsAre("raiser", "raiser", "raiser", "woke"));

  const RunResult stuck = RunProgram([&](Kernel& k) {
    Flag& flag = k.Make<Flag>();
    k.Spawn("waiter", Body([&]() -> Task<> {
              co_await k.Wait({"wait_flag", &flag}, flag, WaitKind::kBlocking);
            }));
  });
  EXPECT_EQ(stuck.violation.kind, Verdict::kDeadlock);
  EXPECT_THAT(stuck.violation.report, HasSubstr("thread waiter is blocked in wait_flag(flag)"));
  EXPECT_THAT(stuck.violation.report, HasSubstr("the flag is down"));
}

TEST(Scheduling, Spawn_FromARunningThreadRunsTheNewThread) {
  std::vector<std::string> log;
  const RunResult result = RunProgram([&](Kernel& k) {
    k.Spawn("parent", Body([&]() -> Task<> {
              const Thread child = k.Spawn("child", LogAndYield(k, log, 2));
              co_await k.Join(child);
              log.push_back("parent joined");
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(log, ElementsAre("child:0", "child:1", "parent joined"));
}

// ---- Named limits.

TEST(Limits, Steps_SpinningProgramIsStallNamingStepsMax) {
  KernelLimits limits;
  limits.steps_max = 1000;
  const RunResult result = RunProgram(
      [&](Kernel& k) {
        k.Spawn("spinner", Body([&]() -> Task<> {
                  for (;;) co_await k.Yield();
                }));
      },
      limits);
  EXPECT_EQ(result.violation.kind, Verdict::kStall);
  EXPECT_EQ(result.violation.place, "steps_max");
  EXPECT_THAT(result.violation.report, HasSubstr("steps_max"));
  EXPECT_THAT(result.violation.report, HasSubstr("1000"));
  EXPECT_EQ(result.steps, 1000u);
}

TEST(Limits, Steps_RunProgramWithinLimitIsClean) {
  KernelLimits limits;
  limits.steps_max = 4;
  std::vector<std::string> log;
  const RunResult result =
      RunProgram([&](Kernel& k) { k.Spawn("a", LogAndYield(k, log, 3)); }, limits);
  EXPECT_EQ(result.violation.kind, Verdict::kClean) << result.violation.report;
  EXPECT_EQ(result.steps, 4u);
}

// The thread limit is the configuration's, not the program's: a run that reaches it stops with a
// configuration error (the CLI's exit 2), never a verdict, and the failed Spawn's handle is
// invalid.
TEST(Limits, Threads_TooManyThreadsIsAConfigurationErrorNamingThreadsMax) {
  KernelLimits limits;
  limits.threads_max = 2;
  bool third_valid = true;
  const RunResult result = RunProgram(
      [&](Kernel& k) {
        k.Spawn("a", Body([&]() -> Task<> { co_return; }));
        k.Spawn("b", Body([&]() -> Task<> { co_return; }));
        third_valid = k.Spawn("c", Body([&]() -> Task<> { co_return; })).valid();
      },
      limits);
  EXPECT_FALSE(third_valid);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(result.configuration_error,
              HasSubstr("spawning thread c would make 3 threads, and a run has at most 2 "
                        "(KernelLimits::threads_max)"));
}

TEST(Limits, Threads_SpawnInsideARunBeyondTheLimitStopsTheRunThere) {
  KernelLimits limits;
  limits.threads_max = 3;
  int spawned = 0;
  const RunResult result = RunProgram(
      [&](Kernel& k) {
        k.Spawn(
            "spawner", Body([&]() -> Task<> {
              for (int i = 0; i < 5; ++i) {
                if (k.Spawn(absl::StrCat("c", i), Body([&]() -> Task<> { co_return; })).valid()) {
                  ++spawned;
                }
                co_await k.Yield();
              }
            }));
      },
      limits);
  // The spawner goes on to its next scheduling point, where the stopped run ends.
  EXPECT_EQ(spawned, 2);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(result.configuration_error, HasSubstr("spawning thread c2 would make 4 threads"));
}

// A stop request (a SIGINT's handler calls RequestStop) ends even a run that would take a
// billion steps within kStopCheckSteps steps, with no verdict.
TEST(Limits, AStopRequestEndsALongRunWithinTheCheckPeriod) {
  KernelLimits limits;
  limits.steps_max = 1'000'000'000;
  const RunResult result = RunProgram(
      [](Kernel& k) {
        k.Spawn("spinner", Body([&k]() -> Task<> {
                  for (uint64_t i = 0;; ++i) {
                    if (i == 10) RequestStop();
                    co_await k.Yield();
                  }
                }));
      },
      limits);
  ClearStopRequest();
  EXPECT_TRUE(result.interrupted);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_LE(result.steps, Kernel::kStopCheckSteps);
  EXPECT_FALSE(StopRequested());
}

// ---- Fail, Abort, quiescence checks.

TEST(Verdicts, Abort_StopsTheThreadAtOnce) {
  bool after = false;
  const RunResult result = RunProgram([&](Kernel& k) {
    k.Spawn("t", Body([&]() -> Task<> {
              co_await k.Abort(Verdict::kAssertion, "sum", "the sum is 3, expected 4");
              after = true;
            }));
  });
  EXPECT_FALSE(after);
  EXPECT_EQ(result.violation.kind, Verdict::kAssertion);
  EXPECT_EQ(result.violation.place, "sum");
  EXPECT_EQ(result.violation.report, "the sum is 3, expected 4");
  EXPECT_THAT(result.trace, HasSubstr("VIOLATION assertion at sum"));
}

TEST(Verdicts, Fail_FirstReportedWinsAndTheRunEnds) {
  int steps_after = 0;
  const RunResult result = RunProgram([&](Kernel& k) {
    k.Spawn("t", Body([&]() -> Task<> {
              k.Fail(Verdict::kAssertion, "first", "first report");
              k.Fail(Verdict::kDeadlock, "second", "second report");
              for (int i = 0; i < 5; ++i) {
                co_await k.Yield();
                ++steps_after;
              }
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kAssertion);
  EXPECT_EQ(result.violation.place, "first");
  EXPECT_EQ(steps_after, 0);
  EXPECT_EQ(result.steps, 1u);
}

TEST(Verdicts, QuiescenceChecks_RunInPhaseOrder) {
  auto failing = [](const char* place) {
    return [place]() -> std::optional<Violation> {
      return Violation{Verdict::kAssertion, place, place};
    };
  };
  const RunResult result = RunProgram([&](Kernel& k) {
    k.Spawn("t", Body([&]() -> Task<> { co_await k.Yield(); }));
    k.AddQuiescenceCheck(CheckPhase::kFinal, failing("final"));
    k.AddQuiescenceCheck(CheckPhase::kLeak, failing("leak"));
    k.AddQuiescenceCheck(CheckPhase::kStall, failing("stall"));
  });
  EXPECT_EQ(result.violation.place, "stall");

  const RunResult passing = RunProgram([&](Kernel& k) {
    k.Spawn("t", Body([&]() -> Task<> { co_return; }));
    k.AddQuiescenceCheck(CheckPhase::kStall, [] { return std::optional<Violation>(); });
    k.AddQuiescenceCheck(CheckPhase::kFinal, failing("final"));
  });
  EXPECT_EQ(passing.violation.place, "final");
}

TEST(Verdicts, QuiescenceChecks_SkippedWhenTheKernelFoundADeadlock) {
  bool checked = false;
  const RunResult result = RunProgram([&](Kernel& k) {
    Event& never = k.Make<Event>("never", Event::Reset::kManual);
    k.Spawn("t", Body([&]() -> Task<> { co_await never.Wait(); }));
    k.AddQuiescenceCheck(CheckPhase::kStall, [&]() -> std::optional<Violation> {
      checked = true;
      return std::nullopt;
    });
  });
  EXPECT_EQ(result.violation.kind, Verdict::kDeadlock);
  EXPECT_FALSE(checked);
}

TEST(Verdicts, Clean_EmptyProgramIsClean) {
  const RunResult result = RunProgram([](Kernel&) {});
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(result.steps, 0u);
  EXPECT_THAT(result.trace, HasSubstr("quiescent: clean"));
}

TEST(Verdicts, WaitingThreads_AreTheNodesAndEdgesOfTheWaitForGraph) {
  auto round_robin = RoundRobin();
  const Scenario scenario = testing::MakeScenario([](Kernel& k) {
    Mutex& a = k.Make<Mutex>(k, "a");
    Mutex& b = k.Make<Mutex>(k, "b");
    k.Spawn("idle_ui", Body([&k]() -> Task<> { co_await k.RunMessageLoop(); }),
            {.message_queue = true});
    k.Spawn("t1", Body([&]() -> Task<> {
              co_await a.Lock();
              co_await b.Lock();
            }));
    k.Spawn("t2", Body([&]() -> Task<> {
              co_await b.Lock();
              co_await a.Lock();
            }));
  });
  Runner runner(scenario, {});
  round_robin.BeginExecution(0);
  const RunOutcome outcome = runner.Run(round_robin, /*traced=*/true);
  ASSERT_EQ(outcome.violation.kind, Verdict::kDeadlock);
  const std::vector<Kernel::WaitingThread> waiting = runner.kernel().WaitingThreads();
  ASSERT_EQ(waiting.size(), 2u);  // the idle message loop is not waiting for anything
  EXPECT_EQ(waiting[0].thread, "t1");
  EXPECT_EQ(waiting[0].operation, "lock(b)");
  EXPECT_EQ(waiting[0].kind, WaitKind::kBlocking);
  EXPECT_EQ(waiting[0].why, "mutex b is held by thread t2");
  EXPECT_EQ(waiting[0].blocker, "t2");
  EXPECT_EQ(waiting[1].thread, "t2");
  EXPECT_EQ(waiting[1].blocker, "t1");
}

// ---- The model port (sim/model_port.h): HasMessageQueue, IsOnStack, IsInInnermostDispatch, Send.

// Hands the awaiting coroutine's own handle back without suspending.
struct OwnFrame {
  std::coroutine_handle<> handle;
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h) noexcept {
    handle = h;
    return false;
  }
  std::coroutine_handle<> await_resume() const noexcept { return handle; }
};

TEST(ModelPort, SeeQueuesAndHandlerFramesAndSendWithoutASchedulingPoint) {
  std::vector<std::string> log;
  std::coroutine_handle<> handler_frame;
  const RunResult result = RunProgram([&](Kernel& k) {
    Thread ui = k.Spawn("ui", Body([&k]() -> Task<> { co_await k.RunMessageLoop(); }),
                        {.message_queue = true});
    k.Spawn("worker", Body([&, ui]() -> Task<> {
              const Thread self = k.Current();
              const ModelPort port(k);
              log.push_back(absl::StrCat("queues ", port.HasMessageQueue(ui), " ",
                                         port.HasMessageQueue(self)));
              const uint64_t steps = k.steps();
              const uint64_t id = port.Send(ui, "handler", [&]() -> Task<> {
                handler_frame = co_await OwnFrame{};
                log.push_back(absl::StrCat(
                    "in handler: on stack ", port.IsOnStack(k.Current(), handler_frame),
                    ", innermost ", port.IsInInnermostDispatch(k.Current(), handler_frame)));
                co_await k.PostQuit(k.Current());
              });
              log.push_back(absl::StrCat("sent #", id, " in the same step ", k.steps() == steps));
              co_await k.Join(ui);
              log.push_back(absl::StrCat("after: on stack ", port.IsOnStack(ui, handler_frame)));
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kClean) << result.violation.report;
  EXPECT_THAT(log, ElementsAre("queues 1 0", "sent #1 in the same step 1",
                               "in handler: on stack 1, innermost 1", "after: on stack 0"));
}

// ---- Choose, params, traces, reuse.

TEST(Kernel, Choose_AsksTheStrategyAndRecordsTheDecision) {
  std::vector<uint32_t> values;
  const uint8_t bytes[] = {7, 200};
  ByteStreamStrategy stream(bytes);
  const RunResult result = RunProgram(
      [&](Kernel& k) {
        k.Spawn("t", Body([&]() -> Task<> {
                  values.push_back(k.Choose(ChoiceKind::kValue, 5, "color"));
                  values.push_back(k.Choose(ChoiceKind::kFault, 1, "crash"));
                  values.push_back(k.Choose(ChoiceKind::kFault, 3, "crash"));
                  co_return;
                }));
      },
      stream);
  EXPECT_THAT(values, ElementsAre(2u, 0u, 2u));
  ASSERT_EQ(result.decisions.size(), 4u);  // the thread's start step, then three choices
  EXPECT_EQ(result.decisions[1], (Decision{ChoiceKind::kValue, 2, 5, "color 2"}));
  EXPECT_EQ(result.decisions[2], (Decision{ChoiceKind::kFault, 0, 1, "crash 0"}));
  EXPECT_EQ(result.decisions[3], (Decision{ChoiceKind::kFault, 2, 3, "crash 2"}));
}

TEST(Kernel, Params_ComeFromTheRunnerWithFallbacks) {
  int64_t budget = -1;
  int64_t missing = -1;
  Scenario scenario = testing::MakeScenario([&](Kernel& k) {
    budget = k.Param("fault_budget");
    missing = k.Param("no_such_param", 17);
  });
  Runner runner(scenario, {{"fault_budget", 3}});
  ByteStreamStrategy first({});
  first.BeginExecution(0);
  runner.Run(first, false);
  EXPECT_EQ(budget, 3);
  EXPECT_EQ(missing, 17);
}

struct Counted {
  explicit Counted(int& destroyed) : destroyed_(destroyed) {}
  ~Counted() { ++destroyed_; }
  int& destroyed_;
};

TEST(Kernel, Reset_ReusesTheKernelAndForgetsTheLastRun) {
  int destroyed = 0;
  std::vector<uint32_t> ids;
  std::vector<uint64_t> hashes;
  Scenario scenario = testing::MakeScenario([&](Kernel& k) {
    k.Make<Counted>(destroyed);
    Mutex& m = k.Make<Mutex>(k, "m");
    for (const char* name : {"a", "b"}) {
      ids.push_back(k.Spawn(name, Body([&]() -> Task<> {
                              co_await m.Lock();
                              co_await k.Yield();
                              co_await m.Unlock();
                            }))
                        .id());
    }
  });
  Runner runner(scenario, {});
  for (int run = 0; run < 3; ++run) {
    RandomStrategy random(5);
    random.BeginExecution(0);
    const RunOutcome outcome = runner.Run(random, /*traced=*/true);
    EXPECT_EQ(outcome.violation.kind, Verdict::kClean);
    hashes.push_back(runner.kernel().TraceHash());
    EXPECT_EQ(destroyed, run);  // the previous run's objects went at this run's Reset
  }
  EXPECT_THAT(ids, ElementsAre(0u, 1u, 0u, 1u, 0u, 1u));
  EXPECT_EQ(hashes[0], hashes[1]);
  EXPECT_EQ(hashes[1], hashes[2]);
}

TEST(Kernel, Trace_HashIdentifiesTheSchedule) {
  std::vector<std::string> log;
  auto setup = [&](Kernel& k) {
    k.Spawn("a", LogAndYield(k, log, 3));
    k.Spawn("b", LogAndYield(k, log, 3));
  };
  auto rr1 = RoundRobin();
  auto rr2 = RoundRobin();
  auto serial = NonPreemptive();
  const RunResult first = RunProgram(setup, rr1);
  const RunResult again = RunProgram(setup, rr2);
  const RunResult other = RunProgram(setup, serial);
  EXPECT_EQ(first.trace, again.trace);
  EXPECT_EQ(first.trace_hash, again.trace_hash);
  EXPECT_NE(first.trace_hash, other.trace_hash);
  EXPECT_THAT(first.trace, HasSubstr("spawn a"));
  EXPECT_THAT(first.trace, HasSubstr("yield"));
}

TEST(Kernel, Trace_EventsSayWhatHappenedInOrder) {
  const Scenario scenario = testing::MakeScenario([](Kernel& k) {
    const Promise<int> response = k.MakePromise<int>("response");
    const Thread ui = k.Spawn("ui", Body([&k]() -> Task<> { co_await k.RunMessageLoop(); }),
                              {.message_queue = true});
    k.Spawn("input", Body([&k, ui, response]() -> Task<> {
              co_await k.Post(ui, "fetch", [&k, response]() -> Task<> {
                (void)co_await response.future();
                co_await k.PostQuit(k.Current());
              });
              co_await k.Sleep(5);
              response.Set(1);
            }));
  });
  Runner runner(scenario, {});
  auto first = FirstEnabled();
  first.BeginExecution(0);
  const RunOutcome outcome = runner.Run(first, /*traced=*/true);
  ASSERT_EQ(outcome.violation.kind, Verdict::kClean);
  const std::vector<TraceEvent>& events = runner.kernel().trace_events();
  std::set<TraceKind> kinds;
  uint64_t last_step = 0;
  uint64_t last_ticks = 0;
  for (const TraceEvent& event : events) {
    kinds.insert(event.kind);
    EXPECT_GE(event.step, last_step);
    EXPECT_GE(event.ticks, last_ticks);
    last_step = event.step;
    last_ticks = event.ticks;
  }
  for (TraceKind kind :
       {TraceKind::kSpawn, TraceKind::kStep, TraceKind::kPost, TraceKind::kDispatch,
        TraceKind::kPark, TraceKind::kHandlerEnd, TraceKind::kQuit, TraceKind::kTimer}) {
    EXPECT_EQ(kinds.count(kind), 1u) << TraceKindName(kind);
  }
  EXPECT_EQ(last_ticks, 5u);
  EXPECT_EQ(std::string(TraceKindName(TraceKind::kHandlerEnd)), "handler_end");
  EXPECT_EQ(runner.kernel().TraceText(), FormatTrace(events));
  EXPECT_EQ(runner.kernel().TraceHash(), HashTrace(runner.kernel().TraceText()));
}

TEST(Kernel, Trace_UntracedRunsRecordChoicesWithoutLabels) {
  std::vector<std::string> log;
  auto first = FirstEnabled();
  const RunResult result = RunProgram(
      [&](Kernel& k) {
        k.Spawn("a", LogAndYield(k, log, 2));
        k.Spawn("b", LogAndYield(k, log, 2));
      },
      first, {}, /*traced=*/false);
  EXPECT_EQ(result.decisions.size(), 6u);
  for (const Decision& decision : result.decisions) EXPECT_TRUE(decision.label.empty());
  EXPECT_TRUE(result.trace.empty());
}

}  // namespace
}  // namespace wvsim::sim

namespace wvsim::sim {
namespace {

TEST(ModelPort, AnInvalidThreadHasNoQueueNoFramesAndASendToItFailsTheRun) {
  const RunResult result = RunProgram([&](Kernel& k) {
    k.Spawn("model", Body([&k]() -> Task<> {
              const ModelPort port(k);
              const Thread none;
              EXPECT_FALSE(port.HasMessageQueue(none));
              EXPECT_FALSE(port.IsOnStack(none, std::coroutine_handle<>()));
              EXPECT_FALSE(port.IsInInnermostDispatch(none, std::coroutine_handle<>()));
              EXPECT_EQ(port.Send(none, "x", [] { return Task<>(); }), 0u);
              co_return;
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kAssertion);
  EXPECT_EQ(result.violation.report, "sent to an invalid thread");
}

TEST(KernelInvalidThread, PostAndJoinOfAFailedSpawnEndWithTheConfigurationError) {
  for (const bool join : {false, true}) {
    Kernel kernel(KernelLimits{.threads_max = 1});
    RandomStrategy random(1);
    random.BeginExecution(0);
    kernel.Reset(&random, false);
    Thread* spawned = &kernel.Make<Thread>();
    kernel.Spawn("main", [](Kernel& k, Thread* other, bool join) -> Task<> {
      if (join) {
        co_await k.Join(*other);
      } else {
        co_await k.Post(*other, "x", [] { return Task<>(); });
      }
    }(kernel, spawned, join));
    *spawned =
        kernel.Spawn("extra", [](Kernel&) -> Task<> { co_return; }(kernel));  // over the limit
    const RunOutcome outcome = kernel.Run();
    EXPECT_EQ(outcome.violation.kind, Verdict::kClean) << outcome.violation.report;
    EXPECT_NE(outcome.configuration_error.find("threads_max"), std::string::npos);
    EXPECT_FALSE(spawned->valid());
  }
}

}  // namespace
}  // namespace wvsim::sim

namespace wvsim::sim {
namespace {

using testing::Body;
using testing::RunProgram;

TEST(KernelMisuse, MessageLoopOnAThreadWithoutAQueueIsAnAssertion) {
  const auto result = RunProgram(
      [](Kernel& k) { k.Spawn("plain", Body([&]() -> Task<> { co_await k.RunMessageLoop(); })); });
  EXPECT_EQ(result.violation.kind, Verdict::kAssertion);
  EXPECT_NE(result.violation.report.find("has no message queue"), std::string::npos);
}

TEST(KernelMisuse, AChoiceWithNoOptionsIsAnAssertionAndRecordsNothing) {
  const auto result = RunProgram([](Kernel& k) {
    k.Spawn("t", Body([&]() -> Task<> {
              k.Choose(ChoiceKind::kValue, 0, "nothing");
              co_return;
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kAssertion);
  for (const Decision& decision : result.decisions) EXPECT_GE(decision.count, 1u);
}

TEST(KernelMisuse, AWaitOfAnyKindThatNeverEndsIsAStallNotClean) {
  static const struct Never final : Waitable {
    bool Ready() const override { return false; }
    std::string WhyNotReady() const override { return "never"; }
  } never;
  for (WaitKind kind : {WaitKind::kNone, WaitKind::kIdle, WaitKind::kSleep, WaitKind::kAwait}) {
    const auto result = RunProgram([kind](Kernel& k) {
      k.Spawn("t", Body([&k, kind]() -> Task<> {
                co_await k.Wait({"wait", nullptr}, never, kind);
              }));
    });
    EXPECT_EQ(result.violation.kind, Verdict::kStall) << static_cast<int>(kind);
  }
}

TEST(KernelMisuse, ASleepForeverIsAStall) {
  const auto result = RunProgram(
      [](Kernel& k) { k.Spawn("t", Body([&]() -> Task<> { co_await k.Sleep(UINT64_MAX); })); });
  EXPECT_EQ(result.violation.kind, Verdict::kStall) << result.violation.report;
}

TEST(KernelMisuse, ABlockingWaitWithAnEndlessTimeoutIsADeadlock) {
  const auto result = RunProgram([](Kernel& k) {
    const Promise<int> never = k.MakePromise<int>("never");
    k.Spawn("t", Body([&k, never]() -> Task<> {
              (void)co_await k.BlockOnFor(never.future(), UINT64_MAX);
            }));
  });
  EXPECT_EQ(result.violation.kind, Verdict::kDeadlock) << result.violation.report;
}

}  // namespace
}  // namespace wvsim::sim

namespace wvsim::sim {
namespace {

TEST(KernelFeatures, DifferentInterleavingsLightDifferentCounters) {
  // The same program under two schedules: one without a preemption, one with.
  auto features = [](Strategy& strategy) {
    std::vector<uint8_t> counters(256, 0);
    const auto result = testing::RunProgram(
        [&counters](Kernel& k) {
          k.SetFeatureCounters(counters.data(), counters.size());
          testing::AbbaProgram(k);
        },
        strategy);
    return std::make_pair(counters, result.violation.kind);
  };
  auto first_enabled = testing::FirstEnabled();
  auto round_robin = testing::RoundRobin();
  const auto [calm, calm_verdict] = features(first_enabled);
  const auto [busy, busy_verdict] = features(round_robin);
  EXPECT_EQ(calm_verdict, Verdict::kClean);
  EXPECT_EQ(busy_verdict, Verdict::kDeadlock);
  EXPECT_GT(std::count_if(calm.begin(), calm.end(), [](uint8_t c) { return c > 0; }), 0);
  EXPECT_NE(calm, busy);
  // The same schedule lights the same counters.
  auto again = testing::FirstEnabled();
  EXPECT_EQ(features(again).first, calm);
}

// Two threads of six shared increments, the first preempted once after `a_steps` of its steps
// (byte-stream decisions: 0 keeps the first thread, 1 hands over to the second).
std::vector<uint8_t> PreemptionFeatures(int a_steps) {
  std::vector<uint8_t> counters(1 << 12, 0);
  std::vector<uint8_t> bytes(static_cast<size_t>(a_steps), 0);
  bytes.push_back(1);
  ByteStreamStrategy strategy(bytes);
  testing::RunProgram(
      [&counters](Kernel& k) {
        k.SetFeatureCounters(counters.data(), counters.size());
        auto& x = k.Make<Shared<int>>("x", 0);
        for (const char* name : {"a", "b"}) {
          k.Spawn(name, testing::Body([&x]() -> Task<> {
                    for (int i = 0; i < 6; ++i) co_await x.FetchAdd(1);
                  }));
        }
      },
      strategy);
  return counters;
}

TEST(KernelFeatures, WhereAPreemptionFallsLightsItsOwnCounter) {
  // Both schedules preempt the same threads as often, in the same order; only where the first
  // preemption falls differs, which the n-th-preemption feature tells apart.
  const std::vector<uint8_t> early = PreemptionFeatures(3);
  const std::vector<uint8_t> late = PreemptionFeatures(5);
  EXPECT_NE(early, late);
  EXPECT_EQ(PreemptionFeatures(3), early);
}

TEST(KernelFeatures, ReleaseRunFreesTheRunButKeepsItsRecord) {
  const Scenario scenario = testing::MakeScenario(testing::AbbaProgram);
  Runner runner(scenario, {});
  auto round_robin = testing::RoundRobin();
  round_robin.BeginExecution(0);
  const RunOutcome first = runner.Run(round_robin, /*traced=*/false);
  const std::vector<Decision> decisions = runner.kernel().Decisions();
  runner.kernel().ReleaseRun();
  runner.kernel().ReleaseRun();  // idempotent: nothing is freed twice
  EXPECT_EQ(runner.kernel().Decisions(), decisions);
  const RunOutcome replayed = runner.Replay(decisions, /*lenient=*/false);
  EXPECT_FALSE(replayed.diverged) << replayed.divergence;
  EXPECT_EQ(replayed.violation.kind, first.violation.kind);
}

}  // namespace
}  // namespace wvsim::sim
