// The handler boundary (boundary.h): W4's bookkeeping of WebView2 handlers on each thread's stack,
// the gate that keeps callbacks serial, nested loops, and W1's apartments.
#include "model/webview2/internal/boundary.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "model/verdicts.h"
#include "model/webview2/hresult.h"
#include "model/webview2/internal/core.h"
#include "model/webview2/planted_defects.h"
#include "model/webview2/runtime.h"

namespace wvsim::model::webview2::internal {

using sim::Thread;

std::string HandlerFrame::What() const {
  return event != nullptr ? std::string(event->Name()) + " handler" : completion;
}

void NoteAwait(Core& core, Thread thread) { core.boundary.NoteAwait(thread); }

Boundary::Boundary(Core& core, sim::Kernel& kernel) : core_(core), kernel_(kernel), port_(kernel) {
  port_.WatchMessageLoops(
      [this](Thread thread, std::string_view loop) { return OnLoopBegin(thread, loop); },
      [this](Thread thread, uint64_t break_id) { OnLoopEnd(thread, break_id); });
}

void Boundary::SetApartment(Thread thread, Apartment apartment) {
  State(thread).apartment = apartment;
}

Apartment Boundary::ApartmentOf(Thread thread) const {
  const uint32_t id = thread.id();
  return id < threads_.size() ? threads_[id].apartment : Apartment::kNone;
}

HandlerFrame* Boundary::WebViewHandlerOnStack(Thread thread) {
  for (auto it = handlers_.rbegin(); it != handlers_.rend(); ++it) {
    HandlerFrame* frame = *it;
    if (frame->thread == thread && !frame->parked && port_.IsOnStack(thread, frame->frame)) {
      return frame;
    }
  }
  return nullptr;
}

void Boundary::NoteAwait(Thread thread) {
  for (HandlerFrame* frame : handlers_) {
    if (frame->thread != thread || frame->parked) continue;
    if (!port_.IsInInnermostDispatch(thread, frame->frame)) continue;
    // The handler leaves the stack: for the runtime it returned (W8).
    frame->parked = true;
    if (frame->event != nullptr) {
      core_.events.NoteReturned(*frame->event);
      core_.events.FinishIfDone(*frame->event);
    }
  }
}

sim::Task<> Boundary::Enter(HandlerFrame& frame) {
  const Thread thread = kernel_.Current();
  frame.thread = thread;
  if (frame.event != nullptr && frame.event->owner != thread) {
    kernel_.Fail(
        WebViewVerdict::kSerialCallbacks, frame.What(),
        absl::StrCat("model self-check (W2): ", frame.What(), " ran on thread ", thread.name(),
                     ", not on the WebView's thread ", frame.event->owner.name()));
  }
  // W4: WebView2 does not dispatch its callbacks re-entrantly; a callback that a nested loop
  // pulls waits until the handler below it returns.
  while (WebViewHandlerOnStack(thread) != nullptr) {
    ThreadState& state = State(thread);
    if (!state.gate_open) {
      state.gate = kernel_.MakePromise<void>("W4 gate: the WebView2 handler below on the stack");
      state.gate.SetProducer(thread, "a WebView2 handler on the stack must return first (W4)");
      state.gate_open = true;
    }
    const sim::Future<void> gate = state.gate.future();
    co_await gate;
  }
  if (HandlerFrame* other = WebViewHandlerOnStack(thread); other != nullptr) {
    kernel_.Fail(WebViewVerdict::kSerialCallbacks, frame.What(),
                 absl::StrCat("model self-check (W4): ", frame.What(), " started while ",
                              other->What(), " is on the stack of thread ", thread.name()));
  }
  handlers_.push_back(&frame);
}

void Boundary::Exit(HandlerFrame& frame) {
  frame.exited = true;
  auto it = std::find(handlers_.begin(), handlers_.end(), &frame);
  if (it != handlers_.end()) handlers_.erase(it);
  ThreadState& state = State(frame.thread);
  if (state.gate_open && WebViewHandlerOnStack(frame.thread) == nullptr) {
    state.gate_open = false;
    state.gate.Set();
  }
}

void Boundary::CatchEscaped(const EventRecord& event, const char* what) {
  // docs/design.md: an exception escaping a WebView2 event handler is caught at the boundary and
  // logged, as the host framework would; the run goes on to report what it left behind.
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat("exception escaped the ", event.Name(),
                             " handler, caught at the WebView2 event boundary: ", what));
  }
}

// ---- W4: nested loops.

