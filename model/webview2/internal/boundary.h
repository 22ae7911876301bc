// The handler boundary (docs/webview2-rules.md W1, W2, W4): every WebView2 event handler and
// completion handler runs behind it. It knows which WebView2 handlers are on each thread's stack,
// keeps WebView2 callbacks serial on a thread (a callback that a nested loop pulls waits behind a
// gate until the handler below returns), reports a nested loop that starts inside a handler
// (reentrancy), and keeps each thread's COM apartment.
//
// Determinism: per-thread state is an array indexed by thread id; handlers in entry order.
#ifndef WVSIM_MODEL_WEBVIEW2_INTERNAL_BOUNDARY_H_
#define WVSIM_MODEL_WEBVIEW2_INTERNAL_BOUNDARY_H_

#include <coroutine>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/container/inlined_vector.h"
#include "model/webview2/environment.h"
#include "sim/kernel.h"
#include "sim/model_port.h"

namespace wvsim::model::webview2::internal {

class Core;
struct EventRecord;

// A WebView handler (event or completion) the boundary has entered on a thread (W4).
struct HandlerFrame {
  // "WebMessageReceived#3 handler": composed when a report needs it, so that entering a handler
  // builds no string.
  std::string What() const;
  std::string completion;  // "ExecuteScript#2 completion handler"; traced runs only
  sim::Thread thread;      // set when the boundary enters it
  std::coroutine_handle<> frame;
  EventRecord* event = nullptr;  // null for a completion
  bool parked = false;           // left the stack at an await: no longer a callback on the stack
  bool exited = false;
};

// Hands the awaiting frame's handle to the caller without suspending.
struct CurrentFrame {
  std::coroutine_handle<> handle;
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h) noexcept {
    handle = h;
    return false;
  }
  std::coroutine_handle<> await_resume() const noexcept { return handle; }
};

class Boundary {
 public:
  Boundary(Core& core, sim::Kernel& kernel);

  void SetApartment(sim::Thread thread, Apartment apartment);  // W1
  Apartment ApartmentOf(sim::Thread thread) const;

  // Enters `frame` on the calling thread: first waits while another WebView2 handler is on its
  // stack (W4: never re-entrant), then records it.
  sim::Task<> Enter(HandlerFrame& frame);
  void Exit(HandlerFrame& frame);
  // The thread's innermost handler leaves the stack at an await: for the runtime it returned (W8).
  void NoteAwait(sim::Thread thread);
  HandlerFrame* WebViewHandlerOnStack(sim::Thread thread);

  // W4: the app starts a nested loop of its own on the calling thread (a modal dialog, a pumping
  // wait): reports it when a WebView2 handler is on the stack, or (kReentrancyBreakParam) arms
  // the runtime's int 3 and returns its id. The kernel loop it runs next on this thread is this
  // loop: the kernel's watch (OnLoopBegin) does not report it again.
  uint64_t BeginNestedLoop(const std::string& loop);
  void EndNestedLoop(uint64_t break_id);
  // An exception escaping a handler of `event` is caught here and logged (docs/design.md).
  void CatchEscaped(const EventRecord& event, const char* what);

 private:
  struct ThreadState {
    Apartment apartment = Apartment::kNone;
    sim::Promise<void> gate;  // set when the last WebView handler on the thread's stack returns
    bool gate_open = false;
    bool loop_announced = false;  // BeginNestedLoop ran; its kernel loop has not started yet
  };
  ThreadState& State(sim::Thread thread) {
    const uint32_t id = thread.id();
    if (id >= threads_.size()) threads_.resize(id + 1);
    return threads_[id];
  }
  // The kernel's watch on every message loop (sim::ModelPort::WatchMessageLoops): W4 for a loop
  // the app built from the kernel (RunMessageLoop, PumpUntil) inside a WebView2 handler.
  uint64_t OnLoopBegin(sim::Thread thread, std::string_view loop);
  void OnLoopEnd(sim::Thread thread, uint64_t break_id);
  uint64_t ReportNestedLoop(sim::Thread thread, const std::string& loop);
  uint64_t ArmReentrancyBreak(sim::Thread thread, const HandlerFrame& handler,
                              const std::string& loop, int64_t break_ms);

  Core& core_;
  sim::Kernel& kernel_;
  sim::ModelPort port_;
  // By thread id, up to the highest id seen so far. Inline: the runtime lives in the run's pooled
  // memory, and a run of a few threads allocates nothing for this, nor initialises a slot for
  // every thread a run may have (KernelLimits::kThreadsMaxCeiling), once per run.
  absl::InlinedVector<ThreadState, 8> threads_;
  absl::InlinedVector<HandlerFrame*, 4> handlers_;  // entered and not exited
};

}  // namespace wvsim::model::webview2::internal

#endif  // WVSIM_MODEL_WEBVIEW2_INTERNAL_BOUNDARY_H_
