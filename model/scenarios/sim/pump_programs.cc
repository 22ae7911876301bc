// Kernel forms of the UI-thread bugs: a thread that waits for work only its own pump can run,
// handlers that await, nested loops, and continuations sent to a thread that stopped pumping.
#include "absl/strings/str_cat.h"
#include "model/scenarios/sim/kernel_scenarios.h"

namespace wvsim::model {

using sim::Future;
using sim::Kernel;
using sim::Promise;
using sim::Task;
using sim::Thread;
using sim::Verdict;

namespace {

constexpr int kAnswer = 42;

Task<> Compute(Promise<int> result) {
  result.Set(kAnswer);
  co_return;
}

// Posts a computation to the calling thread's own queue and returns the future of its result.
Task<Future<int>> PostComputeToSelf(Kernel& kernel) {
  const Promise<int> result = kernel.MakePromise<int>("result");
  const Thread self = kernel.Current();
  const uint64_t id = co_await kernel.Post(self, "compute", [result] { return Compute(result); });
  result.SetProducer(self, absl::StrCat("it is set by message #", id,
                                        " 'compute', queued on thread ", self.name()));
  co_return result.future();
}

enum class WaitStyle { kBlocking, kPumping };

Task<> ClickHandler(Kernel& kernel, WaitStyle style) {
  const Future<int> result = co_await PostComputeToSelf(kernel);
  // Not a conditional expression with a co_await in each branch: g++ 12 can run the wrong one.
  int value = 0;
  if (style == WaitStyle::kBlocking) {
    value = co_await kernel.BlockOn(result);
  } else {
    value = co_await kernel.PumpUntil(result);
  }
  if (value != kAnswer) co_await kernel.Abort(Verdict::kAssertion, "result", "wrong result");
  co_await kernel.PostQuit(kernel.Current());
}

Task<> UiThread(Kernel& kernel) { co_await kernel.RunMessageLoop(); }

Task<> ClickOnce(Kernel& kernel, Thread ui, WaitStyle style) {
  co_await kernel.Post(ui, "click", [&kernel, style] { return ClickHandler(kernel, style); });
}

void OwnPumpSetup(Kernel& kernel, WaitStyle style) {
  const Thread ui = kernel.Spawn("ui", UiThread(kernel), {.message_queue = true});
  kernel.Spawn("input", ClickOnce(kernel, ui, style));
}

// ---- Handlers that await, and where their continuations go.

Task<> FetchHandler(Kernel& kernel, Future<int> response, bool quit_after) {
  const int value = co_await response;  // parks the handler; the pump goes on
  if (value != kAnswer) co_await kernel.Abort(Verdict::kAssertion, "response", "wrong response");
  if (quit_after) co_await kernel.PostQuit(kernel.Current());
}

Task<> Respond(Kernel& kernel, Promise<int> response, Thread wait_for) {
  if (wait_for.valid()) co_await kernel.Join(wait_for);
  co_await kernel.Yield({"respond", &response.future().state()});
  response.Set(kAnswer);
}

Task<> PostFetch(Kernel& kernel, Thread ui, Future<int> response, bool then_quit) {
  co_await kernel.Post(ui, "fetch", [&kernel, response, then_quit] {
    return FetchHandler(kernel, response, /*quit_after=*/!then_quit);
  });
  if (then_quit) co_await kernel.PostQuit(ui);
}

// ---- A modal dialog: a nested loop inside a handler.

struct DialogState {
  bool dialog_open = false;
  int ticks = 0;
  int ticks_in_dialog = 0;
};

Task<> OpenDialog(Kernel& kernel, DialogState& state) {
  state.dialog_open = true;
  co_await kernel.RunMessageLoop();  // dispatches other messages until the dialog's quit
  state.dialog_open = false;
  co_await kernel.PostQuit(kernel.Current());
}

Task<> Tick(DialogState& state) {
  ++state.ticks;
  if (state.dialog_open) ++state.ticks_in_dialog;
  co_return;
}

Task<> DriveDialog(Kernel& kernel, Thread ui, DialogState& state) {
  co_await kernel.Post(ui, "open_dialog", [&kernel, &state] { return OpenDialog(kernel, state); });
  for (int i = 0; i < 2; ++i) co_await kernel.Post(ui, "tick", [&state] { return Tick(state); });
  co_await kernel.PostQuit(ui);  // closes the dialog; the dialog then quits the outer loop
}

}  // namespace

sim::Scenario BlockingWaitOnOwnPumpScenario() {
  return sim::Scenario{
      .id = "sim.blocking_wait_on_own_pump",
      .description = "a handler posts work to its own queue, then blocks waiting for the result",
      .expected = {Verdict::kDeadlock},
      .setup = [](Kernel& kernel) { OwnPumpSetup(kernel, WaitStyle::kBlocking); },
  };
}

sim::Scenario AwaitingOnOwnPumpScenario() {
  return sim::Scenario{
      .id = "sim.awaiting_on_own_pump",
      .description = "the same, but the handler waits with a pumping wait: the work runs",
      .expected = {Verdict::kClean},
      .setup = [](Kernel& kernel) { OwnPumpSetup(kernel, WaitStyle::kPumping); },
  };
}

sim::Scenario AwaitInHandlerScenario() {
  return sim::Scenario{
      .id = "sim.await_in_handler",
      .description = "a handler awaits a worker's result; its continuation comes back as a message",
      .expected = {Verdict::kClean},
      .setup =
          [](Kernel& kernel) {
            const Promise<int> response = kernel.MakePromise<int>("response");
            const Thread ui = kernel.Spawn("ui", UiThread(kernel), {.message_queue = true});
            kernel.Spawn("input", PostFetch(kernel, ui, response.future(), /*then_quit=*/false));
            kernel.Spawn("worker", Respond(kernel, response, Thread()));
          },
  };
}

sim::Scenario NestedLoopDispatchScenario() {
  return sim::Scenario{
      .id = "sim.nested_loop_dispatch",
      .description = "a handler runs a nested loop (a modal dialog) that dispatches other messages",
      .expected = {Verdict::kClean},
      .setup =
          [](Kernel& kernel) {
            auto& state = kernel.Make<DialogState>();
            const Thread ui = kernel.Spawn("ui", UiThread(kernel), {.message_queue = true});
            kernel.Spawn("input", DriveDialog(kernel, ui, state));
            kernel.AddQuiescenceCheck(
                sim::CheckPhase::kFinal, [&state]() -> std::optional<sim::Violation> {
                  if (state.ticks_in_dialog == 2) return std::nullopt;
                  return sim::Violation{Verdict::kAssertion, "ticks",
                                        absl::StrCat(state.ticks_in_dialog,
                                                     " ticks ran inside the dialog, expected 2")};
                });
          },
  };
}

sim::Scenario MessageToFinishedThreadScenario() {
  return sim::Scenario{
      .id = "sim.message_to_finished_thread",
      .description = "a handler awaits; its thread stops pumping before the continuation arrives",
      .expected = {Verdict::kStall},
      .setup =
          [](Kernel& kernel) {
            const Promise<int> response = kernel.MakePromise<int>("response");
            const Thread ui = kernel.Spawn("ui", UiThread(kernel), {.message_queue = true});
            kernel.Spawn("input", PostFetch(kernel, ui, response.future(), /*then_quit=*/true));
            kernel.Spawn("worker", Respond(kernel, response, ui));
          },
  };
}

}  // namespace wvsim::model
