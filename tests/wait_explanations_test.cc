// Deadlock and stall reports for the app's own waits (latches, promises, semaphores): each names
// what would end the wait and where that is. A declared producer (SetProducer) is a wait-for edge
// and its words; without one, the report lists the work not yet run that might end the wait, the
// blocked thread's own queue first.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sim/future.h"
#include "sim/kernel.h"
#include "sim/sync.h"
#include "test_programs.h"

namespace wvsim::sim {
namespace {

using testing::Body;
using ::testing::HasSubstr;
using testing::RunProgram;
using testing::RunResult;

constexpr ThreadOptions kWithQueue{.message_queue = true};

Task<> Pump(Kernel& k) { co_await k.RunMessageLoop(); }

// A handler posts the message that would set the latch to its own thread, then blocks on the
// latch (WaitForSingleObject): the message sits behind the wait that needs it.
TEST(WaitExplanations, LatchSetByAMessageQueuedBehindTheWaitNamesThatMessage) {
  const RunResult run = RunProgram([](Kernel& k) {
    Event& done = k.Make<Event>("done", Event::Reset::kManual);
    const Thread ui = k.Spawn("ui", Pump(k), kWithQueue);
    k.Spawn("input", Body([&k, &done, ui]() -> Task<> {
              co_await k.Post(ui, "button_Click", [&k, &done, ui]() -> Task<> {
                co_await k.Post(ui, "finish_work", [&done]() -> Task<> { co_await done.Set(); });
                co_await done.Wait();
              });
            }));
  });
  EXPECT_EQ(run.violation.kind, Verdict::kDeadlock);
  EXPECT_THAT(run.violation.report,
              HasSubstr("thread ui is blocked in wait(done): event done is not set, and no "
                        "producer was declared for it (Event::SetProducer), and work not run yet "
                        "that might end it: 1 message(s) queued for thread ui itself, which cannot "
                        "run them while it waits here (first: #"));
  EXPECT_THAT(run.violation.report, HasSubstr(" finish_work)"));
}

// Nothing queued, nothing parked: the report says so rather than guess.
TEST(WaitExplanations, AWaitNothingCanEndSaysSo) {
  const RunResult run = RunProgram([](Kernel& k) {
    Semaphore& slots = k.Make<Semaphore>("slots", 0);
    k.Spawn("worker", Body([&slots]() -> Task<> { co_await slots.Acquire(); }));
  });
  EXPECT_EQ(run.violation.kind, Verdict::kDeadlock);
  EXPECT_THAT(run.violation.report,
              HasSubstr("semaphore slots has count 0, and no producer was declared for it "
                        "(Semaphore::SetProducer), and no work that could end it is pending "
                        "anywhere"));
}

// A declared producer is an edge of the wait-for graph: the latch's setter waits for a lock the
// waiter holds, and the report names the cycle and the producer's own words.
TEST(WaitExplanations, ADeclaredProducerClosesTheWaitForCycle) {
  const RunResult run = RunProgram([](Kernel& k) {
    Mutex& settings = k.Make<Mutex>(k, "settings");
    Event& loaded = k.Make<Event>("loaded", Event::Reset::kManual);
    Promise<void>& started = k.Make<Promise<void>>(k.MakePromise<void>("started"));
    const Thread loader = k.Spawn("loader", Body([&]() -> Task<> {
                                    co_await k.BlockOn(started.future());
                                    co_await settings.Lock();
                                    co_await loaded.Set();
                                    co_await settings.Unlock();
                                  }));
    loaded.SetProducer(loader, "the loader sets it after reading the settings under their lock");
    k.Spawn("ui", Body([&]() -> Task<> {
              co_await settings.Lock();
              started.Set();
              co_await loaded.Wait();
              co_await settings.Unlock();
            }));
  });
  EXPECT_EQ(run.violation.kind, Verdict::kDeadlock);
  EXPECT_THAT(run.violation.report,
              HasSubstr("event loaded is not set: the loader sets it after reading the settings "
                        "under their lock, and thread loader is blocked too"));
  EXPECT_THAT(run.violation.report, HasSubstr("wait-for cycle: "));
}

}  // namespace
}  // namespace wvsim::sim
