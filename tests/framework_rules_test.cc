// The framework layer's rules (docs/framework-rules.md F1..F11), one test per documented
// behaviour: where an await resumes, the bounded pool, what a CLR wait, WaitForSingleObject and
// MsgWaitForMultipleObjects each service, Control.Invoke against BeginInvoke, SendMessage's
// delivery points, DoEvents as a watched nested loop, virtual-time cancellation, and the user's
// input as a race the scheduler times.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/framework/clr.h"
#include "model/framework/exceptions.h"
#include "model/framework/form.h"
#include "model/framework/user.h"
#include "model/framework/webview2_control.h"
#include "model/framework/win32.h"
#include "model/verdicts.h"
#include "sim/explorer.h"
#include "sim/model_port.h"
#include "sim/runner.h"
#include "sim/scenario.h"
#include "sim/strategies/random.h"
#include "test_programs.h"
#include "webview2_probe.h"

namespace wvsim::model::framework {
namespace {

using sim::Kernel;
using sim::Task;
using sim::Verdict;
using sim::testing::Body;
using sim::testing::RunProgram;
using sim::testing::RunResult;
using ::testing::HasSubstr;

// A UI thread: a queue and its message loop.
sim::Thread SpawnUi(Kernel& k, std::string name = "ui") {
  return k.Spawn(std::move(name), Body([&k]() -> Task<> { co_await k.RunMessageLoop(); }),
                 {.message_queue = true});
}

// Runs `setup` once with `params`, random choices from `seed`.
RunResult RunWithParams(std::function<void(Kernel&)> setup, sim::ParamValues params,
                        uint64_t seed) {
  const sim::Scenario scenario = sim::testing::MakeScenario(std::move(setup));
  sim::Runner runner(scenario, std::move(params));
  sim::RandomStrategy random(seed);
  random.BeginExecution(0);
  RunResult result;
  static_cast<sim::RunOutcome&>(result) = runner.Run(random, /*traced=*/true);
  return result;
}

// Runs `setup` once with thread_pool_workers = `workers`.
sim::RunOutcome RunWithPool(std::function<void(Kernel&)> setup, int64_t workers) {
  return RunWithParams(std::move(setup), {{kPoolWorkersParam, workers}}, 1);
}

TEST(FrameworkRules, F2_AwaitResumesOnTheCapturedContextUnlessConfigureAwaitFalse) {
  for (const bool capture : {true, false}) {
    std::string ran_on;
    const RunResult run = RunProgram([&](Kernel& k) {
      Clr& clr = Clr::Create(k, Win32::Create(k));
      const sim::Thread ui = SpawnUi(k);
      clr.InstallContext(ui, UiFramework::kWinForms);
      sim::ModelPort(k).Send(ui, "click", [&k, &clr, &ran_on, capture]() -> Task<> {
        const NetTask<void> delay = clr.Delay(10);
        absl::AnyInvocable<Task<int>()> rest = [&k, &ran_on]() -> Task<int> {
          ran_on = k.Current().name();
          co_return 1;
        };
        const NetTask<int> method =
            co_await clr.Await(delay.ConfigureAwait(capture), "M", std::move(rest));
        EXPECT_FALSE(method.IsCompleted());
      });
    });
    EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
    EXPECT_EQ(ran_on, capture ? "ui" : "pool-1");
  }
}

TEST(FrameworkRules, F2_AwaitOfACompletedTaskGoesOnSynchronously) {
  std::vector<std::string> log;
  const RunResult run = RunProgram([&](Kernel& k) {
    Clr& clr = Clr::Create(k, Win32::Create(k));
    const sim::Thread ui = SpawnUi(k);
    clr.InstallContext(ui, UiFramework::kWinForms);
    sim::ModelPort(k).Send(ui, "click", [&k, &clr, &log]() -> Task<> {
      const sim::Promise<int> done = k.MakePromise<int>("done");
      done.Set(5);
      absl::AnyInvocable<Task<int>()> rest = [&k, &log]() -> Task<int> {
        log.push_back("rest on " + k.Current().name());
        co_return 6;
      };
      const NetTask<int> method = co_await clr.Await(
          NetTask<int>(done.future()).ConfigureAwait(true), "M", std::move(rest));
      log.push_back("returned " + std::to_string(method.Get()));
    });
  });
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  EXPECT_EQ(log, (std::vector<std::string>{"rest on ui", "returned 6"}));
}

// A blocking item, then a quick one, on a pool of `workers`; main waits for the quick one, then
// releases the blocking one (when `releases`) and waits for it too.
sim::RunOutcome BlockerThenQuick(int64_t workers, bool releases) {
  return RunWithPool(
      [releases](Kernel& k) {
        Clr& clr = Clr::Create(k, Win32::Create(k));
        k.Spawn("main", Body([&k, &clr, releases]() -> Task<> {
                  const sim::Promise<void> release = k.MakePromise<void>("release");
                  absl::AnyInvocable<Task<>()> blocker = [&k, release]() -> Task<> {
                    co_await k.BlockOn(release.future());
                  };
                  absl::AnyInvocable<Task<>()> quick = []() -> Task<> { co_return; };
                  const NetTask<void> first = co_await clr.Run<void>("blocker", std::move(blocker));
                  const NetTask<void> second = co_await clr.Run<void>("quick", std::move(quick));
                  co_await clr.Wait(second);
                  if (!releases) co_return;
                  release.Set();
                  co_await clr.Wait(first);
                }));
      },
      workers);
}

TEST(FrameworkRules, F3_ThePoolIsBoundedAndWorkWaitingForAWorkerSaysSo) {
  // One worker, blocked by the first item: the second waits in the pool's queue, and the thread
  // waiting for its task is told so.
  const sim::RunOutcome starved = BlockerThenQuick(1, false);
  EXPECT_EQ(starved.violation.kind, Verdict::kDeadlock);
  EXPECT_THAT(starved.violation.report, HasSubstr("waits in the thread pool's queue"));
  EXPECT_THAT(starved.violation.report, HasSubstr("thread_pool_workers=1"));
  // With two workers the quick item gets its own.
  const sim::RunOutcome two = BlockerThenQuick(2, true);
  EXPECT_EQ(two.violation.kind, Verdict::kClean) << two.violation.report;
}

// A worker that completes `task` after reaching the UI thread by a sent or a posted message.
void CompleteThroughUi(Kernel& k, Win32& win32, sim::Thread ui, sim::Promise<void> task,
                       bool sends) {
  k.Spawn("worker", Body([&k, &win32, ui, task, sends]() -> Task<> {
            absl::AnyInvocable<Task<>()> set = [task]() -> Task<> {
              task.Set();
              co_return;
            };
            if (sends) {
              co_await win32.SendMessage(ui, "WM_APP", std::move(set));
            } else {
              co_await win32.PostMessage(ui, "WM_APP", std::move(set));
            }
            co_await k.Yield();
          }));
}

enum class UiWait { kClrResult, kWaitForSingleObject, kMsgWait };

RunResult UiWaitsForWorker(UiWait wait, bool sends) {
  return RunProgram([wait, sends](Kernel& k) {
    Win32& win32 = Win32::Create(k);
    Clr& clr = Clr::Create(k, win32);
    const sim::Thread ui = SpawnUi(k);
    clr.InstallContext(ui, UiFramework::kWinForms);
    const sim::Promise<void> task = k.MakePromise<void>("work");
    sim::ModelPort(k).Send(ui, "click", [&clr, &win32, task, wait]() -> Task<> {
      switch (wait) {
        case UiWait::kClrResult:
          co_await clr.Result(NetTask<void>(task.future()));
          break;
        case UiWait::kWaitForSingleObject:
          co_await win32.WaitForSingleObject(task.future());
          break;
        case UiWait::kMsgWait:
          co_await win32.MsgWaitForMultipleObjects(task.future());
          break;
      }
    });
    CompleteThroughUi(k, win32, ui, task, sends);
  });
}

TEST(FrameworkRules, F4_AClrWaitOnAnStaServicesSentMessagesNotPostedOnes) {
  const RunResult sent = UiWaitsForWorker(UiWait::kClrResult, true);
  EXPECT_EQ(sent.violation.kind, Verdict::kClean) << sent.violation.report;
  const RunResult posted = UiWaitsForWorker(UiWait::kClrResult, false);
  EXPECT_EQ(posted.violation.kind, Verdict::kDeadlock);
  EXPECT_THAT(posted.violation.place, HasSubstr("ui Task.Result(work)"));
}

TEST(FrameworkRules, F8_WaitForSingleObjectServicesNothingAndNamesTheSender) {
  for (const bool sends : {true, false}) {
    const RunResult run = UiWaitsForWorker(UiWait::kWaitForSingleObject, sends);
    EXPECT_EQ(run.violation.kind, Verdict::kDeadlock) << run.violation.report;
    if (sends) {
      EXPECT_THAT(run.violation.report, HasSubstr("worker is blocked in SendMessage(WM_APP)"));
      EXPECT_THAT(run.violation.report, HasSubstr("the message was sent to thread ui"));
    }
  }
}

TEST(FrameworkRules, F8_MsgWaitForMultipleObjectsDispatchesPostedAndSentMessages) {
  for (const bool sends : {true, false}) {
    const RunResult run = UiWaitsForWorker(UiWait::kMsgWait, sends);
    EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  }
}

TEST(FrameworkRules, F7_ASentMessageRunsOnTheReceiverAndTheSenderWaitsForIt) {
  sim::testing::ForEverySchedule(
      [](Kernel& k) {
        Win32& win32 = Win32::Create(k);
        const sim::Thread ui = SpawnUi(k);
        std::vector<std::string>& log = k.Make<std::vector<std::string>>();
        k.Spawn("worker", Body([&k, &win32, ui, &log]() -> Task<> {
                  absl::AnyInvocable<Task<>()> handler = [&k, &log]() -> Task<> {
                    log.push_back("handled on " + k.Current().name());
                    co_return;
                  };
                  co_await win32.SendMessage(ui, "WM_APP", std::move(handler));
                  log.push_back("sender goes on");
                  EXPECT_EQ(log, (std::vector<std::string>{"handled on ui", "sender goes on"}));
                }));
      },
      [](const sim::RunOutcome& outcome) {
        EXPECT_EQ(outcome.violation.kind, Verdict::kClean) << outcome.violation.report;
      });
}

TEST(FrameworkRules, F5_InvokeWaitsForTheUiThreadBeginInvokeDoesNot) {
  for (const bool invokes : {true, false}) {
    int delegate_first = 0;
    int runs = sim::testing::ForEverySchedule(
        [invokes, &delegate_first](Kernel& k) {
          Clr& clr = Clr::Create(k, Win32::Create(k));
          const sim::Thread ui = SpawnUi(k);
          SynchronizationContext& context = clr.InstallContext(ui, UiFramework::kWinForms);
          bool& ran = k.Make<bool>(false);
          k.Spawn("worker", Body([&k, &clr, &context, &ran, invokes, &delegate_first]() -> Task<> {
                    absl::AnyInvocable<Task<>()> work = [&k, &ran]() -> Task<> {
                      EXPECT_EQ(k.Current().name(), "ui");
                      ran = true;
                      co_return;
                    };
                    if (invokes) {
                      co_await clr.Invoke(context, "update", std::move(work));
                    } else {
                      co_await clr.BeginInvoke(context, "update", std::move(work));
                    }
                    if (ran) ++delegate_first;
                  }));
        },
        [](const sim::RunOutcome& outcome) {
          EXPECT_EQ(outcome.violation.kind, Verdict::kClean) << outcome.violation.report;
        });
    if (invokes) {
      EXPECT_EQ(delegate_first, runs);  // Invoke returns only after the delegate ran
    } else {
      EXPECT_LT(delegate_first, runs);  // BeginInvoke returns before it, in some schedule
    }
  }
}

TEST(FrameworkRules, F5_InvokeOnTheUiThreadItselfRunsTheDelegateDirectly) {
  std::vector<std::string> log;
  const RunResult run = RunProgram([&](Kernel& k) {
    Clr& clr = Clr::Create(k, Win32::Create(k));
    const sim::Thread ui = SpawnUi(k);
    SynchronizationContext& context = clr.InstallContext(ui, UiFramework::kWpf);
    sim::ModelPort(k).Send(ui, "click", [&clr, &context, &log]() -> Task<> {
      absl::AnyInvocable<Task<>()> work = [&log]() -> Task<> {
        log.push_back("delegate");
        co_return;
      };
      co_await clr.Invoke(context, "update", std::move(work));
      log.push_back("after Dispatcher.Invoke");
    });
  });
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  EXPECT_EQ(log, (std::vector<std::string>{"delegate", "after Dispatcher.Invoke"}));
}

TEST(FrameworkRules, F9_DoEventsDispatchesWhatWasQueuedAndIsAWatchedNestedLoop) {
  std::vector<std::string> log;
  std::vector<std::string> loops;
  const RunResult run = RunProgram([&](Kernel& k) {
    Clr& clr = Clr::Create(k, Win32::Create(k));
    const sim::Thread ui = SpawnUi(k);
    sim::ModelPort port(k);
    port.WatchMessageLoops(
        [&loops](sim::Thread, std::string_view loop) {
          loops.emplace_back(loop);
          return uint64_t{0};
        },
        [](sim::Thread, uint64_t) {});
    port.Send(ui, "click", [&k, &clr, &log, ui]() -> Task<> {
      co_await k.Post(ui, "queued before", [&log]() -> Task<> {
        log.push_back("queued before");
        co_return;
      });
      co_await clr.DoEvents();
      log.push_back("DoEvents returned");
      co_await k.Post(ui, "queued after", [&log]() -> Task<> {
        log.push_back("queued after");
        co_return;
      });
    });
  });
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  EXPECT_EQ(log, (std::vector<std::string>{"queued before", "DoEvents returned", "queued after"}));
  EXPECT_THAT(loops, ::testing::Contains(HasSubstr("Application.DoEvents")));
}

// The run ended with W4's reentrancy.
void ExpectW4Reentrancy(const RunResult& run, uint64_t seed) {
  EXPECT_EQ(run.violation.kind, model::WebViewVerdict::kReentrancy)
      << "seed " << seed << ": " << run.violation.report;
  EXPECT_THAT(run.violation.report, HasSubstr("W4"));
}

// A WebMessageReceived handler that pumps with DoEvents (or Dispatcher.PushFrame until posted
// work ran), or that posts the work instead.
enum class HandlerPumps { kDoEvents, kPushFrame, kNo };

Task<> PumpInMessageHandler(webview2::Probe& p, Clr& clr, HandlerPumps pumps) {
  if (pumps == HandlerPumps::kDoEvents) {
    co_await clr.DoEvents();
  } else if (pumps == HandlerPumps::kPushFrame) {
    const sim::Promise<void> frame_done = p.k->MakePromise<void>("frame");
    co_await p.k->Post(p.ui, "end the frame", [frame_done]() -> Task<> {
      frame_done.Set();
      co_return;
    });
    co_await clr.PushFrame(NetTask<void>(frame_done.future()));
  } else {
    co_await p.rt->Post(p.ui, "refresh", []() -> Task<> { co_return; });
  }
  p.log->push_back("handler done");
}

Task<> MessageHandlerLoad(webview2::Probe& p, Clr& clr, HandlerPumps pumps) {
  co_await webview2::ProbeCreate(p);
  webview2::Probe* probe = &p;
  co_await p.webview->add_WebMessageReceived(
      [probe, &clr, pumps](webview2::WebMessageReceivedEventArgs&) {
        return PumpInMessageHandler(*probe, clr, pumps);
      });
  co_await p.webview->Navigate(webview2::kPage);
}

TEST(FrameworkRules, F9_DoEventsAndPushFrameInAWebView2HandlerAreReentrancy) {
  for (const HandlerPumps pumps :
       {HandlerPumps::kDoEvents, HandlerPumps::kPushFrame, HandlerPumps::kNo}) {
    for (uint64_t seed = 1; seed <= 20; ++seed) {
      std::vector<std::string> log;
      sim::RandomStrategy random(seed);
      const RunResult run = RunProgram(
          [&](Kernel& k) {
            Clr& clr = Clr::Create(k, Win32::Create(k));
            webview2::Probe& p =
                webview2::MakeProbe(k, &log, [&clr, pumps](webview2::Probe& probe) {
                  return MessageHandlerLoad(probe, clr, pumps);
                });
            p.rt->world().AddPage(webview2::kPage,
                                  webview2::Page{.title = "T", .web_message = "go"});
          },
          random);
      if (pumps == HandlerPumps::kNo) {
        EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
        EXPECT_EQ(log, std::vector<std::string>{"handler done"});
      } else {
        ExpectW4Reentrancy(run, seed);
      }
    }
  }
}

// Form1_Load awaits ExecuteScriptAsync (Clr::AwaitWebView2); its continuation pumps with DoEvents.
Task<> AwaitScriptThenPump(webview2::Probe& p, Clr& clr) {
  co_await webview2::ProbeCreate(p);
  co_await p.webview->Navigate(webview2::kPage);
  webview2::Async<std::string> op = co_await p.webview->ExecuteScriptAsync("document.title");
  webview2::Probe* probe = &p;
  absl::AnyInvocable<Task<>()> rest = [probe, &clr]() -> Task<> {
    co_await clr.DoEvents();
    probe->log->push_back("continued");
  };
  co_await clr.AwaitWebView2<std::string, void>(op, /*continue_on_captured_context=*/true,
                                                "Form1_Load", std::move(rest));
}

TEST(FrameworkRules, F2_W4_AnAwaitedWebView2ContinuationRunsInlineInTheDeliveryOnlyIfSoConfigured) {
  for (const int64_t inline_continuation : {0, 1}) {
    for (uint64_t seed = 1; seed <= 10; ++seed) {
      std::vector<std::string> log;
      const RunResult run = RunWithParams(
          [&](Kernel& k) {
            Clr& clr = Clr::Create(k, Win32::Create(k));
            webview2::Probe& p = webview2::MakeProbe(k, &log, [&clr](webview2::Probe& probe) {
              return AwaitScriptThenPump(probe, clr);
            });
            clr.InstallContext(p.ui, UiFramework::kWinForms);
            p.rt->world().AddPage(webview2::kPage, webview2::Page{.title = "T"});
          },
          {{webview2::kNetContinuationInlineParam, inline_continuation}}, seed);
      if (inline_continuation == 0) {
        // Posted to the context: the delivery returned first, so the loop is in no handler.
        EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
        EXPECT_EQ(log, std::vector<std::string>{"continued"});
      } else {
        // Inline: the continuation is the completion handler's body, and its loop is W4's.
        ExpectW4Reentrancy(run, seed);
      }
    }
  }
}

// The UI thread joins a worker that sends it a message, or posts one and waits for it to run.
TEST(FrameworkRules, F4_ThreadJoinOnAnStaRunsSentMessagesNotPostedOnes) {
  for (const bool sends : {true, false}) {
    std::vector<std::string> log;
    const RunResult run = RunProgram([&](Kernel& k) {
      Win32& win32 = Win32::Create(k);
      Clr& clr = Clr::Create(k, win32);
      const sim::Thread ui = SpawnUi(k);
      sim::ModelPort(k).Send(ui, "Form1_Load", [&k, &clr, &win32, &log, ui, sends]() -> Task<> {
        absl::AnyInvocable<Task<>()> body = [&k, &win32, &log, ui, sends]() -> Task<> {
          absl::AnyInvocable<Task<>()> update = [&log]() -> Task<> {
            log.push_back("ui updated");
            co_return;
          };
          if (sends) {
            co_await win32.SendMessage(ui, "WM_APP_PROGRESS", std::move(update));
          } else {
            const sim::Promise<void> ran = k.MakePromise<void>("posted update");
            co_await win32.PostMessage(ui, "WM_APP_PROGRESS", [&log, ran]() -> Task<> {
              log.push_back("ui updated");
              ran.Set();
              co_return;
            });
            co_await win32.WaitForSingleObject(ran.future());
          }
          log.push_back("worker done");
        };
        const Clr::ClrThread worker = clr.StartThread("worker", std::move(body), /*sta=*/false);
        co_await clr.Join(worker);
        log.push_back("joined");
      });
    });
    if (sends) {
      EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
      EXPECT_EQ(log, (std::vector<std::string>{"ui updated", "worker done", "joined"}));
    } else {
      EXPECT_EQ(run.violation.kind, Verdict::kDeadlock);
      EXPECT_THAT(run.violation.report, HasSubstr("Thread.Join"));
    }
  }
}

TEST(FrameworkRules, F6_CancelAfterAndDelayRunOnVirtualTimeAndWhenAllWaitsForEvery) {
  uint64_t cancelled_at = 0;
  uint64_t all_at = 0;
  const RunResult run = RunProgram([&](Kernel& k) {
    Clr& clr = Clr::Create(k, Win32::Create(k));
    CancellationTokenSource& cts = k.Make<CancellationTokenSource>(k, "cts");
    cts.CancelAfter(100);
    k.Spawn("main", Body([&k, &clr, &cts, &cancelled_at, &all_at]() -> Task<> {
              co_await cts.TokenAsTask();
              cancelled_at = k.now_ticks();
              EXPECT_THROW(cts.ThrowIfCancellationRequested(), OperationCanceledException);
              const NetTask<void> all = clr.WhenAll(clr.Delay(50), clr.Delay(300));
              co_await all;
              all_at = k.now_ticks();
            }));
  });
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  EXPECT_EQ(cancelled_at, 100u);
  EXPECT_EQ(all_at, 400u);
}

// A handler that logs `what` when the UI thread dispatches it.
using LoggedInput = std::function<absl::AnyInvocable<Task<>()>(std::string what)>;

// One random-walk run (`seed`) of a UI thread and a user whose inputs `declare` adds; `log` gets
// the inputs in the order the UI thread dispatched them.
RunResult RunUser(uint64_t seed, std::vector<std::string>& log,
                  std::function<void(User&, const LoggedInput&)> declare) {
  sim::RandomStrategy random(seed);
  return RunProgram(
      [&log, &declare](Kernel& k) {
        User& user = User::Create(k, SpawnUi(k));
        const LoggedInput logged = [&log](std::string what) -> absl::AnyInvocable<Task<>()> {
          return [&log, what]() -> Task<> {
            log.push_back(what);
            co_return;
          };
        };
        declare(user, logged);
        user.Start();
      },
      random);
}

TEST(FrameworkRules, F10_TheUsersInputsArriveInAnOrderAndAtTimesTheSchedulerChooses) {
  std::set<std::string> firsts;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    std::vector<std::string> log;
    const RunResult run = RunUser(seed, log, [](User& user, const LoggedInput& logged) {
      user.Click("button1", 2, logged("click"));
      user.PressKey("textBox1", "Enter", 1, logged("key"));
      user.Resize("Form1", 1, logged("resize"));
    });
    EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
    ASSERT_EQ(log.size(), 4u) << "seed " << seed;
    EXPECT_EQ(std::count(log.begin(), log.end(), "click"), 2);
    firsts.insert(log.front());
    bool labelled = false;
    for (const sim::Decision& decision : run.decisions) {
      labelled = labelled || decision.label.find("user: which input comes next") == 0;
    }
    EXPECT_TRUE(labelled) << "seed " << seed;
  }
  EXPECT_EQ(firsts, (std::set<std::string>{"click", "key", "resize"}));
}

TEST(FrameworkRules, F10_NothingComesAfterTheUserClosedTheWindow) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    std::vector<std::string> log;
    const RunResult run = RunUser(seed, log, [](User& user, const LoggedInput& logged) {
      user.Click("button1", 3, logged("click"));
      user.CloseWindow("Form1", logged("close"));
    });
    EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log.back(), "close") << "seed " << seed;
    EXPECT_EQ(std::count(log.begin(), log.end(), "close"), 1);
  }
}