uint64_t Boundary::BeginNestedLoop(const std::string& loop) {
  const Thread thread = kernel_.Current();
  State(thread).loop_announced = port_.HasMessageQueue(thread);  // a queue-less wait runs no loop
  return ReportNestedLoop(thread, loop);
}

uint64_t Boundary::OnLoopBegin(Thread thread, std::string_view loop) {
  ThreadState& state = State(thread);
  if (state.loop_announced) {
    state.loop_announced = false;  // the app's own loop helper reported it already
    return 0;
  }
  if (TestOnlyPlantedDefects().kernel_loops_unwatched) return 0;
  if (WebViewHandlerOnStack(thread) == nullptr) return 0;  // the usual case: nothing to build
  return ReportNestedLoop(
      thread, absl::StrCat("a ", absl::string_view(loop.data(), loop.size()),
                           " the app runs with the kernel (RunMessageLoop, PumpUntil)"));
}

void Boundary::OnLoopEnd(Thread thread, uint64_t break_id) {
  // The loop ended before the runtime's timeout: no break (W4).
  if (break_id != 0) kernel_.Cancel(thread, break_id);
}

uint64_t Boundary::ReportNestedLoop(Thread thread, const std::string& loop) {
  HandlerFrame* handler = WebViewHandlerOnStack(thread);
  if (handler == nullptr || TestOnlyPlantedDefects().no_reentrancy_report) return 0;
  if (kernel_.traced()) kernel_.Log(kReentrancyLogText);
  const int64_t break_ms = kernel_.Param(kReentrancyBreakParam, 0);
  if (break_ms > 0) return ArmReentrancyBreak(thread, *handler, loop, break_ms);
  kernel_.Fail(
      WebViewVerdict::kReentrancy, "nested loop in " + handler->What(),
      absl::StrCat("W4: ", loop, " (a nested message loop) started on thread ", thread.name(),
                   " while the ", handler->What(),
                   " is on its stack. WebView2 will not dispatch its callbacks re-entrantly: "
                   "every WebView2 event and completion of this thread waits until the loop "
                   "ends, and a WebView created inside it never finishes initialising. The "
                   "runtime logs \"",
                   kReentrancyLogText,
                   "\". Fix: post the work (SynchronizationContext.Post, PostMessage(WM_APP)) "
                   "so it runs after the handler returns."));
  return 0;
}

namespace {

sim::Task<> ReentrancyBreak(sim::Kernel& kernel, const std::string& place,
                            const std::string& report) {
  // W4: the runtime breaks into the debugger; without one attached, the app crashes.
  kernel.Fail(sim::Verdict::kException, place, report);
  co_return;
}

}  // namespace

uint64_t Boundary::ArmReentrancyBreak(Thread thread, const HandlerFrame& handler,
                                      const std::string& loop, int64_t break_ms) {
  // W4: the runtime does not stop the loop; it breaks (int 3) when the loop is still running
  // some seconds later (the timeout is unconfirmed: the scenario's parameter says how long).
  const std::string& place = kernel_.Make<std::string>("int 3 in " + handler.What());
  const std::string& report = kernel_.Make<std::string>(absl::StrCat(
      "W4: ", loop, " (a nested message loop) started on thread ", thread.name(), " while the ",
      handler.What(), " was on its stack, and was still running ", break_ms,
      " ms later (the runtime's timeout is unconfirmed; this run assumed ",
      std::string(kReentrancyBreakParam), "=", break_ms, "). The runtime logged \"",
      kReentrancyLogText, "\" and broke (int 3, ", DescribeHresult(kStatusBreakpoint),
      "); without a debugger attached, the app crashes. Fix: post the work "
      "(SynchronizationContext.Post, PostMessage(WM_APP)) so it runs after the handler returns."));
  sim::Kernel* kernel = &kernel_;
  return kernel_.PostDelayed(
      thread, static_cast<uint64_t>(break_ms), "W4 int 3",
      [kernel, &place, &report] { return ReentrancyBreak(*kernel, place, report); });
}

void Boundary::EndNestedLoop(uint64_t break_id) {
  // A loop helper whose kernel loop never ran. No thread runs while a run's frames are destroyed.
  if (const Thread thread = kernel_.Current(); thread.valid()) State(thread).loop_announced = false;
  // The loop ended before the runtime's timeout: no break (W4).
  if (break_id != 0) kernel_.Cancel(kernel_.Current(), break_id);
}

}  // namespace wvsim::model::webview2::internal