TEST(FrameworkRules, F11_FormClosingMayCancelOtherwiseTheControlsAreDisposed) {
  for (const bool cancels : {true, false}) {
    std::vector<std::string> log;
    bool form_disposed = false;
    bool control_disposed = false;
    const RunResult run = RunProgram([&](Kernel& k) {
      webview2::Runtime& runtime = webview2::Runtime::Create(k);
      const sim::Thread ui = SpawnUi(k);
      WebView2Control& control = k.Make<WebView2Control>(runtime, ui, "webView21");
      Form& form = k.Make<Form>("Form1");
      form.AddControl(control);
      form.add_FormClosing([&log](FormClosingEventArgs&) -> Task<> {
        log.push_back("first");
        co_return;
      });
      form.add_FormClosing([&log, cancels](FormClosingEventArgs& e) -> Task<> {
        log.push_back("second");
        e.cancel = cancels;
        co_return;
      });
      sim::ModelPort(k).Send(ui, "close Form1",
                             [&form, &control, &form_disposed, &control_disposed]() -> Task<> {
                               co_await form.Close();
                               form_disposed = form.IsDisposed();
                               control_disposed = control.IsDisposed();
                             });
    });
    EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
    EXPECT_EQ(log, (std::vector<std::string>{"first", "second"}));
    EXPECT_EQ(form_disposed, !cancels);
    EXPECT_EQ(control_disposed, !cancels);
  }
}

// ---- The acceptance scenarios.

const sim::Scenario& Scenario(std::string_view id) { return webview2::Builtin(id); }

TEST(FrameworkScenarios, F10_TheUsersRacesEndWithTheViolationInSomeRunsOnly) {
  for (const char* id : {"wv2.click_before_init", "wv2.close_during_script"}) {
    const sim::Scenario& scenario = Scenario(id);
    absl::StatusOr<sim::ParamValues> params = sim::ResolveParams(scenario, {});
    ASSERT_TRUE(params.ok());
    sim::Runner runner(scenario, *params);
    sim::RandomStrategy random(16);
    int violations = 0;
    constexpr int kRuns = 10'000;
    for (int run = 0; run < kRuns; ++run) {
      random.BeginExecution(run);
      const sim::RunOutcome outcome = runner.Run(random, /*traced=*/false);
      if (outcome.violation.kind != Verdict::kClean) {
        EXPECT_TRUE(scenario.Expects(outcome.violation.kind))
            << id << ": " << outcome.violation.report;
        ++violations;
      }
    }
    EXPECT_GT(violations, 0) << id;
    EXPECT_LT(violations, kRuns) << id;
  }
}

constexpr const char* kBuggy[] = {"wv2.wait_on_captured_context", "wv2.invoke_while_ui_waits",
                                  "wv2.click_before_init", "wv2.close_during_script",
                                  "wv2.send_message_to_waiting_thread"};
constexpr const char* kClean[] = {"wv2.configure_await_false_wait",
                                  "wv2.begin_invoke_while_ui_waits", "wv2.click_awaits_init",
                                  "wv2.close_checked", "wv2.post_message_to_waiting_thread"};

TEST(FrameworkScenarios, EveryBuggyOneIsFoundWithin20000ExecutionsFor20Of20Seeds) {
  for (const char* id : kBuggy) {
    const sim::Scenario& scenario = Scenario(id);
    for (uint64_t seed = 0; seed < 20; ++seed) {
      sim::ExploreConfig config;
      config.strategy = "portfolio";
      config.iterations = 20'000;
      config.seed = seed;
      absl::StatusOr<sim::ExploreResult> result = sim::Explore(scenario, config);
      ASSERT_TRUE(result.ok()) << result.status();
      EXPECT_TRUE(scenario.Expects(result->verdict))
          << id << " seed " << seed << ": " << sim::VerdictName(result->verdict);
      EXPECT_FALSE(result->found.empty()) << id << " seed " << seed;
    }
  }
}

TEST(FrameworkScenarios, CleanTwinsStayClean) {
  for (const char* id : kClean) webview2::ExpectClean(id, 20'000);
}

TEST(FrameworkScenarios, DeadlockReportsNameTheCompleter) {
  const struct {
    const char* id;
    const char* completer;
  } cases[] = {
      {"wv2.wait_on_captured_context", "by its WindowsFormsSynchronizationContext"},
      {"wv2.invoke_while_ui_waits", "its delegate is message"},
      {"wv2.send_message_to_waiting_thread", "the message was sent to thread ui"},
  };
  for (const auto& c : cases) {
    const sim::ExploreResult result = webview2::ExploreScenario(c.id, 20'000);
    ASSERT_FALSE(result.found.empty()) << c.id;
    EXPECT_THAT(result.found[0].violation.report, HasSubstr(c.completer)) << c.id;
  }
}

}  // namespace
}  // namespace wvsim::model::framework
